/**
 * NPC brains: AI kinds are registered, not a closed list (issue 9 §1). A world file names an NPC's
 * brain by kind (`npcs[].ai`); each tick, before the pipeline drains, every thinking actor's brain
 * runs once, in pipeline order, and may queue actions (actions.ts `queueAction`). A brain draws
 * randomness only from the world's generator (`world.rng`), so the draws, and so the world, are the
 * same on every replay. The core ships no brain: `wander` is a plugin (plugins/ai-wander/).
 */
import type { Actor, World } from "./types.ts";

export interface Brain {
  /** The AI kind a world file names, for example `wander`: 1–64 of `a-z 0-9 - :`. */
  readonly name: string;
  /** Decides `actor`'s intents for the tick about to run (queue them with `queueAction`). */
  think(world: World, actor: Actor): void;
}

/** Brains by AI kind. */
export type BrainRegistry = ReadonlyMap<string, Brain>;

const KIND_NAME = /^[a-z0-9][a-z0-9:-]{0,63}$/;

/** A registry of `brains`. Throws on a malformed or duplicate kind (a start-up error). */
export function createBrainRegistry(brains: readonly Brain[]): BrainRegistry {
  const byName = new Map<string, Brain>();
  for (const brain of brains) {
    if (!KIND_NAME.test(brain.name)) throw new Error(`AI kind "${brain.name}": a name is 1–64 of a-z 0-9 - :`);
    if (byName.has(brain.name)) throw new Error(`AI kind "${brain.name}" is registered twice`);
    byName.set(brain.name, brain);
  }
  return byName;
}

/** Runs each thinking actor's brain once, in pipeline order. */
export function runBrains(world: World): void {
  for (const actor of world.thinkers) world.rules.brains.get(actor.ai!)!.think(world, actor);
}
