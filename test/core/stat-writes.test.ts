/**
 * Stat writes inside the tick roll back with a failed action (issue 9 §1 "General undo log"):
 * damage, downing and their events, while a successful action keeps them.
 */
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { createSimulation, createWorld, createWorldRules, DIRECTIONS, HEALTH, modifyInTick, stepSimulation, submitInput, type Input } from "../../src/core/index.ts";
import { checkInvariants, defineAsciiWorld, positions, stepAfter } from "../support/worlds.ts";

const M = { behaviours: ["Moveable" as const] };

/** `hurt-step { dir, damage }`: the actor hurts itself by `damage`, then steps. */
const hurtStep = stepAfter("hurt-step", z.object({ dir: z.enum(DIRECTIONS), damage: z.int() }), (ctx, action, payload) => {
  const hurt = modifyInTick(ctx, action.actor, { source: "test", stat: HEALTH, op: "add", value: -payload.damage, duration: "instant" });
  return hurt.ok ? undefined : "blocked";
});

const rules = createWorldRules({ actions: [hurtStep] });
const hurt = (actorId: string, dir: "N" | "E" | "S" | "W", damage: number): Input => ({ type: "act", actorId, kind: "hurt-step", payload: { dir, damage } });
const healthOf = (sim: ReturnType<typeof createSimulation>, id: string) => {
  const world = sim.world;
  return world.byId.get(id)!.effective[world.layout.indexOf.get(HEALTH)!];
};

describe("stat writes inside the tick", () => {
  it("a failed action rolls its damage back, with its stats events; a successful one keeps both", () => {
    const sim = createSimulation(createWorld(defineAsciiWorld(["#####", "#a#.#", "#b..#", "#####"], { a: M, b: M }), rules));
    submitInput(sim, hurt("a", "E", 30)); // into the wall: fails
    submitInput(sim, hurt("b", "E", 30)); // into free floor: succeeds
    const result = stepSimulation(sim);
    checkInvariants(sim.world);
    expect(positions(sim.world)).toEqual({ a: [1, 1], b: [2, 2] });
    expect(healthOf(sim, "a")).toBe(100);
    expect(healthOf(sim, "b")).toBe(70);
    expect(result.events.filter((e) => e.type === "stats").map((e) => e.actorId)).toEqual(["b"]);
  });

  it("a failed action that downed its actor leaves it up, able to act in the next tick", () => {
    const sim = createSimulation(createWorld(defineAsciiWorld(["####", "#a##", "#..#", "####"], { a: M }), rules));
    submitInput(sim, hurt("a", "E", 100));
    const result = stepSimulation(sim);
    expect(result.events.map((e) => e.type)).toEqual(["blocked"]);
    const a = sim.world.byId.get("a")!;
    expect(a.respawnAt).toBe(-1);
    expect(sim.world.downed.has(a)).toBe(false);
    expect(healthOf(sim, "a")).toBe(100);
    expect(submitInput(sim, { type: "act", actorId: "a", kind: "move", payload: { dir: "S" } }).ok).toBe(true);
    stepSimulation(sim);
    expect(positions(sim.world)).toEqual({ a: [1, 2] });
  });

  it("the state hash after a rolled-back write equals the hash of a world that never tried", () => {
    const def = defineAsciiWorld(["####", "#a##", "#..#", "####"], { a: M });
    const tried = createSimulation(createWorld(def, rules));
    const untouched = createSimulation(createWorld(def, rules));
    submitInput(tried, hurt("a", "E", 100));
    expect(stepSimulation(tried).hash).toBe(stepSimulation(untouched).hash);
  });
});
