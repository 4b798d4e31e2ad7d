/**
 * Test factories: build a world from an ASCII map, and check the invariants of rule 4 after any
 * scenario (STYLE §16).
 *
 * In a map, `#` is a wall, `.` floor, `S` a spawn point, and any other character an actor from the
 * legend standing on floor.
 */
import { expect } from "vitest";
import { createSimulation, submitInput, stepSimulation, type Simulation } from "../../src/core/simulation.ts";
import type { BehaviourName, Dir, NpcDef, TickResult, World, WorldDef } from "../../src/core/index.ts";
import { createWorld, createWorldRules, defineActionKind, step, type ActionKind, type ActorAction, type FailReason, type TickContext, type WorldRules } from "../../src/core/index.ts";
import type { z } from "zod";
import { wanderBrain } from "../../plugins/ai-wander/brain.ts";
import { recomputeActorSums } from "../../src/core/hash.ts";
import { BUCKET_SIZE } from "../../src/core/spatial-hash.ts";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";

export interface LegendEntry {
  id?: string;
  behaviours: BehaviourName[];
  ai?: "wander";
  initiative?: number;
}

/** Builds a world definition from an ASCII map and a legend of actor characters. */
export function defineAsciiWorld(rows: string[], legend: Record<string, LegendEntry> = {}, seed = 7): WorldDef {
  const npcs: NpcDef[] = [];
  const map = rows.map((row, y) =>
    [...row]
      .map((ch, x) => {
        if (ch === "#" || ch === "." || ch === "S") return ch;
        const entry = legend[ch];
        if (!entry) throw new Error(`no legend entry for '${ch}' at [${x}, ${y}]`);
        const id = entry.id ?? ch;
        npcs.push({ id, name: id, at: [x, y], behaviours: entry.behaviours, ai: entry.ai, initiative: entry.initiative });
        return ".";
      })
      .join(""),
  );
  return { id: "test", name: "test", tickRate: 20, seed, map, npcs, stats: DEFAULT_STATS_CONFIG, respawnTicks: 100 };
}

/**
 * A test action kind `name { dir, ... }` that first runs `before` inside the tick (a write through
 * the undo log, say), then steps toward `dir` like a move; `before` may fail the action instead.
 */
export function stepAfter<P extends { dir: Dir }>(name: string, payload: z.ZodType<P>, before: (ctx: TickContext, action: ActorAction, payload: P) => FailReason | undefined): ActionKind<P> {
  return defineActionKind({
    name,
    payload,
    control: (_actor, p) => ({
      ok: true,
      value: { behaviour: "Moveable", dir: p.dir, method: (ctx, action) => before(ctx, action, p) ?? step(ctx, action) },
    }),
  });
}

/** The rules of test worlds: the core's plus the `wander` brain of plugins/ai-wander/. */
export const TEST_RULES: WorldRules = createWorldRules({ brains: [wanderBrain] });

export function asciiWorld(rows: string[], legend: Record<string, LegendEntry> = {}, seed = 7): World {
  return createWorld(defineAsciiWorld(rows, legend, seed), TEST_RULES);
}

export function asciiSimulation(rows: string[], legend: Record<string, LegendEntry> = {}, seed = 7): Simulation {
  return createSimulation(asciiWorld(rows, legend, seed));
}

/** Queues moves and runs one tick; the moves are `[actorId, dir]` in submission order. */
export function tickWith(sim: Simulation, moves: Array<[string, Dir]>): TickResult {
  for (const [actorId, dir] of moves) {
    const r = submitInput(sim, { type: "act", actorId, kind: "move", payload: { dir } });
    if (!r.ok) throw new Error(r.message);
  }
  const result = stepSimulation(sim);
  checkInvariants(sim.world);
  return result;
}

export function positionOf(world: World, id: string): [number, number] {
  const actor = world.byId.get(id);
  if (!actor) throw new Error(`no actor ${id}`);
  return [actor.x, actor.y];
}

/** All actor positions, `{ id: [x, y] }`. */
export function positions(world: World): Record<string, [number, number]> {
  return Object.fromEntries(world.order.map((a) => [a.id, [a.x, a.y]]));
}

/**
 * Rule 4 and index consistency: no two actors share a cell, none stands on a wall or off the map,
 * the occupancy index matches the actors exactly, and the pipeline order is sorted and numbered.
 */
export function checkInvariants(world: World): void {
  const { grid } = world;
  const sums = recomputeActorSums(world);
  expect([world.actorSumA, world.actorSumB], "incremental hash sums").toEqual([sums.a, sums.b]);
  const seen = new Set<number>();
  let occupied = 0;
  for (let cell = 0; cell < grid.occupancy.length; cell++) if (grid.occupancy[cell] !== 0) occupied++;
  expect(occupied).toBe(world.order.length);
  expect(world.byId.size).toBe(world.order.length);
  expect(world.spatial.buckets.reduce((n, b) => n + b.size, 0), "spatial hash size").toBe(world.order.length);
  world.order.forEach((actor, i) => {
    expect(actor.rank).toBe(i);
    expect(world.byId.get(actor.id)).toBe(actor);
    expect(actor.x >= 0 && actor.y >= 0 && actor.x < grid.width && actor.y < grid.height).toBe(true);
    const cell = actor.y * grid.width + actor.x;
    expect(grid.walls[cell], `${actor.id} on a wall`).toBe(0);
    expect(seen.has(cell), `two actors on [${actor.x}, ${actor.y}]`).toBe(false);
    seen.add(cell);
    expect(grid.occupancy[cell]).toBe(actor.slot + 1);
    const bucket = Math.floor(actor.y / BUCKET_SIZE) * world.spatial.columns + Math.floor(actor.x / BUCKET_SIZE);
    expect(world.spatial.buckets[bucket]!.has(actor), `${actor.id} in its spatial bucket`).toBe(true);
    if (i > 0) {
      const prev = world.order[i - 1]!;
      expect(prev.initiative > actor.initiative || (prev.initiative === actor.initiative && prev.id < actor.id)).toBe(true);
    }
  });
}
