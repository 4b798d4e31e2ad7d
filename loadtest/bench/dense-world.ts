/**
 * Dense benchmark worlds, built in code: a square open map with a wall border and four short
 * interior wall segments, sized so the NPCs fill about {@link TARGET_DENSITY} of the floor cells,
 * with the NPCs placed on uniformly random floor cells by a seeded generator.
 *
 * Behaviour mix, exact by index (positions are random, so the mix is spatially random too):
 * 1 in 20 Aggressive (5 %), 2 in 20 Frightened (10 %), the rest Moveable (85 %). No AI: inputs
 * drive every move. Ids are zero-padded (`npc-000042`) so the pipeline order (id ascending) is the
 * creation order and actor index i sits in world slot i.
 */
import type { BehaviourName, NpcDef, WorldDef } from "../../src/core/index.ts";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import { mulberry32, randInt } from "./prng.ts";

/** Share of the floor cells that hold an actor. */
export const TARGET_DENSITY = 0.375;

export interface DenseWorld {
  def: WorldDef;
  width: number;
  height: number;
  floorCells: number;
  /** Actors / floor cells, as built. */
  density: number;
  behaviourCounts: Record<BehaviourName, number>;
}

export function buildDenseWorld(actors: number, seed: number): DenseWorld {
  const side = interiorSide(actors);
  const map = buildMap(side);
  const floor = floorCellsOf(map);
  const npcs = placeNpcs(actors, floor, map[0]!.length, seed);
  const def: WorldDef = { id: `bench-${actors}`, name: `bench ${actors} actors`, tickRate: 20, seed, map, npcs, stats: DEFAULT_STATS_CONFIG, respawnTicks: 100 };
  return {
    def,
    width: map[0]!.length,
    height: map.length,
    floorCells: floor.length,
    density: actors / floor.length,
    behaviourCounts: countBehaviours(npcs),
  };
}

/** Interior side so that floor ≈ actors / density, with 2 % slack for the interior walls. */
function interiorSide(actors: number): number {
  return Math.ceil(Math.sqrt((actors / TARGET_DENSITY) * 1.02));
}

/** Rows of a (side + 2)² map: `#` border, `.` floor, four horizontal wall segments of side/4. */
function buildMap(side: number): string[] {
  const size = side + 2;
  const cells: string[][] = Array.from({ length: size }, (_, y) =>
    Array.from({ length: size }, (_, x) => (x === 0 || y === 0 || x === size - 1 || y === size - 1 ? "#" : ".")),
  );
  for (const row of [Math.floor(side / 3), Math.floor((2 * side) / 3)]) {
    for (const start of [Math.floor(side / 8), Math.floor((5 * side) / 8)]) {
      for (let x = start; x < start + Math.floor(side / 4); x++) cells[row + 1]![x + 1] = "#";
    }
  }
  return cells.map((row) => row.join(""));
}

/** Flat indices (`y * width + x`) of every floor cell, in reading order. */
function floorCellsOf(map: readonly string[]): number[] {
  const width = map[0]!.length;
  const cells: number[] = [];
  map.forEach((row, y) => {
    for (let x = 0; x < width; x++) if (row[x] === ".") cells.push(y * width + x);
  });
  return cells;
}

/** Picks `actors` distinct floor cells by a partial Fisher–Yates shuffle. */
function placeNpcs(actors: number, floor: number[], width: number, seed: number): NpcDef[] {
  if (actors > floor.length) throw new Error(`${actors} actors do not fit on ${floor.length} floor cells`);
  const rand = mulberry32(seed);
  const digits = String(actors - 1).length;
  const npcs: NpcDef[] = [];
  for (let i = 0; i < actors; i++) {
    const j = i + randInt(rand, floor.length - i);
    const cell = floor[j]!;
    floor[j] = floor[i]!;
    floor[i] = cell;
    const id = `npc-${String(i).padStart(digits, "0")}`;
    npcs.push({ id, name: id, at: [cell % width, Math.floor(cell / width)], behaviours: [behaviourOf(i)] });
  }
  return npcs;
}

function behaviourOf(index: number): BehaviourName {
  const r = index % 20;
  if (r === 0) return "Aggressive";
  if (r === 7 || r === 17) return "Frightened";
  return "Moveable";
}

function countBehaviours(npcs: readonly NpcDef[]): Record<BehaviourName, number> {
  const counts: Record<BehaviourName, number> = { Moveable: 0, Frightened: 0, Aggressive: 0 };
  for (const npc of npcs) for (const b of npc.behaviours) counts[b]++;
  return counts;
}
