/**
 * The per-tick mover pattern, shared by the core run and the bare baseline so both move the same
 * number of actors the same way. Each tick, `moverShare` of the actors (a fresh uniform random
 * subset) get one move. A mover aims, with probability intoOccupiedShare / moverShare (capped at
 * 1), at a neighbour cell that currently holds another actor, chosen at random among its occupied
 * neighbours; a mover with no occupied neighbour, or not aiming, picks any of the four directions.
 *
 * Direction codes 0..3 are N, E, S, W, the order of the core's `DIRECTIONS`.
 */
import { mulberry32, randFloat, randInt, type Prng } from "./prng.ts";

/** Column and row offsets of direction codes 0..3 (N, E, S, W). */
export const DX: readonly number[] = [0, 1, 0, -1];
export const DY: readonly number[] = [-1, 0, 1, 0];

/** Actor positions and the occupancy index over one map; cells are `y * width + x`. */
export interface Field {
  readonly count: number;
  readonly width: number;
  /** 1 on a wall. */
  readonly walls: Uint8Array;
  /** Actor index + 1 on an occupied cell, else 0. */
  readonly occupancy: Int32Array;
  readonly xs: Int32Array;
  readonly ys: Int32Array;
}

export interface PlanShares {
  /** Share of all actors that get a move each tick. */
  movers: number;
  /** Wanted share of all actors whose move targets an occupied cell. */
  intoOccupied: number;
}

/** One tick's moves; the buffers are reused by the next `plan` call. */
export interface MovePlan {
  length: number;
  readonly movers: Int32Array;
  readonly dirs: Uint8Array;
  /** Moves whose target held an actor when planned. */
  intoOccupied: number;
}

export interface Planner {
  plan(field: Field): MovePlan;
}

export function createPlanner(count: number, shares: PlanShares, seed: number): Planner {
  const rand = mulberry32(seed);
  const size = Math.round(count * shares.movers);
  const aim = Math.min(1, shares.intoOccupied / shares.movers);
  const perm = Int32Array.from({ length: count }, (_, i) => i);
  const plan: MovePlan = { length: size, movers: new Int32Array(size), dirs: new Uint8Array(size), intoOccupied: 0 };
  const options = new Uint8Array(4);
  return {
    plan(field) {
      plan.intoOccupied = 0;
      for (let k = 0; k < size; k++) {
        const actor = pickMover(rand, perm, k);
        const dir = randFloat(rand) < aim ? occupiedDir(rand, field, actor, options) : -1;
        plan.movers[k] = actor;
        plan.dirs[k] = dir >= 0 ? dir : randInt(rand, 4);
        if (targetOccupied(field, actor, plan.dirs[k]!)) plan.intoOccupied++;
      }
      return plan;
    },
  };
}

/** Step k of a partial Fisher–Yates shuffle: a uniform pick among actors not yet picked this tick. */
function pickMover(rand: Prng, perm: Int32Array, k: number): number {
  const j = k + randInt(rand, perm.length - k);
  const actor = perm[j]!;
  perm[j] = perm[k]!;
  perm[k] = actor;
  return actor;
}

/** A random direction whose neighbour cell holds an actor, or -1 if none does. */
function occupiedDir(rand: Prng, field: Field, actor: number, options: Uint8Array): number {
  let n = 0;
  for (let d = 0; d < 4; d++) if (targetOccupied(field, actor, d)) options[n++] = d;
  return n === 0 ? -1 : options[randInt(rand, n)]!;
}

/** Actors never stand on the border wall, so a neighbour cell is always inside the map. */
export function targetCell(field: Field, actor: number, dir: number): number {
  return (field.ys[actor]! + DY[dir]!) * field.width + field.xs[actor]! + DX[dir]!;
}

function targetOccupied(field: Field, actor: number, dir: number): boolean {
  return field.occupancy[targetCell(field, actor, dir)] !== 0;
}
