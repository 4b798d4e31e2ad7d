/**
 * Plugin overhead benchmark (issue 9 "Benchmark"): the 10k-actor core tick alone, against the same
 * tick followed by its events published to 3 no-op plugins (loadtest/bench/noop-plugins/), each
 * subscribed to every core event type, loaded through the server's real plugin wiring
 * (src/server/plugin-wiring.ts: discovery, the host, per-plugin dispatch, fault guard and timing).
 *
 * Two simulations of the same dense world get the same inputs every tick, so they stay identical
 * (checked by their hashes); they alternate which runs first, so machine noise hits both alike.
 * Timed: `stepSimulation` for the core; `stepSimulation` + `bus.publish` for the plugged one. The
 * overhead is the median over ticks of (plugged − core) ÷ core, each tick's pair run back to back,
 * so the machine's drift between ticks cancels; the target is ≤ 10%. The ratio of the two medians
 * is printed too.
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
  /** (plugged − core) ÷ core, on medians. */
  overhead: number;
  /** (median plugged − median core) ÷ median core. */
  medianOverhead: number;
  hashesEqual: boolean;
}

const NOOP_PLUGINS = fileURLToPath(new URL("./noop-plugins", import.meta.url));

export async function runPluginBench(config: PluginBenchConfig): Promise<PluginBenchReport> {
  const { plugins, close } = await loadStandalonePlugins(NOOP_PLUGINS);
  const dense = buildDenseWorld(config.actors, config.seed);
  const core = createSimulation(createWorld(dense.def, plugins.rules));
  const plugged = createSimulation(createWorld(dense.def, plugins.rules));
  const bus = createEventBus();
  plugins.attach(bus, plugged.world);
  const ids = dense.def.npcs.map((npc) => npc.id);
  const field = coreField(core, ids);
  const planner = createPlanner(ids.length, { movers: 0.3, intoOccupied: 0.3 }, config.seed ^ 0x5eed);
  const coreMs: number[] = [];
  const pluggedMs: number[] = [];
  let events = 0;
  let pluginMs = 0;
  let hashesEqual = true;
  for (let t = 0; t < config.warmupTicks + config.measuredTicks; t++) {
    syncPositions(core, field);
    const inputs = toInputs(planner.plan(field), ids);
    submitAll(core, inputs);
    submitAll(plugged, inputs);
    let coreResult: TickResult | undefined;
    let pluggedResult: TickResult | undefined;
    const runCore = () => timeMs(() => (coreResult = stepSimulation(core)));
    const runPlugged = () => timeMs(() => bus.publish((pluggedResult = stepSimulation(plugged))));
    let coreTime: number;
    let pluggedTime: number;
    if (t % 2 === 0) {
      coreTime = runCore();
      pluggedTime = runPlugged();
    } else {
      pluggedTime = runPlugged();
      coreTime = runCore();
    }
    const spent = [...plugins.costs.drain().values()].reduce((sum, ms) => sum + ms, 0);
    hashesEqual &&= coreResult!.hash === pluggedResult!.hash;
    if (t < config.warmupTicks) continue;
    coreMs.push(coreTime);
    pluggedMs.push(pluggedTime);
    pluginMs += spent;
    events += coreResult!.events.length;
  }
  await close();
  const coreSummary = summarize(coreMs);
  const pluggedSummary = summarize(pluggedMs);
  return {
    config,
    plugins: plugins.host.list().map((p) => `${p.id}@${p.version}`),
    subscriptions: plugins.host.list().reduce((sum, p) => sum + p.eventSubscriptions.length, 0),
    eventsPerTick: events / config.measuredTicks,
    coreMs: coreSummary,
    pluggedMs: pluggedSummary,
    pluginMsPerTick: pluginMs / config.measuredTicks,
    overhead: summarize(coreMs.map((core, i) => (pluggedMs[i]! - core) / core)).median,
    medianOverhead: (pluggedSummary.median - coreSummary.median) / coreSummary.median,
    hashesEqual,
  };
}

function timeMs(run: () => unknown): number {
  const t0 = process.hrtime.bigint();
  run();
  return elapsedMs(t0, process.hrtime.bigint());
}
