/**
 * Plugin overhead benchmark (issue 9 "Benchmark"): the 10k-actor core tick alone, against the same
 * tick followed by its events published to 3 no-op plugins (loadtest/bench/noop-plugins/), each
 * subscribed to every core event type, loaded through the server's real plugin wiring
 * (src/server/plugin-wiring.ts: discovery, the host, per-plugin dispatch, fault guard and timing).
 *
 * Three simulations of the same dense world get the same inputs every tick, so they stay identical
 * (checked by their hashes): two plugin-free ones and the plugged one. Their order rotates every
 * tick, so machine noise hits them alike.
 *
 * The verdict (target ≤ 10%) is measured directly in the plugged simulation: each tick, the time
 * of `bus.publish` (reading the event types, the three plugins' passes, their timers and fault
 * guards) over the time of its own `stepSimulation`, the tick it follows. The larger of the median
 * of those per-tick ratios and the ratio of their sums is the figure. The plugin-free simulation is
 * the cross-check: (plugged step + publish − core step) ÷ core step, per-tick median, and the ratio
 * of the medians, printed beside the same figures for the second plugin-free simulation against the
 * first: the noise floor of a difference of two runs in this process.
 */
import { fileURLToPath } from "node:url";
import { createEventBus, createSimulation, createWorld, stepSimulation, type TickResult } from "../../src/core/index.ts";
import { loadStandalonePlugins } from "../../src/server/standalone-plugins.ts";
import { coreField, submitAll, syncPositions, toInputs } from "./core.ts";
import { buildDenseWorld } from "./dense-world.ts";
import { createPlanner } from "./mover-plan.ts";
import { elapsedMs, summarize, type Summary } from "./stats.ts";

export const PLUGIN_TARGET = { actors: 10_000, maxOverhead: 0.1 } as const;

export interface PluginBenchConfig {
  actors: number;
  warmupTicks: number;
  measuredTicks: number;
  seed: number;
}

export const DEFAULT_PLUGIN_CONFIG: PluginBenchConfig = { actors: 10_000, warmupTicks: 50, measuredTicks: 500, seed: 20_240_601 };

export interface PluginBenchReport {
  config: PluginBenchConfig;
  plugins: string[];
  subscriptions: number;
  eventsPerTick: number;
  coreMs: Summary;
  pluggedMs: Summary;
  /** What the wiring measured inside the plugins, ms per tick (all three). */
  pluginMsPerTick: number;
  /** `bus.publish` time ÷ the same tick's step, in the plugged simulation. */
  publishMs: Summary;
  /** Median of per-tick publish ÷ step. */
  publishRatioMedian: number;
  /** Sum of publish ÷ sum of step. */
  publishRatioTotal: number;
  /** The verdict's figure: the larger of the two above. */
  overhead: number;
  /** Cross-check: median over ticks of (plugged − core) ÷ core across the two simulations. */
  pairedOverhead: number;
  /** Cross-check: (median plugged − median core) ÷ median core. */
  medianOverhead: number;
  /** The noise floor: the two cross-check figures for the second plugin-free simulation. */
  floorPaired: number;
  floorMedian: number;
  hashesEqual: boolean;
}

const NOOP_PLUGINS = fileURLToPath(new URL("./noop-plugins", import.meta.url));

export async function runPluginBench(config: PluginBenchConfig): Promise<PluginBenchReport> {
  const { plugins, close } = await loadStandalonePlugins(NOOP_PLUGINS);
  const dense = buildDenseWorld(config.actors, config.seed);
  const core = createSimulation(createWorld(dense.def, plugins.rules));
  const twin = createSimulation(createWorld(dense.def, plugins.rules));
  const plugged = createSimulation(createWorld(dense.def, plugins.rules));
  const bus = createEventBus();
  plugins.attach(bus, plugged.world);
  const ids = dense.def.npcs.map((npc) => npc.id);
  const field = coreField(core, ids);
  const planner = createPlanner(ids.length, { movers: 0.3, intoOccupied: 0.3 }, config.seed ^ 0x5eed);
  const coreMs: number[] = [];
  const pluggedMs: number[] = [];
  const twinMs: number[] = [];
  const stepMs: number[] = [];
  const publishMs: number[] = [];
  let events = 0;
  let pluginMs = 0;
  let hashesEqual = true;
  for (let t = 0; t < config.warmupTicks + config.measuredTicks; t++) {
    syncPositions(core, field);
    const inputs = toInputs(planner.plan(field), ids);
    submitAll(core, inputs);
    submitAll(twin, inputs);
    submitAll(plugged, inputs);
    let coreResult: TickResult | undefined;
    let twinResult: TickResult | undefined;
    let pluggedResult: TickResult | undefined;
    let coreTime = 0;
    let twinTime = 0;
    let pluggedTime = 0;
    const runCore = () => void (coreTime = timeMs(() => (coreResult = stepSimulation(core))));
    const runTwin = () => void (twinTime = timeMs(() => (twinResult = stepSimulation(twin))));
    let stepTime = 0;
    let publishTime = 0;
    const runPlugged = (): void => {
      const t0 = process.hrtime.bigint();
      pluggedResult = stepSimulation(plugged);
      const t1 = process.hrtime.bigint();
      bus.publish(pluggedResult);
      const t2 = process.hrtime.bigint();
      stepTime = elapsedMs(t0, t1);
      publishTime = elapsedMs(t1, t2);
      pluggedTime = elapsedMs(t0, t2);
    };
    const order = [runCore, runTwin, runPlugged];
    for (let k = 0; k < order.length; k++) order[(t + k) % order.length]!();
    const spent = [...plugins.costs.drain().values()].reduce((sum, ms) => sum + ms, 0);
    hashesEqual &&= coreResult!.hash === pluggedResult!.hash && twinResult!.hash === coreResult!.hash;
    if (t < config.warmupTicks) continue;
    coreMs.push(coreTime);
    pluggedMs.push(pluggedTime);
    twinMs.push(twinTime);
    stepMs.push(stepTime);
    publishMs.push(publishTime);
    pluginMs += spent;
    events += coreResult!.events.length;
  }
  await close();
  const coreSummary = summarize(coreMs);
  const pluggedSummary = summarize(pluggedMs);
  const publishRatioMedian = summarize(stepMs.map((step, i) => publishMs[i]! / step)).median;
  const publishRatioTotal = sum(publishMs) / sum(stepMs);
  return {
    config,
    plugins: plugins.host.list().map((p) => `${p.id}@${p.version}`),
    subscriptions: plugins.host.list().reduce((sum, p) => sum + p.eventSubscriptions.length, 0),
    eventsPerTick: events / config.measuredTicks,
    coreMs: coreSummary,
    pluggedMs: pluggedSummary,
    pluginMsPerTick: pluginMs / config.measuredTicks,
    publishMs: summarize(publishMs),
    publishRatioMedian,
    publishRatioTotal,
    overhead: Math.max(publishRatioMedian, publishRatioTotal),
    pairedOverhead: summarize(coreMs.map((core, i) => (pluggedMs[i]! - core) / core)).median,
    medianOverhead: (pluggedSummary.median - coreSummary.median) / coreSummary.median,
    floorPaired: summarize(coreMs.map((core, i) => (twinMs[i]! - core) / core)).median,
    floorMedian: (summarize(twinMs).median - coreSummary.median) / coreSummary.median,
    hashesEqual,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

function timeMs(run: () => unknown): number {
  const t0 = process.hrtime.bigint();
  run();
  return elapsedMs(t0, process.hrtime.bigint());
}
