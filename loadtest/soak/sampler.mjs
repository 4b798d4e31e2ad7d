// Reads the server's `/metrics` once per second of the soak (src/server/metrics.ts):
// - memory: `process_resident_memory_bytes` (RSS) and `nodejs_heap_size_used_bytes` (V8 heap used),
//   read as they are, and `nodejs_heap_size_total_bytes` (the heap V8 holds) and
//   `nodejs_external_memory_bytes` (buffers outside the heap), which tell what RSS is made of;
// - the tick: `arbiter_tick_duration_seconds` (one world tick's core step) and
//   `arbiter_patch_duration_seconds` (one patch to every client), histograms summed over worlds.
//   Each second's p50/p99 come from the deltas of the cumulative buckets since the previous read,
//   interpolated linearly inside a bucket as Prometheus's histogram_quantile does; a quantile in
//   the +Inf bucket reads as the largest finite bound (100 ms), marked `over`;
// - `arbiter_connected_clients`, the server's CPU (`process_cpu_seconds_total` delta, % of one
//   core) and the server's own reconnection counters;
// - major GCs: when `arbiter_major_gcs_total` moved since the previous read, the second gets how
//   many (`majorGcs`) and the heap used and RSS read right after the last of them
//   (`arbiter_heap_used_after_major_gc_bytes`, `arbiter_rss_after_major_gc_bytes`): the live set,
//   without the sawtooth of garbage the heap used carries between two major GCs.
// The runner's CPU (every thread: the bots) is sampled alongside: on a small machine the bots
// compete with the server for the cores.
//
// A read that fails or takes more than 900 ms leaves a gap (null) for that second; it never stops
// the run. runner/metrics-sampler.mjs sums every label set, buckets included, and keeps its reader
// private, so this sampler has its own, for the buckets.
import { cpuPercent, everySecond, parsePrometheus, scrapeMetrics } from "../runner/metrics-sampler.mjs";

export const HISTOGRAMS = { tick: "arbiter_tick_duration_seconds", patch: "arbiter_patch_duration_seconds" };
const GAUGES = {
  rssBytes: "process_resident_memory_bytes", heapUsedBytes: "nodejs_heap_size_used_bytes", heapTotalBytes: "nodejs_heap_size_total_bytes",
  externalBytes: "nodejs_external_memory_bytes", serverClients: "arbiter_connected_clients",
};
const COUNTERS = { serverReconnections: "arbiter_reconnections_total", serverWindowsExpired: "arbiter_reconnect_windows_expired_total" };
const MAJOR_GC = { count: "arbiter_major_gcs_total", heapUsedBytes: "arbiter_heap_used_after_major_gc_bytes", rssBytes: "arbiter_rss_after_major_gc_bytes" };
const MB = 2 ** 20;

/** Cumulative bucket counts of one histogram, summed over label sets: Map<le, count>. */
export function parseBuckets(text, name) {
  const buckets = new Map();
  const prefix = `${name}_bucket{`;
  for (const line of text.split("\n")) {
    if (!line.startsWith(prefix)) continue;
    const match = /le="([^"]+)"[^}]*\}\s+(\S+)/.exec(line);
    if (!match) continue;
    const le = match[1] === "+Inf" ? Infinity : Number(match[1]);
    buckets.set(le, (buckets.get(le) ?? 0) + Number(match[2]));
  }
  return buckets;
}

/**
 * The q-quantile (0–1) in ms of one interval's cumulative bucket deltas (bounds in seconds,
 * ascending, the last Infinity): { ms, over } or null when no observation.
 */
export function bucketQuantile(bounds, cumulative, q) {
  const total = cumulative[cumulative.length - 1];
  if (!total) return null;
  const rank = q * total;
  const i = cumulative.findIndex((c) => c >= rank);
  if (bounds[i] === Infinity) return { ms: bounds[i - 1] * 1000, over: true };
  const lower = i === 0 ? 0 : bounds[i - 1];
  const below = i === 0 ? 0 : cumulative[i - 1];
  const inBucket = cumulative[i] - below;
  const ms = (lower + (bounds[i] - lower) * (inBucket > 0 ? (rank - below) / inBucket : 1)) * 1000;
  return { ms, over: false };
}

/**
 * Starts sampling; returns { bounds, stop(): Promise<samples> } where samples[k] is second k after
 * t0: { t, rssMB, heapUsedMB, heapTotalMB, externalMB, serverClients, serverCpuPct, runnerCpuPct,
 * tick, patch, serverReconnections, serverWindowsExpired, majorGc }; tick and patch are { count,
 * p50, p99, over, cumulative } (cumulative: that second's bucket deltas, for per-minute quantiles),
 * or null; majorGc is { count, heapUsedMB, rssMB } in a second where major GCs happened (memory
 * after the last of them), else null.
 */
export function startSoakSampler({ httpBase, auth, t0 }) {
  const samples = [];
  const bounds = {};
  let previous;
  let previousRunner = { at: performance.now(), usage: process.cpuUsage() };
  async function readOnce(k) {
    const runner = { at: performance.now(), usage: process.cpuUsage() };
    const sample = { t: k, rssMB: null, heapUsedMB: null, heapTotalMB: null, externalMB: null, serverClients: null, serverCpuPct: null, runnerCpuPct: cpuPercent(previousRunner, runner), tick: null, patch: null, serverReconnections: null, serverWindowsExpired: null, majorGc: null };
    previousRunner = runner;
    const current = auth ? await readMetrics(httpBase, auth) : null;
    if (current) {
      sample.rssMB = inMB(current.values.get(GAUGES.rssBytes));
      sample.heapUsedMB = inMB(current.values.get(GAUGES.heapUsedBytes));
      sample.heapTotalMB = inMB(current.values.get(GAUGES.heapTotalBytes));
      sample.externalMB = inMB(current.values.get(GAUGES.externalBytes));
      sample.serverClients = current.values.get(GAUGES.serverClients) ?? null;
    }
    if (current && previous) Object.assign(sample, deltas(current, previous, bounds));
    previous = current ?? previous;
    if (k >= 0) samples[k] = sample;
  }

  const clock = everySecond(t0, readOnce);

  return {
    bounds,
    async stop() {
      clock.stop();
      return Array.from({ length: samples.length }, (_, k) => samples[k] ?? { t: k });
    },
  };
}

/** The second's histogram quantiles, server CPU and counter deltas; a counter that went back is a gap. */
function deltas(current, previous, bounds) {
  const out = {};
  const dt = (current.at - previous.at) / 1000;
  const cpu = current.values.get("process_cpu_seconds_total") - previous.values.get("process_cpu_seconds_total");
  out.serverCpuPct = Number.isFinite(cpu) && cpu >= 0 ? (100 * cpu) / dt : null;
  for (const [key, name] of Object.entries(COUNTERS)) {
    const d = (current.values.get(name) ?? 0) - (previous.values.get(name) ?? 0);
    out[key] = d >= 0 ? d : null;
  }
  out.majorGc = majorGcOf(current, previous);
  for (const [key, name] of Object.entries(HISTOGRAMS)) {
    const now = current.buckets[key];
    const before = previous.buckets[key];
    // A world's series appear with its first tick: no buckets before any room runs.
    if (now.size === 0) continue;
    bounds[key] ??= [...now.keys()].sort((a, b) => a - b);
    const cumulative = bounds[key].map((le) => (now.get(le) ?? 0) - (before.get(le) ?? 0));
    if (cumulative.some((d) => d < 0)) continue;
    const p50 = bucketQuantile(bounds[key], cumulative, 0.5);
    const p99 = bucketQuantile(bounds[key], cumulative, 0.99);
    out[key] = { count: cumulative[cumulative.length - 1], p50: p50?.ms ?? null, p99: p99?.ms ?? null, over: Boolean(p99?.over), cumulative };
  }
  return out;
}

/** The major GCs since the previous read and the memory after the last one; null when none (or no such metric). */
function majorGcOf(current, previous) {
  const count = current.values.get(MAJOR_GC.count) - previous.values.get(MAJOR_GC.count);
  if (!(count > 0)) return null;
  return { count, heapUsedMB: inMB(current.values.get(MAJOR_GC.heapUsedBytes)), rssMB: inMB(current.values.get(MAJOR_GC.rssBytes)) };
}

const inMB = (bytes) => (Number.isFinite(bytes) ? bytes / MB : null);

async function readMetrics(httpBase, auth) {
  const scraped = await scrapeMetrics(httpBase, auth);
  if (scraped === null) return null;
  const buckets = Object.fromEntries(Object.entries(HISTOGRAMS).map(([key, name]) => [key, parseBuckets(scraped.text, name)]));
  return { at: scraped.at, values: parsePrometheus(scraped.text), buckets };
}

