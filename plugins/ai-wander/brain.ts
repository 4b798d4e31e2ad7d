/**
 * The `wander` brain: each tick, an NPC without a queued action steps in a seeded-random direction
 * with probability {@link WANDER_CHANCE}. It draws from the world's generator (two draws when it
 * steps, one when it does not), in pipeline order, exactly as the core did before AI kinds were
 * registered, so the shipped worlds' hashes are unchanged (test/core/docks-hash.test.ts).
 */
import { DIRECTIONS, queueAction, type Brain } from "../../src/core/index.ts";
import { chance, nextInt } from "../../src/core/rng.ts";

/** A wanderer steps on average once every 10 ticks (0.5 s at 20 Hz). */
export const WANDER_CHANCE = { numerator: 1, denominator: 10 } as const;

export const wanderBrain: Brain = {
  name: "wander",
  think(world, actor) {
    if (actor.queue !== null) return;
    if (!chance(world.rng, WANDER_CHANCE.numerator, WANDER_CHANCE.denominator)) return;
    queueAction(world, actor.id, "move", { dir: DIRECTIONS[nextInt(world.rng, DIRECTIONS.length)]! });
  },
};
