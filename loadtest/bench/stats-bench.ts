/**
 * Stats benchmark: effective-stat computation alone (src/stats, no world, no pipeline).
 *
 * What is timed: one "stats tick" = for every actor, `computeEffective(layout, state, out)` into its
 * slice of one shared Float64Array, then `tierIndex` for each public axis with tiers (in
 * DEFAULT_STATS_CONFIG: attributes.health) into an Int32Array. Every actor has 3 active modifiers
 * on 3 different axes, one add, one multiply and one override (axes seeded-random), and 1 in 4
 * actors has a runtime override (damage taken), so the path is the one with modifiers for all.
 * Building the actors and their modifiers happens before any timer starts.
 *
 * Why: the core recomputes an actor's effective stats whenever they change (actor-stats.ts), not
 * every tick; this measures the worst case, every actor every tick, against a 50 ms tick (20 Hz).
 * The target is 10k actors × 3 modifiers ≤ 1 ms/tick median. The baseline is a bare loop that
 * copies each actor's base values into the same output array (no modifiers, no clamp, no tiers);
 * ratio = stats median / bare median. Stats and bare ticks alternate in one loop (which goes first
 * alternates too), so machine noise hits both alike.
 */
import { DEFAULT_STATS_CONFIG } from "../../src/content/stats-config.ts";
import { compileStatLayout, mergeLayers, tierIndex, type StatLayout } from "../../src/stats/layout.ts";
import { applyModifier, computeEffective, createStatState, type StatState } from "../../src/stats/stat-state.ts";
import type { ModifierOp, StatValues } from "../../src/stats/types.ts";
import { mulberry32, randInt, type Prng } from "./prng.ts";
import { elapsedMs, summarize, type Summary } from "./stats.ts";

export interface StatsSize {
  actors: number;
  measuredTicks: number;
}

export interface StatsBenchConfig {
  sizes: readonly StatsSize[];
  warmupTicks: number;
  seed: number;
}

export const STATS_TARGET = { actors: 10_000, modifiers: 3, medianMs: 1 } as const;

export const DEFAULT_STATS_BENCH_CONFIG: StatsBenchConfig = {
  sizes: [
    { actors: 1_000, measuredTicks: 2_000 },
    { actors: 10_000, measuredTicks: 1_000 },
    { actors: 50_000, measuredTicks: 200 },
  ],
  warmupTicks: 100,
  seed: 20_240_604,
};

export interface StatsSizeResult {
  actors: number;
  axes: number;
  publicTieredAxes: number;
  modifiersPerActor: number;
  warmupTicks: number;
  measuredTicks: number;
  tickMs: Summary;
  /** Median tick time / actors, in nanoseconds. */
  nsPerActor: number;
  bare: { tickMs: Summary; nsPerActor: number };
  /** Stats median / bare median. */
  ratio: number;
  /** Sum of every effective value and tier index after the last stats tick (same seed ⇒ same sum). */
  checksum: number;
}

export interface StatsBenchReport {
  config: StatsBenchConfig;
  target: typeof STATS_TARGET;
  results: StatsSizeResult[];
}

export function runStatsBench(config: StatsBenchConfig = DEFAULT_STATS_BENCH_CONFIG, onSize?: (r: StatsSizeResult) => void): StatsBenchReport {
  const results: StatsSizeResult[] = [];
  for (const size of config.sizes) {
    const result = runSize(size, config);
    onSize?.(result);
    results.push(result);
  }
  return { config, target: STATS_TARGET, results };
}

/** Everything one size keeps across ticks: the actors' states and the shared outputs. */
interface Rig {
  layout: StatLayout;
  states: StatState[];
  /** Per actor, its slice of `effective`. */
  outs: Float64Array[];
  effective: Float64Array;
  /** Slots that are public and have tiers. */
  publicSlots: Int32Array;
  tiers: Int32Array;
}

const OPS: readonly ModifierOp[] = ["add", "multiply", "override"];

export function buildRig(actors: number, seed: number): Rig {
  const layout = compileStatLayout(DEFAULT_STATS_CONFIG);
  const axes = layout.slots.length;
  const rand = mulberry32(seed);
  const effective = new Float64Array(actors * axes);
  const publicSlots = Int32Array.from(layout.slots.flatMap((s, i) => (s.public && s.tiers ? [i] : [])));
  const states: StatState[] = [];
  const outs: Float64Array[] = [];
  for (let a = 0; a < actors; a++) {
    states.push(buildActor(layout, rand, a));
    outs.push(effective.subarray(a * axes, (a + 1) * axes));
  }
  return { layout, states, outs, effective, publicSlots, tiers: new Int32Array(actors * publicSlots.length) };
}

/** Random base values, a runtime override for 1 in 4, and one add, one multiply, one override on 3 distinct axes. */
function buildActor(layout: StatLayout, rand: Prng, index: number): StatState {
  const base: StatValues = {};
  for (const slot of layout.slots) (base[slot.definition] ??= {})[slot.axis] = slot.min + randInt(rand, slot.max - slot.min + 1);
  const state = createStatState(layout, mergeLayers(layout, [base]));
  if (index % 4 === 0) state.runtime[0] = randInt(rand, 100);
  const axes = layout.slots.map((_, i) => i);
  for (let k = 0; k < OPS.length; k++) {
    const [axis] = axes.splice(randInt(rand, axes.length), 1);
    const op = OPS[k]!;
    const value = op === "add" ? randInt(rand, 41) - 20 : op === "multiply" ? 0.5 + randInt(rand, 11) / 10 : randInt(rand, 101);
    const applied = applyModifier(layout, state, { source: `bench:${k}`, stat: layout.slots[axis!]!.key, op, value, duration: k === 0 ? "infinite" : { ticks: 1_000_000 } }, 0);
    if (!applied.ok) throw new Error(`bench modifier rejected: ${applied.problem}`);
  }
  return state;
}

/** The timed work: effective values and public tier indices for every actor. */
export function statsTick(rig: Rig): void {
  const { layout, states, outs, publicSlots, tiers } = rig;
  const count = states.length;
  const pub = publicSlots.length;
  for (let a = 0; a < count; a++) {
    const out = outs[a]!;
    computeEffective(layout, states[a]!, out);
    for (let p = 0; p < pub; p++) {
      const slot = publicSlots[p]!;
      tiers[a * pub + p] = tierIndex(layout, slot, out[slot]!);
    }
  }
}

/** The baseline: copy each actor's base values into the same output array. */
export function bareTick(rig: Rig): void {
  const { states, effective } = rig;
  const axes = rig.layout.slots.length;
  const count = states.length;
  for (let a = 0; a < count; a++) {
    const base = states[a]!.base;
    const offset = a * axes;
    for (let i = 0; i < axes; i++) effective[offset + i] = base[i]!;
  }
}

function checksumOf(rig: Rig): number {
  let sum = 0;
  for (let i = 0; i < rig.effective.length; i++) sum += rig.effective[i]!;
  for (let i = 0; i < rig.tiers.length; i++) sum += rig.tiers[i]!;
  return sum;
}

function runSize(size: StatsSize, config: StatsBenchConfig): StatsSizeResult {
  const rig = buildRig(size.actors, config.seed);
  const statsMs: number[] = [];
  const bareMs: number[] = [];
  let checksum = 0;
  const total = config.warmupTicks + size.measuredTicks;
  for (let t = 0; t < total; t++) {
    const timeStats = (): number => {
      const start = process.hrtime.bigint();
      statsTick(rig);
      const ms = elapsedMs(start, process.hrtime.bigint());
      if (t === total - 1) checksum = checksumOf(rig);
      return ms;
    };
    const timeBare = (): number => {
      const start = process.hrtime.bigint();
      bareTick(rig);
      return elapsedMs(start, process.hrtime.bigint());
    };
    let s: number;
    let b: number;
    if (t % 2 === 0) {
      b = timeBare();
      s = timeStats();
    } else {
      s = timeStats();
      b = timeBare();
    }
    if (t < config.warmupTicks) continue;
    statsMs.push(s);
    bareMs.push(b);
  }
  const tickMs = summarize(statsMs);
  const bare = summarize(bareMs);
  return {
    actors: size.actors,
    axes: rig.layout.slots.length,
    publicTieredAxes: rig.publicSlots.length,
    modifiersPerActor: OPS.length,
    warmupTicks: config.warmupTicks,
    measuredTicks: size.measuredTicks,
    tickMs,
    nsPerActor: (tickMs.median * 1e6) / size.actors,
    bare: { tickMs: bare, nsPerActor: (bare.median * 1e6) / size.actors },
    ratio: tickMs.median / bare.median,
    checksum,
  };
}
