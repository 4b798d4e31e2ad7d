/**
 * The area of interest (rooms/interest.ts) against geometry, tick after tick: after every settle,
 * each observer's view holds every actor within the radius and nothing beyond radius + margin
 * (the hysteresis band may hold either). Seeded random moves in a crowded open room exercise every
 * path: observers stepping one cell (the crescent), actors moving around still observers, pushes
 * and blocked moves. Server behaviour through real clients is in test/server/interest.test.ts.
 */
import type { Client } from "@colyseus/core";
import { describe, expect, it } from "vitest";
import { createEventBus, createSimulation, createWorld, removeActor, stepSimulation, submitInput, type Dir, type NpcDef, type Simulation } from "../../src/core/index.ts";
import { createRng, nextFloat, nextInt } from "../../src/core/rng.ts";
import { InterestManager, LEAVE_MARGIN } from "../../rooms/interest.ts";
import { createWorldState } from "../../rooms/schema.ts";
import { defineAsciiWorld, TEST_RULES } from "../support/worlds.ts";

const DIRS: readonly Dir[] = ["N", "E", "S", "W"];

/** A 40×40 open room with about 130 Moveable NPCs on a fixed pattern. */
function crowdedRoom(): Simulation {
  const rows: string[] = [];
  const npcs: NpcDef[] = [];
  for (let y = 0; y < 40; y++) {
    let row = "";
    for (let x = 0; x < 40; x++) {
      const wall = x === 0 || y === 0 || x === 39 || y === 39;
      row += wall ? "#" : ".";
      if (!wall && (x * 7 + y * 13) % 11 === 0) npcs.push({ id: `m-${x}-${y}`, name: "m", at: [x, y], behaviours: ["Moveable"] });
    }
    rows.push(row);
  }
  return createSimulation(createWorld({ ...defineAsciiWorld(rows), npcs }, TEST_RULES));
}

describe("area of interest against geometry", () => {
  // k = 1: settled by the subscription after every tick; k > 1: settled by the owner every k ticks
  // (as a room does before each paced patch), with actors leaving between settles.
  it.each([1, 3, 6])("settling every %i tick(s) over 200 ticks of random moves, every view holds exactly what the radius and its margin allow", (k) => {
    const sim = crowdedRoom();
    const world = sim.world;
    const { synced } = createWorldState(world);
    const radius = 6;
    const interest = new InterestManager(world, synced, radius);
    const bus = createEventBus();
    interest.subscribe(bus, { deferSettle: k > 1 });
    const observers = world.order.filter((_, i) => i % 8 === 0);
    for (const actor of observers) interest.attach({} as Client, actor);
    const rng = createRng(20_261_130);
    let wrong = 0;
    let checked = 0;
    let left = 0;
    for (let t = 0; t < 200; t++) {
      for (const actor of world.order) {
        if (nextFloat(rng) < 0.3) submitInput(sim, { type: "act", actorId: actor.id, kind: "move", payload: { dir: DIRS[nextInt(rng, 4)]! } });
      }
      const result = stepSimulation(sim);
      bus.publish(result);
      // Every 7th tick an NPC that just moved leaves (before the settle, when settles are deferred).
      const mover = t % 7 === 0 ? result.events.find((e) => e.type === "moved" && !observers.some((o) => o.id === e.actorId)) : undefined;
      if (mover !== undefined && mover.type === "moved") {
        const gone = removeActor(world, mover.actorId);
        if (gone.ok) {
          interest.actorRemoved(gone.value);
          synced.remove(gone.value.id);
          left++;
        }
      }
      if (k > 1 && t % k !== k - 1) continue;
      if (k > 1) interest.settle();
      for (const observer of observers) {
        const seen = new Set(interest.visibleIds(observer.id));
        for (const actor of world.order) {
          const d2 = (actor.x - observer.x) ** 2 + (actor.y - observer.y) ** 2;
          if (d2 <= radius * radius && !seen.has(actor.id)) wrong++;
          if (d2 > (radius + LEAVE_MARGIN) ** 2 && seen.has(actor.id)) wrong++;
          checked++;
        }
        for (const id of seen) if (!world.byId.has(id)) wrong++;
      }
    }
    expect(left).toBe(29);
    expect(checked).toBeGreaterThan(0);
    expect(wrong).toBe(0);
  });
});
