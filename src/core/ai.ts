/**
 * NPC brains. A `wander` NPC steps in a seeded-random direction with probability
 * {@link WANDER_CHANCE} each tick. Wanderers draw from the world's generator in pipeline order, so
 * the draws, and so the world, are the same on every replay.
 */
import { DIRECTIONS } from "./directions.ts";
import { queueAction } from "./actions.ts";
import { chance, nextInt } from "./rng.ts";
import type { World } from "./types.ts";

/** A wanderer steps on average once every 10 ticks (0.5 s at 20 Hz). */
export const WANDER_CHANCE = { numerator: 1, denominator: 10 } as const;

/** Queues this tick's wander steps. An NPC that already has a queued action keeps it. */
export function queueWanderers(world: World): void {
  for (const actor of world.thinkers) {
    if (actor.ai !== "wander" || actor.queue !== null) continue;
    if (!chance(world.rng, WANDER_CHANCE.numerator, WANDER_CHANCE.denominator)) continue;
    queueAction(world, actor.id, "move", { dir: DIRECTIONS[nextInt(world.rng, DIRECTIONS.length)]! });
  }
}
