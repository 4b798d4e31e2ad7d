/**
 * Modifiers (src/stats/stat-state.ts): aggregation order, instant changes, tick durations, stacking,
 * source tags and rejections. Durations are in ticks; a modifier applied in tick t for d ticks is
 * active in ticks t … t+d−1 and gone from tick t+d on.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import { compileStatLayout, mergeLayers } from "../../src/stats/layout.ts";
import { applyModifier, computeEffective, createStatState, effectiveValue, expireModifiers, removeModifiersBySource, type StatState } from "../../src/stats/stat-state.ts";
import type { ModifierSpec, StatsConfig, StatValues } from "../../src/stats/types.ts";

const LAYOUT = compileStatLayout(DEFAULT_STATS_CONFIG);

/** A wide axis for arithmetic that the default 0–100 bounds would clamp. */
const WIDE_LAYOUT = compileStatLayout({
  definitions: { core: { axes: { power: { min: -1000, max: 1000, default: 10 } } } },
  creation: { pointBudget: 0, definitions: [] },
} satisfies StatsConfig);

type Layout = typeof LAYOUT;

function stateOf(layout: Layout, base: StatValues = {}): StatState {
  return createStatState(layout, mergeLayers(layout, [base]));
}

/** Applies a spec, failing the test on a rejection. */
function apply(layout: Layout, state: StatState, spec: Partial<ModifierSpec> & Pick<ModifierSpec, "stat" | "op" | "value">, tick = 0): void {
  const outcome = applyModifier(layout, state, { source: "test", duration: "infinite", ...spec }, tick);
  if (!outcome.ok) throw new Error(outcome.problem);
}

const valueOf = (layout: Layout, state: StatState, key: string): number => effectiveValue(layout, state, layout.indexOf.get(key)!);
const power = (state: StatState): number => valueOf(WIDE_LAYOUT, state, "core.power");
const strength = (state: StatState): number => valueOf(LAYOUT, state, "combat_skills.strength");
const health = (state: StatState): number => valueOf(LAYOUT, state, "attributes.health");

describe("aggregation: (current + Σ add·stacks) × Π multiply^stacks, an override wins", () => {
  it("adds before it multiplies, whatever order they were applied in", () => {
    const state = stateOf(WIDE_LAYOUT);
    apply(WIDE_LAYOUT, state, { source: "m", stat: "core.power", op: "multiply", value: 2 });
    apply(WIDE_LAYOUT, state, { source: "a", stat: "core.power", op: "add", value: 5 });
    expect(power(state)).toBe((10 + 5) * 2);
  });

  it("sums adds and multiplies multipliers", () => {
    const state = stateOf(WIDE_LAYOUT);
    apply(WIDE_LAYOUT, state, { source: "a1", stat: "core.power", op: "add", value: 5 });
    apply(WIDE_LAYOUT, state, { source: "a2", stat: "core.power", op: "add", value: -3 });
    apply(WIDE_LAYOUT, state, { source: "m1", stat: "core.power", op: "multiply", value: 2 });
    apply(WIDE_LAYOUT, state, { source: "m2", stat: "core.power", op: "multiply", value: 3 });
    expect(power(state)).toBe((10 + 5 - 3) * 2 * 3);
  });

  it("an override wins over adds and multiplies", () => {
    const state = stateOf(WIDE_LAYOUT);
    apply(WIDE_LAYOUT, state, { source: "a", stat: "core.power", op: "add", value: 100 });
    apply(WIDE_LAYOUT, state, { source: "o", stat: "core.power", op: "override", value: 7 });
    apply(WIDE_LAYOUT, state, { source: "m", stat: "core.power", op: "multiply", value: 4 });
    expect(power(state)).toBe(7);
  });

  it("the latest-applied override wins; removing it uncovers the earlier one", () => {
    const state = stateOf(WIDE_LAYOUT);
    apply(WIDE_LAYOUT, state, { source: "first", stat: "core.power", op: "override", value: 7 });
    apply(WIDE_LAYOUT, state, { source: "second", stat: "core.power", op: "override", value: 3 });
    expect(power(state)).toBe(3);
    removeModifiersBySource(state, "second");
    expect(power(state)).toBe(7);
  });

  it("starts from the runtime value where one is set, else from base", () => {
    const state = stateOf(WIDE_LAYOUT, { core: { power: 20 } });
    apply(WIDE_LAYOUT, state, { source: "a", stat: "core.power", op: "add", value: 5 });
    expect(power(state)).toBe(25);
    apply(WIDE_LAYOUT, state, { source: "set", stat: "core.power", op: "override", value: 40, duration: "instant" });
    expect(power(state)).toBe(45);
  });

  it("rounds (halves up) and clamps the result to the axis", () => {
    const state = stateOf(WIDE_LAYOUT);
    apply(WIDE_LAYOUT, state, { source: "m", stat: "core.power", op: "multiply", value: 1.25 });
    expect(power(state)).toBe(13); // 12.5
    apply(WIDE_LAYOUT, state, { source: "a", stat: "core.power", op: "add", value: 5000 });
    expect(power(state)).toBe(1000);
    const low = stateOf(LAYOUT);
    apply(LAYOUT, low, { source: "a", stat: "combat_skills.strength", op: "add", value: -500 });
    expect(strength(low)).toBe(0);
  });

  it("touches only its own axis", () => {
    const state = stateOf(LAYOUT);
    apply(LAYOUT, state, { stat: "combat_skills.strength", op: "add", value: 20 });
    const out = new Float64Array(LAYOUT.slots.length);
    computeEffective(LAYOUT, state, out);
    expect([...out]).toEqual([100, 100, 70, 50, 50]);
  });
});

describe("instant modifiers write the runtime value, clamped", () => {
  it("add, multiply and override change runtime at once and stay out of the active list", () => {
    const state = stateOf(LAYOUT);
    const i = LAYOUT.indexOf.get("attributes.health")!;
    apply(LAYOUT, state, { stat: "attributes.health", op: "add", value: -30, duration: "instant" });
    expect([state.runtime[i], health(state)]).toEqual([70, 70]);
    apply(LAYOUT, state, { stat: "attributes.health", op: "multiply", value: 0.45, duration: "instant" });
    expect(state.runtime[i]).toBe(32); // 31.5 rounds up
    apply(LAYOUT, state, { stat: "attributes.health", op: "override", value: 65, duration: "instant" });
    expect(state.runtime[i]).toBe(65);
    expect(state.modifiers).toEqual([]);
  });

  it("clamps to the axis's bounds", () => {
    const state = stateOf(LAYOUT);
    apply(LAYOUT, state, { stat: "attributes.health", op: "add", value: -500, duration: "instant" });
    expect(health(state)).toBe(0);
    apply(LAYOUT, state, { stat: "attributes.health", op: "add", value: 500, duration: "instant" });
    expect(health(state)).toBe(100);
  });

  it("change the value under active modifiers, not the effective value", () => {
    const state = stateOf(LAYOUT);
    apply(LAYOUT, state, { source: "buff", stat: "combat_skills.strength", op: "add", value: 20 });
    apply(LAYOUT, state, { source: "hit", stat: "combat_skills.strength", op: "add", value: -10, duration: "instant" });
    expect(state.runtime[LAYOUT.indexOf.get("combat_skills.strength")!]).toBe(40);
    expect(strength(state)).toBe(60);
  });
});

describe("durations in ticks", () => {
  for (const [t, d] of [
    [0, 1],
    [0, 3],
    [7, 1],
    [7, 5],
  ] as const) {
    it(`applied in tick ${t} for ${d} ticks: active through tick ${t + d - 1}, gone at tick ${t + d}`, () => {
      const state = stateOf(LAYOUT);
      apply(LAYOUT, state, { stat: "combat_skills.strength", op: "add", value: 10, duration: { ticks: d } }, t);
      expect(state.modifiers[0]).toMatchObject({ appliedTick: t, durationTicks: d, expiresAt: t + d });
      for (let tick = t; tick < t + d; tick++) {
        expect(expireModifiers(state, tick), `tick ${tick}`).toBe(0);
        expect(strength(state), `tick ${tick}`).toBe(60);
      }
      expect(expireModifiers(state, t + d)).toBe(1);
      expect(strength(state)).toBe(50);
      expect(state.modifiers).toEqual([]);
    });
  }

  it("an infinite modifier never expires", () => {
    const state = stateOf(LAYOUT);
    apply(LAYOUT, state, { stat: "combat_skills.strength", op: "add", value: 10, duration: "infinite" }, 3);
    expect(expireModifiers(state, Number.MAX_SAFE_INTEGER)).toBe(0);
    expect(state.modifiers[0]).toMatchObject({ durationTicks: Infinity, expiresAt: Infinity });
    expect(strength(state)).toBe(60);
  });

  it("expiry removes only the modifiers whose time is up and keeps the others in application order", () => {
    const state = stateOf(WIDE_LAYOUT);
    apply(WIDE_LAYOUT, state, { source: "a", stat: "core.power", op: "add", value: 1, duration: { ticks: 5 } });
    apply(WIDE_LAYOUT, state, { source: "b", stat: "core.power", op: "add", value: 2, duration: { ticks: 2 } });
    apply(WIDE_LAYOUT, state, { source: "c", stat: "core.power", op: "override", value: 100, duration: { ticks: 3 } });
    apply(WIDE_LAYOUT, state, { source: "d", stat: "core.power", op: "override", value: 200, duration: "infinite" });
    expect(expireModifiers(state, 2)).toBe(1);
    expect(state.modifiers.map((m) => m.source)).toEqual(["a", "c", "d"]);
    expect(power(state)).toBe(200);
    removeModifiersBySource(state, "d");
    expect(power(state)).toBe(100);
    expect(expireModifiers(state, 3)).toBe(1);
    expect(power(state)).toBe(11);
    expect(expireModifiers(state, 5)).toBe(1);
    expect(power(state)).toBe(10);
  });
});

describe("stacking: the same source, stat and op while active", () => {
  const spec = (stacking: ModifierSpec["stacking"], value = 4): ModifierSpec => ({ source: "s", stat: "core.power", op: "add", value, duration: { ticks: 5 }, stacking });

  it("refresh (the default) restarts the duration, keeps one stack and takes the new value", () => {
    const state = stateOf(WIDE_LAYOUT);
    applyModifier(WIDE_LAYOUT, state, spec(undefined), 0);
    applyModifier(WIDE_LAYOUT, state, spec("refresh", 6), 3);
    expect(state.modifiers).toHaveLength(1);
    expect(state.modifiers[0]).toMatchObject({ stacks: 1, value: 6, expiresAt: 8 });
    expect(power(state)).toBe(16);
  });

  it("extend adds the new duration to what is left", () => {
    const state = stateOf(WIDE_LAYOUT);
    applyModifier(WIDE_LAYOUT, state, spec("extend"), 0);
    applyModifier(WIDE_LAYOUT, state, spec("extend"), 3);
    expect(state.modifiers).toHaveLength(1);
    expect(state.modifiers[0]).toMatchObject({ stacks: 1, expiresAt: 10 });
    expireModifiers(state, 9);
    expect(power(state)).toBe(14);
    expireModifiers(state, 10);
    expect(power(state)).toBe(10);
  });

  it("{ stack: n } adds a stack up to n and restarts the duration", () => {
    const state = stateOf(WIDE_LAYOUT);
    for (let tick = 0; tick < 5; tick++) applyModifier(WIDE_LAYOUT, state, spec({ stack: 3 }), tick);
    expect(state.modifiers).toHaveLength(1);
    expect(state.modifiers[0]).toMatchObject({ stacks: 3, maxStacks: 3, expiresAt: 9 });
    expect(power(state)).toBe(10 + 4 * 3);
  });

  it("stacked multipliers compound: 1.5 at two stacks is ×2.25", () => {
    const state = stateOf(WIDE_LAYOUT, { core: { power: 100 } });
    const multiply: ModifierSpec = { source: "s", stat: "core.power", op: "multiply", value: 1.5, duration: "infinite", stacking: { stack: 2 } };
    applyModifier(WIDE_LAYOUT, state, multiply, 0);
    applyModifier(WIDE_LAYOUT, state, multiply, 1);
    applyModifier(WIDE_LAYOUT, state, multiply, 2);
    expect(state.modifiers[0]!.stacks).toBe(2);
    expect(power(state)).toBe(225);
  });

  it("a modifier re-applied after it expired starts afresh", () => {
    const state = stateOf(WIDE_LAYOUT);
    applyModifier(WIDE_LAYOUT, state, spec({ stack: 3 }), 0);
    applyModifier(WIDE_LAYOUT, state, spec({ stack: 3 }), 1);
    expireModifiers(state, 6);
    applyModifier(WIDE_LAYOUT, state, spec({ stack: 3 }), 6);
    expect(state.modifiers[0]).toMatchObject({ stacks: 1, appliedTick: 6, expiresAt: 11 });
  });
});

describe("source tags", () => {
  it("modifiers from different sources on one stat and op are separate, and add up", () => {
    const state = stateOf(WIDE_LAYOUT);
    apply(WIDE_LAYOUT, state, { source: "sword", stat: "core.power", op: "add", value: 5 });
    apply(WIDE_LAYOUT, state, { source: "ring", stat: "core.power", op: "add", value: 5 });
    apply(WIDE_LAYOUT, state, { source: "ring", stat: "core.power", op: "multiply", value: 2 });
    expect(state.modifiers.map((m) => [m.source, m.op])).toEqual([
      ["sword", "add"],
      ["ring", "add"],
      ["ring", "multiply"],
    ]);
    expect(power(state)).toBe(40);
  });

  it("removeModifiersBySource removes exactly that source's modifiers and says how many", () => {
    const state = stateOf(LAYOUT);
    apply(LAYOUT, state, { source: "ring", stat: "combat_skills.strength", op: "add", value: 5 });
    apply(LAYOUT, state, { source: "ring", stat: "combat_skills.defense", op: "add", value: 5 });
    apply(LAYOUT, state, { source: "sword", stat: "combat_skills.strength", op: "add", value: 7 });
    expect(removeModifiersBySource(state, "ring")).toBe(2);
    expect(state.modifiers.map((m) => m.source)).toEqual(["sword"]);
    expect(strength(state)).toBe(57);
    expect(valueOf(LAYOUT, state, "combat_skills.defense")).toBe(50);
    expect(removeModifiersBySource(state, "ring")).toBe(0);
  });
});

describe("rejections change nothing", () => {
  const snapshotOf = (state: StatState) => ({ base: [...state.base], runtime: [...state.runtime], modifiers: structuredClone(state.modifiers) });

  function expectRejected(spec: ModifierSpec, problem: RegExp): void {
    const state = stateOf(LAYOUT);
    apply(LAYOUT, state, { source: "keep", stat: "combat_skills.strength", op: "add", value: 1, duration: { ticks: 4 } });
    const before = snapshotOf(state);
    const outcome = applyModifier(LAYOUT, state, spec, 1);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problem).toMatch(problem);
    expect(snapshotOf(state)).toEqual(before);
  }

  const base: ModifierSpec = { source: "s", stat: "combat_skills.strength", op: "add", value: 1, duration: { ticks: 3 } };

  it("an unknown stat, a per-entity stat or a bare axis name", () => {
    expectRejected({ ...base, stat: "combat_skills.wisdom" }, /unknown stat "combat_skills\.wisdom"/);
    expectRejected({ ...base, stat: "relationships.affinity" }, /unknown stat "relationships\.affinity"/);
    expectRejected({ ...base, stat: "strength" }, /unknown stat "strength"/);
  });

  it("a duration that is not a positive whole number of ticks", () => {
    for (const ticks of [0, -2, 2.5, Number.NaN]) expectRejected({ ...base, duration: { ticks } }, /duration must be a positive whole number of ticks/);
  });

  it("a value that is not a finite number, timed or instant", () => {
    expectRejected({ ...base, value: Number.NaN }, /finite/);
    expectRejected({ ...base, value: Infinity, duration: "instant" }, /finite/);
  });
});
