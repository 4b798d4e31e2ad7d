/**
 * Mover planning over a live core world (mover-plan.ts): a Field that reads the world's own grid,
 * and the move inputs for a plan. Requires slot i to hold actor index i, i.e. no actor has left
 * (true in the benchmarks, which only add actors); `ids[i]` is the id of the actor in slot i.
 */
import { DIRECTIONS, type Input, type World } from "../../src/core/index.ts";
import type { Field, MovePlan } from "./mover-plan.ts";

/** A field over `world`'s grid for its first `count` slots; positions are copied in by {@link syncFieldPositions}. */
export function createWorldField(world: World, count: number): Field {
  const { grid } = world;
  return { count, width: grid.width, walls: grid.walls, occupancy: grid.occupancy, xs: new Int32Array(count), ys: new Int32Array(count) };
}

export function syncFieldPositions(world: World, field: Field): void {
  for (let i = 0; i < field.count; i++) {
    const actor = world.slots[i]!;
    field.xs[i] = actor.x;
    field.ys[i] = actor.y;
  }
}

export function toMoveInputs(plan: MovePlan, ids: readonly string[]): Input[] {
  const inputs: Input[] = new Array(plan.length);
  for (let k = 0; k < plan.length; k++) inputs[k] = { type: "act", actorId: ids[plan.movers[k]!]!, kind: "move", payload: { dir: DIRECTIONS[plan.dirs[k]!]! } };
  return inputs;
}
