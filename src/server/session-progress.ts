/**
 * What a session keeps of a world visit, and what an HTTP action answers.
 */
import type { Actor, Result, TickEvent, World } from "../core/index.ts";
import { HEALTH } from "../core/index.ts";
import { vectorToValues } from "../stats/layout.ts";
import type { StatValues } from "../stats/types.ts";

/**
 * The runtime stats a player carries out of a world. A downed player leaves without its health
 * override, so it comes back with full health, as it would have after respawning.
 */
export function carriedRuntime(world: World, actor: Actor): StatValues {
  const runtime = vectorToValues(world.layout, actor.stats.runtime);
  if (actor.respawnAt >= 0) {
    const [definition, axis] = HEALTH.split(".") as [string, string];
    delete runtime[definition]?.[axis];
  }
  return runtime;
}

/** The outcome of an HTTP action: the tick that processed it, where the actor stands, its events. */
export type ActionOutcome = Result<{ tick: number; position: [number, number] | null; moved: boolean; events: TickEvent[] }>;
