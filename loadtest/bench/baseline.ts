/**
 * The bare baseline: the cheapest honest version of "move these actors one cell". Positions live in
 * Int32Arrays and occupancy in an Int32Array grid; a mover steps into its target if the cell is
 * free floor and otherwise stays. No pushes, no events, no rollback, no hash. It is the floor the
 * core is compared against, not a competitor: the core does far more work per move by design.
 *
 * Each tick the bare field is reset to the core's state before that tick and given the very plan
 * the core gets as inputs, so both resolve identical moves from an identical state.
 */
import type { DenseWorld } from "./dense-world.ts";
import { targetCell, type Field, type MovePlan } from "./mover-plan.ts";

/** An empty field over the dense world's map, for {@link copyField} to fill. */
export function createBareField(world: DenseWorld): Field {
  const count = world.def.npcs.length;
  return {
    count,
    width: world.width,
    walls: wallsOf(world.def.map),
    occupancy: new Int32Array(world.width * world.height),
    xs: new Int32Array(count),
    ys: new Int32Array(count),
  };
}

/** Copies positions and occupancy (same map, same actor count), so both runs start a tick alike. */
export function copyField(from: Field, to: Field): void {
  to.occupancy.set(from.occupancy);
  to.xs.set(from.xs);
  to.ys.set(from.ys);
}

/** Applies one tick's plan in plan order. Returns the number of actors that moved. */
export function bareTick(field: Field, plan: MovePlan): number {
  const { occupancy, walls, xs, ys, width } = field;
  let moved = 0;
  for (let k = 0; k < plan.length; k++) {
    const actor = plan.movers[k]!;
    const to = targetCell(field, actor, plan.dirs[k]!);
    if (walls[to] !== 0 || occupancy[to] !== 0) continue;
    occupancy[ys[actor]! * width + xs[actor]!] = 0;
    occupancy[to] = actor + 1;
    xs[actor] = to % width;
    ys[actor] = (to / width) | 0;
    moved++;
  }
  return moved;
}

function wallsOf(map: readonly string[]): Uint8Array {
  const width = map[0]!.length;
  const walls = new Uint8Array(width * map.length);
  map.forEach((row, y) => {
    for (let x = 0; x < width; x++) if (row[x] === "#") walls[y * width + x] = 1;
  });
  return walls;
}
