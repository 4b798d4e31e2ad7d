/**
 * Property tests of stats (STYLE §16). For random sequences of modifier applications and tick
 * advances:
 * - on one StatState, the active modifiers and effective values match a plain model of the
 *   documented rules (stacking, expiry on tick boundaries, GAS aggregation), two runs of the same
 *   sequence agree at every tick, and every effective value is a whole number within its axis;
 * - in a world, driven through `submitInput` (modify, set-stats, joins, pushes into an Aggressive
 *   NPC, so actors are downed and respawn), a run restored from a JSON round-tripped snapshot at
 *   any tick continues with the same hashes and effective values as the uninterrupted run.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import {
  DIRECTIONS,
  createSimulation,
  createWorld,
  hashWorld,
  restoreWorld,
  snapshotWorld,
  stepSimulation,
  submitInput,
  type Dir,
  type Input,
  type Simulation,
  type TickResult,
  type World,
  type WorldDef,
  type WorldSnapshot,
} from "../../src/core/index.ts";
import { clampToSlot, compileStatLayout, mergeLayers } from "../../src/stats/layout.ts";
import { applyModifier, computeEffective, createStatState, expireModifiers, type StatState } from "../../src/stats/stat-state.ts";
import type { ModifierOp, ModifierSpec } from "../../src/stats/types.ts";
import { checkInvariants, defineAsciiWorld } from "../support/worlds.ts";
import { TEST_RULES } from "../support/worlds.ts";

const LAYOUT = compileStatLayout(DEFAULT_STATS_CONFIG);
const KEYS = LAYOUT.slots.map((s) => s.key);

const valueArb = (op: ModifierOp): fc.Arbitrary<number> =>
  op === "add" ? fc.integer({ min: -60, max: 60 }) : op === "multiply" ? fc.constantFrom(0, 0.5, 1.5, 2, 3) : fc.integer({ min: -20, max: 120 });

const specArb: fc.Arbitrary<ModifierSpec> = fc.constantFrom<ModifierOp>("add", "multiply", "override").chain((op) =>
  fc.record({
    source: fc.constantFrom("a", "b", "c"),
    stat: fc.oneof({ arbitrary: fc.constantFrom(...KEYS), weight: 10 }, { arbitrary: fc.constant("combat_skills.wisdom"), weight: 1 }),
    op: fc.constant(op),
    value: valueArb(op),
    duration: fc.oneof(
      { arbitrary: fc.constant("instant" as const), weight: 2 },
      { arbitrary: fc.constant("infinite" as const), weight: 1 },
      { arbitrary: fc.record({ ticks: fc.integer({ min: 1, max: 6 }) }), weight: 5 },
      { arbitrary: fc.record({ ticks: fc.constantFrom(0, -1, 1.5) }), weight: 1 },
    ),
    stacking: fc.constantFrom<ModifierSpec["stacking"]>(undefined, "refresh", "extend", { stack: 2 }, { stack: 3 }),
  }),
);

// ---------------------------------------------------------------------------------------------
// One StatState against a model
// ---------------------------------------------------------------------------------------------

type Step = { kind: "apply"; spec: ModifierSpec } | { kind: "advance"; ticks: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("apply" as const), spec: specArb }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("advance" as const), ticks: fc.integer({ min: 1, max: 3 }) }), weight: 2 },
);

/** The documented rules, written plainly (src/stats/types.ts, ModifierSpec). */
interface ModelModifier {
  source: string;
  axis: number;
  op: ModifierOp;
  value: number;
  stacks: number;
  expiresAt: number;
}

interface Model {
  runtime: (number | undefined)[];
  modifiers: ModelModifier[];
}

function modelApply(model: Model, base: Float64Array, spec: ModifierSpec, tick: number): boolean {
  const axis = KEYS.indexOf(spec.stat);
  if (axis < 0) return false;
  const slot = LAYOUT.slots[axis]!;
  if (spec.duration === "instant") {
    const current = model.runtime[axis] ?? base[axis]!;
    model.runtime[axis] = clampToSlot(slot, spec.op === "add" ? current + spec.value : spec.op === "multiply" ? current * spec.value : spec.value);
    return true;
  }
  const ticks = spec.duration === "infinite" ? Infinity : spec.duration.ticks;
  if (ticks !== Infinity && !(Number.isInteger(ticks) && ticks >= 1)) return false;
  const stacking = spec.stacking ?? "refresh";
  const same = model.modifiers.find((m) => m.source === spec.source && m.axis === axis && m.op === spec.op);
  if (!same) {
    model.modifiers.push({ source: spec.source, axis, op: spec.op, value: spec.value, stacks: 1, expiresAt: tick + ticks });
    return true;
  }
  same.value = spec.value;
  same.expiresAt = stacking === "extend" ? same.expiresAt + ticks : tick + ticks;
  // The applying spec's policy decides, `{ stack: n }` capping at its own n.
  if (typeof stacking === "object") same.stacks = Math.min(stacking.stack, same.stacks + 1);
  return true;
}

function modelEffective(model: Model, base: Float64Array): number[] {
  return LAYOUT.slots.map((slot, axis) => {
    const mine = model.modifiers.filter((m) => m.axis === axis);
    const override = mine.filter((m) => m.op === "override").at(-1);
    if (override) return clampToSlot(slot, override.value);
    let value = model.runtime[axis] ?? base[axis]!;
    for (const m of mine) if (m.op === "add") value += m.value * m.stacks;
    let factor = 1;
    for (const m of mine) if (m.op === "multiply") factor *= m.value ** m.stacks;
    return clampToSlot(slot, value * factor);
  });
}

/** Runs the steps on a fresh StatState; returns the effective values after every step. */
function runSteps(base: Float64Array, steps: readonly Step[]): number[][] {
  const state: StatState = createStatState(LAYOUT, Float64Array.from(base));
  const model: Model = { runtime: LAYOUT.slots.map(() => undefined), modifiers: [] };
  const out = new Float64Array(LAYOUT.slots.length);
  const trace: number[][] = [];
  let tick = 0;
  const check = (): void => {
    computeEffective(LAYOUT, state, out);
    const effective = [...out];
    expect(state.modifiers.map(({ source, axis, op, value, stacks, expiresAt }) => ({ source, axis, op, value, stacks, expiresAt }))).toEqual(
      model.modifiers.map(({ source, axis, op, value, stacks, expiresAt }) => ({ source, axis, op, value, stacks, expiresAt })),
    );
    expect(effective).toEqual(modelEffective(model, base));
    LAYOUT.slots.forEach((slot, i) => {
      expect(Number.isInteger(effective[i]) && effective[i]! >= slot.min && effective[i]! <= slot.max, `${slot.key} = ${effective[i]}`).toBe(true);
    });
    for (const m of state.modifiers) expect(m.expiresAt, "an expired modifier is still active").toBeGreaterThan(tick);
    trace.push(effective);
  };
  for (const step of steps) {
    if (step.kind === "apply") {
      expect(applyModifier(LAYOUT, state, step.spec, tick).ok).toBe(modelApply(model, base, step.spec, tick));
      check();
      continue;
    }
    for (let k = 0; k < step.ticks; k++) {
      tick++;
      const before = model.modifiers.length;
      model.modifiers = model.modifiers.filter((m) => m.expiresAt > tick);
      expect(expireModifiers(state, tick)).toBe(before - model.modifiers.length);
      check();
    }
  }
  return trace;
}

const baseArb = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: KEYS.length, maxLength: KEYS.length }).map((values) => Float64Array.from(values));

describe("modifiers on one StatState", () => {
  it("follow the documented rules at every tick, stay within bounds, and two runs agree", () => {
    fc.assert(
      fc.property(baseArb, fc.array(stepArb, { minLength: 1, maxLength: 60 }), (base, steps) => {
        const first = runSteps(base, steps);
        expect(runSteps(base, steps)).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });

  it("mergeLayers gives a base inside every axis's bounds", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), fc.integer({ min: -500, max: 500 })), (flat) => {
        const layer: Record<string, Record<string, number>> = {};
        for (const [key, value] of Object.entries(flat)) {
          const [definition, axis] = key.split(".") as [string, string];
          (layer[definition] ??= {})[axis] = value;
        }
        const base = mergeLayers(LAYOUT, [layer]);
        LAYOUT.slots.forEach((slot, i) => expect(base[i]).toBe(flat[slot.key] === undefined ? slot.default : clampToSlot(slot, flat[slot.key]!)));
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// In a world, through snapshots
// ---------------------------------------------------------------------------------------------

const ROWS = [
  "#########", //
  "#S..a..S#",
  "#.b.x.c.#",
  "#..d....#",
  "#########",
];
const LEGEND = {
  a: { behaviours: ["Moveable" as const] },
  b: { behaviours: ["Moveable" as const] },
  c: { behaviours: ["Frightened" as const] },
  d: { behaviours: ["Frightened" as const, "Moveable" as const] },
  x: { behaviours: ["Aggressive" as const] },
};

function defineWorld(seed: number): WorldDef {
  return { ...defineAsciiWorld(ROWS, LEGEND, seed), respawnTicks: 3 };
}

type Op =
  | { kind: "modify"; pick: number; spec: ModifierSpec }
  | { kind: "set-stats"; pick: number; stat: string; value: number }
  | { kind: "join" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("modify" as const), pick: fc.nat(), spec: specArb }), weight: 6 },
  {
    arbitrary: fc.record({ kind: fc.constant("set-stats" as const), pick: fc.nat(), stat: fc.constantFrom(...KEYS, "attributes.mana"), value: fc.integer({ min: -10, max: 110 }) }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant("join" as const) }), weight: 1 },
);

/**
 * At most one move per tick: an actor downed by a retaliation while it still has a move queued
 * crashes the pipeline today (see the report on src/core/actor-stats.ts), so the scenario keeps
 * every damaged pusher's own queue empty.
 */
interface TickPlan {
  ops: Op[];
  move: { pick: number; dir: Dir } | null;
}

const tickArb: fc.Arbitrary<TickPlan> = fc.record({
  ops: fc.array(opArb, { maxLength: 4 }),
  move: fc.option(fc.record({ pick: fc.nat(), dir: fc.constantFrom(...DIRECTIONS) }), { freq: 2 }),
});

const scenarioArb = fc.record({ seed: fc.integer(), ticks: fc.array(tickArb, { minLength: 10, maxLength: 40 }) });

function resolve(world: World, op: Op): Input {
  if (op.kind === "join") return { type: "join", actorId: "", name: "p" };
  const actorId = world.order[op.pick % world.order.length]!.id;
  if (op.kind === "modify") return { type: "modify", actorId, modifier: op.spec };
  const [definition, axis] = op.stat.split(".") as [string, string];
  return { type: "set-stats", actorId, values: { [definition]: { [axis]: op.value } } };
}

/** Effective values by actor id. */
const effectiveById = (world: World): Record<string, number[]> => Object.fromEntries(world.order.map((a) => [a.id, [...a.effective]]));

interface Trace {
  submitted: Input[][];
  results: TickResult[];
  effective: Record<string, number[]>[];
}

/** Submits one input; a rejection must leave the world's hash and the pending inputs as they were. */
function submitChecked(sim: Simulation, input: Input): void {
  const hash = hashWorld(sim.world);
  const pending = sim.pending.length;
  const result = submitInput(sim, input);
  if (result.ok) return;
  expect(["command/invalid", "command/downed", "world/no-free-spawn"]).toContain(result.code);
  expect(hashWorld(sim.world)).toBe(hash);
  expect(sim.pending).toHaveLength(pending);
}

function checkStats(world: World): void {
  for (const actor of world.order) {
    world.layout.slots.forEach((slot, i) => {
      const v = actor.effective[i]!;
      expect(Number.isInteger(v) && v >= slot.min && v <= slot.max, `${actor.id} ${slot.key} = ${v}`).toBe(true);
    });
  }
}

function runScenario(def: WorldDef, plans: readonly TickPlan[]): Trace {
  const sim = createSimulation(createWorld(def, TEST_RULES));
  const trace: Trace = { submitted: [], results: [], effective: [] };
  for (const plan of plans) {
    const inputs = plan.ops.map((op) => resolve(sim.world, op));
    if (plan.move) inputs.push({ type: "act", actorId: sim.world.order[plan.move.pick % sim.world.order.length]!.id, kind: "move", payload: { dir: plan.move.dir } });
    for (const input of inputs) submitChecked(sim, input);
    trace.submitted.push(inputs);
    trace.results.push(stepSimulation(sim));
    checkInvariants(sim.world);
    checkStats(sim.world);
    trace.effective.push(effectiveById(sim.world));
  }
  return trace;
}

/** Submits recorded inputs tick by tick; returns each tick's hash and effective values. */
function feed(sim: Simulation, ticks: readonly Input[][]): { hashes: string[]; effective: Record<string, number[]>[] } {
  const hashes: string[] = [];
  const effective: Record<string, number[]>[] = [];
  for (const inputs of ticks) {
    for (const input of inputs) submitInput(sim, input);
    hashes.push(stepSimulation(sim).hash);
    effective.push(effectiveById(sim.world));
  }
  return { hashes, effective };
}

const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("stats in a world", () => {
  it("two runs of the same inputs give the same hashes, events and effective values", () => {
    fc.assert(
      fc.property(scenarioArb, ({ seed, ticks }) => {
        const def = defineWorld(seed);
        const first = runScenario(def, ticks);
        const second = createSimulation(createWorld(def, TEST_RULES));
        const results = first.submitted.map((inputs) => {
          for (const input of inputs) submitInput(second, input);
          return stepSimulation(second);
        });
        expect(results).toEqual(first.results);
        expect(effectiveById(second.world)).toEqual(first.effective.at(-1));
      }),
      { numRuns: 100 },
    );
  });

  it("a run restored from a JSON round-tripped snapshot at any tick continues with the same hashes and effective values", () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), ({ seed, ticks }, cut) => {
        const def = defineWorld(seed);
        const reference = runScenario(def, ticks);
        const at = cut % (ticks.length + 1);

        const sim = createSimulation(createWorld(def, TEST_RULES));
        feed(sim, reference.submitted.slice(0, at));
        const snapshot = viaJson<WorldSnapshot>(snapshotWorld(sim.world));
        const restored = restoreWorld(def, snapshot, TEST_RULES);
        if (!restored.ok) throw new Error(restored.message);
        checkInvariants(restored.value);
        expect(hashWorld(restored.value)).toBe(hashWorld(sim.world));
        expect(effectiveById(restored.value)).toEqual(effectiveById(sim.world));
        expect(snapshotWorld(restored.value)).toEqual(snapshot);

        const resumed = feed(createSimulation(restored.value), reference.submitted.slice(at));
        expect(resumed.hashes).toEqual(reference.results.slice(at).map((r) => r.hash));
        expect(resumed.effective).toEqual(reference.effective.slice(at));
      }),
      { numRuns: 100 },
    );
  });
});
