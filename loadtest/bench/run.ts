/**
 * `npm run bench`: Arbiter's benchmarks. Not a test: it prints figures and writes them as JSON to
 * bench-results/<section>.json (git-ignored) for comparison between runs.
 *
 * Each section measures one layer and says in its header exactly what it times. Sections so far:
 * - core: the simulation core alone (core.ts).
 * - stats: effective-stat computation alone (stats-bench.ts; stats.ts holds the summary helpers).
 * - sync: one room tick with state sync for many clients, with and without area of interest (sync-bench.ts).
 * - journal: tick journal persistence through the SQLite store (journal-bench.ts).
 * - plugins: the 10k-actor core tick with 3 no-op plugins subscribed to every event (plugin-bench.ts).
 * Add a section by appending to SECTIONS. `npm run bench -- core` runs only the named sections.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_CORE_CONFIG, TARGET, runCoreBench } from "./core.ts";
import { formatCoreHeader, formatCoreReport } from "./core-report.ts";
import { DEFAULT_STATS_BENCH_CONFIG, STATS_TARGET, runStatsBench } from "./stats-bench.ts";
import { formatStatsHeader, formatStatsReport } from "./stats-report.ts";
import { DEFAULT_JOURNAL_CONFIG, JOURNAL_TARGET, runJournalBench } from "./journal-bench.ts";
import { formatJournalHeader, formatJournalTable, formatJournalTargets } from "./journal-report.ts";
import { DEFAULT_SYNC_CONFIG, SYNC_ANCHOR, SYNC_TARGET, runSyncBench } from "./sync-bench.ts";
import { formatSyncBytesTable, formatSyncHeader, formatSyncMemoryTable, formatSyncNotes, formatSyncRatioTable, formatSyncStockTable, formatSyncTargets, formatSyncTimingTable } from "./sync-report.ts";
import { DEFAULT_PLUGIN_CONFIG, PLUGIN_TARGET, runPluginBench } from "./plugin-bench.ts";
import { DEFAULT_INTERACTIONS_CONFIG, INTERACTIONS_TARGET, runInteractionsBench } from "./interactions-bench.ts";
import { countLabel, fixed } from "./table.ts";

interface Section {
  name: string;
  /** Runs the section, printing as it goes; returns the figures to store as JSON. */
  run(): object | Promise<object>;
}

const SECTIONS: readonly Section[] = [
  { name: "core", run: runCoreSection },
  { name: "stats", run: runStatsSection },
  { name: "sync", run: runSyncSection },
  { name: "journal", run: runJournalSection },
  { name: "plugins", run: runPluginSection },
  { name: "interactions", run: runInteractionsSection },
];

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULTS_DIR = join(REPO_ROOT, "bench-results");

function runCoreSection(): object {
  const config = DEFAULT_CORE_CONFIG;
  console.log(formatCoreHeader({ config, target: TARGET }));
  console.log("");
  const report = runCoreBench(config, (r) => {
    console.log(`  ${countLabel(r.actors)} actors done: median ${fixed(r.stepMs.median, 3)} ms, p99 ${fixed(r.stepMs.p99, 3)} ms`);
  });
  console.log("");
  console.log(formatCoreReport(report));
  return report;
}

async function runPluginSection(): Promise<object> {
  const config = DEFAULT_PLUGIN_CONFIG;
  console.log("plugins: the core tick at 10k actors, alone and followed by its events published to 3 no-op plugins");
  console.log(`(each subscribed to every core event type, through the server's plugin wiring); ${config.measuredTicks} ticks after ${config.warmupTicks} warm-up, the order of the simulations rotating.`);
  const r = await runPluginBench(config);
  console.log("");
  console.log(`plugins: ${r.plugins.join(", ")} (${r.subscriptions} subscriptions), ${fixed(r.eventsPerTick, 0)} events per tick`);
  console.log(`core tick       median ${fixed(r.coreMs.median, 3)} ms   p99 ${fixed(r.coreMs.p99, 3)} ms`);
  console.log(`core + plugins  median ${fixed(r.pluggedMs.median, 3)} ms   p99 ${fixed(r.pluggedMs.p99, 3)} ms`);
  console.log(`publish to the plugins  median ${fixed(r.publishMs.median, 3)} ms   p99 ${fixed(r.publishMs.p99, 3)} ms   (inside the plugins, as the server measures it: ${fixed(r.pluginMsPerTick, 3)} ms per tick)`);
  console.log(`state hashes equal in both every tick: ${r.hashesEqual ? "yes" : "NO"}`);
  console.log(`cross-check, plugged vs plugin-free simulation: ${fixed(r.pairedOverhead * 100, 1)}% (median of per-tick pairs), ${fixed(r.medianOverhead * 100, 1)}% (of the medians); noise floor, plugin-free vs plugin-free: ${fixed(r.floorPaired * 100, 1)}%, ${fixed(r.floorMedian * 100, 1)}%`);
  const verdict = r.overhead <= PLUGIN_TARGET.maxOverhead ? "MET   " : "MISSED";
  console.log(`${verdict} plugin overhead: ${fixed(r.overhead * 100, 1)}% of the core tick (publish ÷ its own tick's step: median per tick ${fixed(r.publishRatioMedian * 100, 1)}%, of the sums ${fixed(r.publishRatioTotal * 100, 1)}%; the larger; target ≤ ${PLUGIN_TARGET.maxOverhead * 100}%)`);
  return r;
}

async function runInteractionsSection(): Promise<object> {
  const config = DEFAULT_INTERACTIONS_CONFIG;
  console.log(`interactions: ${config.npcs + config.players} actors (${config.npcs} NPCs, ${config.players} players), each player one interaction per tick (pickpocket, talk, give_item in turn),`);
  console.log(`through the shipped plugins; ${config.measuredTicks} ticks after ${config.warmupTicks} warm-up, the order of the three simulations rotating.`);
  const r = await runInteractionsBench(config);
  console.log("");
  console.log(`plugins: ${r.plugins.join(", ")}`);
  console.log(`core tick (moves only)        median ${fixed(r.coreMs.median, 3)} ms   p99 ${fixed(r.coreMs.p99, 3)} ms`);
  console.log(`core tick + 1,000 interactions median ${fixed(r.busyMs.median, 3)} ms   p99 ${fixed(r.busyMs.p99, 3)} ms   (inside the plugins, as the server measures it: ${fixed(r.pluginMsPerTick, 3)} ms per tick)`);
  console.log(`after each tick, the audit rows' transaction (in-memory SQLite): median ${fixed(r.afterTickMs.median, 3)} ms, outside the tick`);
  console.log(`outcomes per tick: ${Object.entries(r.outcomesPerTick).map(([k, n]) => `${k} ${fixed(n, 1)}`).join(", ")}`);
  console.log(`cross-check: paired per-tick median ${fixed(r.pairedAddedMs, 3)} ms; noise floor (twin vs core, no interactions) ${fixed(r.floorAddedMs, 3)} ms; twin hashes equal: ${r.hashesEqual ? "yes" : "NO"}`);
  const verdict = r.addedMs <= INTERACTIONS_TARGET.maxAddedMs ? "MET   " : "MISSED";
  console.log(`${verdict} 1,000 interactions add ${fixed(r.addedMs, 3)} ms to the core tick median (ratio ${fixed(r.busyMs.median / r.coreMs.median, 2)}×; target ≤ ${INTERACTIONS_TARGET.maxAddedMs} ms)`);
  return r;
}

function runStatsSection(): object {
  const config = DEFAULT_STATS_BENCH_CONFIG;
  console.log(formatStatsHeader({ config, target: STATS_TARGET }));
  console.log("");
  const report = runStatsBench(config, (r) => {
    console.log(`  ${countLabel(r.actors)} actors done: median ${fixed(r.tickMs.median, 3)} ms, p99 ${fixed(r.tickMs.p99, 3)} ms`);
  });
  console.log("");
  console.log(formatStatsReport(report));
  return report;
}

async function runSyncSection(): Promise<object> {
  const config = DEFAULT_SYNC_CONFIG;
  console.log(formatSyncHeader({ config, target: SYNC_TARGET, anchor: SYNC_ANCHOR }));
  console.log("");
  const report = await runSyncBench(config, (r) => {
    const none = r.none ? `, no-AOI ${fixed(r.none.ms.fullTick.median, 2)} ms` : "";
    console.log(`  ${countLabel(r.actors)} actors × ${r.clients} clients done: full tick AOI ${fixed(r.aoi.ms.fullTick.median, 2)} ms${none}`);
  });
  console.log("");
  console.log(formatSyncTimingTable(report.results));
  console.log("");
  console.log(formatSyncBytesTable(report.results));
  console.log("");
  console.log(formatSyncRatioTable(report.results));
  console.log("");
  console.log(formatSyncStockTable(report.results));
  console.log("");
  console.log(formatSyncMemoryTable(report));
  console.log("");
  console.log(formatSyncTargets(report));
  console.log("");
  console.log(formatSyncNotes(report));
  return report;
}

async function runJournalSection(): Promise<object> {
  const config = DEFAULT_JOURNAL_CONFIG;
  console.log(formatJournalHeader({ config, target: JOURNAL_TARGET }));
  console.log("");
  const report = await runJournalBench(config, (r) => {
    console.log(`  ${countLabel(r.actors)} actors done: commit p50 ${fixed(r.perTick.commitMs.median, 3)} ms, p99 ${fixed(r.perTick.commitMs.p99, 3)} ms per tick`);
  });
  console.log("");
  console.log(formatJournalTable(report.results));
  console.log("");
  console.log(formatJournalTargets(report));
  return report;
}

function environment(): Record<string, unknown> {
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${platform()} ${release()}`,
    cpu: cpus()[0]?.model ?? "unknown",
    cpuCount: cpus().length,
    /** 1/5/15-minute load averages when the section finished: other work on the machine skews timings. */
    loadAverage: loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

function writeResults(name: string, figures: object): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ section: name, environment: environment(), ...figures }, null, 2)}\n`);
  console.log(`\nwrote ${relative(process.cwd(), file) || file}`);
}

async function main(argv: readonly string[]): Promise<void> {
  const wanted = argv.length > 0 ? new Set(argv) : null;
  const unknown = argv.filter((name) => !SECTIONS.some((s) => s.name === name));
  if (unknown.length > 0) throw new Error(`unknown bench section(s): ${unknown.join(", ")} (known: ${SECTIONS.map((s) => s.name).join(", ")})`);
  const env = environment();
  console.log(`Arbiter bench — node ${env.node}, ${env.cpuCount}× ${env.cpu}, load average ${loadavg()[0]!.toFixed(2)} at start\n`);
  for (const section of SECTIONS) {
    if (wanted && !wanted.has(section.name)) continue;
    writeResults(section.name, await section.run());
  }
}

await main(process.argv.slice(2));
