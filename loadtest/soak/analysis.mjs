// What a soak's per-second series says: memory growth after the warm-up, tick time per minute,
// and the run's totals.
//
// Growth (the verdict) is judged on memory read right after V8's major GCs (mark-sweep-compact;
// the server's `arbiter_*_after_major_gc_bytes`, sampler.mjs `majorGc`): the heap used then is the
// live set, and RSS then is the process without the garbage promoted since the last major GC. The
// heap used at a random second is not: it climbs with promoted garbage until the next major GC
// (tens of MB, over seconds to minutes), so two windows of it compare phases of that sawtooth, not
// the live set (the 30-minute run of 2026-11-30 read +18% that way on a flat live set).
//
// The rule: the time after the warm-up is cut in thirds; the readings of the first third and of
// the last third (a second with major GCs is one reading, taken after its last GC) are reduced to
// their medians, and growth is the change from the first median to the last, as % of the first.
// Each third needs at least 2 readings, else the verdict is "NOT ENOUGH MAJOR GCS" (a run that is
// too short, or a server without the metric). Thirds rather than a minute at each end: a few major
// GCs a minute is typical at 200 bots, but an idle server may go minutes without one, and the
// median of several readings is not moved by one GC that ran while a burst was in flight. The
// goal is growth ≤ 5% for both the live heap and RSS.
//
// For information, beside it: the earlier figure, the median of RSS (or heap used) over the first
// window after the warm-up against the median over the last window (60 s, or a third of the time
// after the warm-up when shorter), and a least-squares line through every second after the
// warm-up (its slope per hour, and what it adds over the time after the warm-up, as % of the first
// window's median).
import { bucketQuantile } from "./sampler.mjs";

export const GOAL_PCT = 5;
const WINDOW_S = 60;
/** Readings (seconds with a major GC) each third after the warm-up must hold to be judged. */
export const MIN_GC_READINGS = 2;

/** Median of the finite values; null when there are none. */
export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function mean(values) {
  const present = values.filter((v) => Number.isFinite(v));
  return present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
}

/** Least-squares slope (value per second) of [t, value] points; null under 2 points. */
function slopeOf(points) {
  if (points.length < 2) return null;
  const mt = mean(points.map(([t]) => t));
  const mv = mean(points.map(([, v]) => v));
  let num = 0;
  let den = 0;
  for (const [t, v] of points) {
    num += (t - mt) * (v - mv);
    den += (t - mt) ** 2;
  }
  return den > 0 ? num / den : null;
}

/**
 * Growth of series[key] from the warm-up's end (second `from`) to the end (second `to`, exclusive):
 * { windowS, firstMedian, lastMedian, pct, slopePctPerHour, fitPct, met } (figures null when the
 * samples are missing).
 */
export function growthOf(series, key, { from, to }) {
  const windowS = Math.max(1, Math.min(WINDOW_S, Math.floor((to - from) / 3)));
  const values = (a, b) => series.slice(a, b).map((s) => s[key]);
  const firstMedian = median(values(from, from + windowS));
  const lastMedian = median(values(to - windowS, to));
  const pct = firstMedian && lastMedian !== null ? (100 * (lastMedian - firstMedian)) / firstMedian : null;
  const points = series.slice(from, to).filter((s) => Number.isFinite(s[key])).map((s) => [s.t, s[key]]);
  const slope = slopeOf(points);
  const relative = (perSecond, seconds) => (slope === null || !firstMedian ? null : (100 * perSecond * seconds) / firstMedian);
  return {
    windowS, firstMedian, lastMedian, pct,
    slopePctPerHour: relative(slope, 3600),
    fitPct: relative(slope, to - from),
    met: pct === null ? null : pct <= GOAL_PCT,
  };
}

/**
 * Growth of the memory read after major GCs (`majorGc[key]`, key "heapUsedMB" or "rssMB") from the
 * first third of seconds [from, to) to the last: { first, last, pct, met } where first and last are
 * { fromS, toS, readings, median } (median null under MIN_GC_READINGS readings: pct and met are
 * then null).
 */
export function postGcGrowthOf(series, key, { from, to }) {
  const third = (to - from) / 3;
  const part = (a, b) => {
    const values = series.slice(Math.round(a), Math.round(b)).filter((s) => s.majorGc).map((s) => s.majorGc[key]).filter(Number.isFinite);
    return { fromS: Math.round(a), toS: Math.round(b), readings: values.length, median: values.length >= MIN_GC_READINGS ? median(values) : null };
  };
  const first = part(from, from + third);
  const last = part(to - third, to);
  const pct = first.median && last.median !== null ? (100 * (last.median - first.median)) / first.median : null;
  return { first, last, pct, met: pct === null ? null : pct <= GOAL_PCT };
}

/**
 * What RSS is made of in the first and the last third after the warm-up (information): medians of
 * V8's heap total (the heap it holds, garbage and free pages included) and of RSS minus it (code,
 * native memory, buffers, other threads' heaps), MB: { first: { heapTotalMB, outsideHeapMB }, last }.
 */
export function rssPartsOf(series, { from, to }) {
  const third = Math.round((to - from) / 3);
  const part = (a, b) => {
    const seconds = series.slice(a, b).filter((s) => Number.isFinite(s.rssMB) && Number.isFinite(s.heapTotalMB));
    return { heapTotalMB: median(seconds.map((s) => s.heapTotalMB)), outsideHeapMB: median(seconds.map((s) => s.rssMB - s.heapTotalMB)) };
  };
  return { first: part(from, from + third), last: part(to - third, to) };
}

/** p50 and p99 (ms) of a histogram over seconds [from, to): cumulative deltas summed. */
export function histogramOver(series, key, bounds, from, to) {
  if (!bounds?.length) return { count: 0, p50: null, p99: null, over: false };
  const sum = bounds.map(() => 0);
  for (const s of series.slice(from, to)) s[key]?.cumulative.forEach((c, i) => (sum[i] += c));
  const p50 = bucketQuantile(bounds, sum, 0.5);
  const p99 = bucketQuantile(bounds, sum, 0.99);
  return { count: sum[sum.length - 1], p50: p50?.ms ?? null, p99: p99?.ms ?? null, over: Boolean(p99?.over) };
}

const sumOf = (rows, key) => rows.reduce((a, s) => a + (s.counts?.[key] ?? 0), 0);

/** One row per minute of the run: memory medians (of every second, and of the readings after major GCs), tick and patch quantiles, clients, CPU, counts. */
export function minuteRows(series, bounds, warmupSeconds) {
  const rows = [];
  for (let from = 0; from < series.length; from += 60) {
    const part = series.slice(from, from + 60);
    const tick = histogramOver(series, "tick", bounds.tick, from, from + 60);
    const patch = histogramOver(series, "patch", bounds.patch, from, from + 60);
    const gcs = part.filter((s) => s.majorGc);
    rows.push({
      minute: from / 60, seconds: part.length, warmup: from < warmupSeconds,
      rssMB: median(part.map((s) => s.rssMB)), heapUsedMB: median(part.map((s) => s.heapUsedMB)),
      majorGcs: gcs.reduce((n, s) => n + s.majorGc.count, 0),
      heapAfterGcMB: median(gcs.map((s) => s.majorGc.heapUsedMB)), rssAfterGcMB: median(gcs.map((s) => s.majorGc.rssMB)),
      tickP50: tick.p50, tickP99: tick.p99, tickOver: tick.over, ticks: tick.count,
      tickP99MaxSecond: part.reduce((m, s) => (Number.isFinite(s.tick?.p99) ? Math.max(m ?? 0, s.tick.p99) : m), null),
      patchP99: patch.p99,
      connected: median(part.map((s) => s.connected)), serverClients: median(part.map((s) => s.serverClients)),
      serverCpuPct: mean(part.map((s) => s.serverCpuPct)), runnerCpuPct: mean(part.map((s) => s.runnerCpuPct)),
      drops: sumOf(part, "drops"), reconnectOk: sumOf(part, "reconnectOk"), reconnectFailed: sumOf(part, "reconnectFailed"),
      interactSent: sumOf(part, "interactSent"), interactReplies: sumOf(part, "interactSuccess") + sumOf(part, "interactFailure"), interactRefused: sumOf(part, "interactRefused"),
      errors: sumOf(part, "errors"), disconnects: sumOf(part, "disconnects"),
    });
  }
  return rows;
}

/** Every counter summed over the run, and every table merged. */
export function totalsOf(series) {
  const counts = {};
  const tables = {};
  for (const s of series) {
    for (const [key, n] of Object.entries(s.counts ?? {})) counts[key] = (counts[key] ?? 0) + n;
    for (const [table, entries] of Object.entries(s.tables ?? {})) {
      const into = (tables[table] ??= {});
      for (const [key, n] of Object.entries(entries)) into[key] = (into[key] ?? 0) + n;
    }
  }
  const serverSum = (key) => series.reduce((a, s) => a + (Number.isFinite(s[key]) ? s[key] : 0), 0);
  return { counts, tables, serverReconnections: serverSum("serverReconnections"), serverWindowsExpired: serverSum("serverWindowsExpired") };
}

/**
 * The whole analysis: { warmupSeconds, seconds, afterGc: { heap, rss, majorGcs, rssParts }, rss, heap,
 * verdict, tick, patch, minutes, totals }. afterGc holds the judged growth (postGcGrowthOf), the
 * major GCs counted after the warm-up and what RSS is made of (rssPartsOf, information); rss and
 * heap the window medians (growthOf), for information.
 * verdict: "MET" | "MISSED" | "NOT ENOUGH MAJOR GCS" | "NOT MEASURED" (no memory samples:
 * --endpoint without credentials, or a run cut short before the end of its warm-up).
 */
export function analyze({ series, bounds, warmupSeconds }) {
  const to = series.length;
  const from = Math.min(warmupSeconds, to);
  const measurable = to - from >= 3 && series.slice(from, to).some((s) => Number.isFinite(s.rssMB));
  const rss = measurable ? growthOf(series, "rssMB", { from, to }) : null;
  const heap = measurable ? growthOf(series, "heapUsedMB", { from, to }) : null;
  const afterGc = measurable
    ? {
        heap: postGcGrowthOf(series, "heapUsedMB", { from, to }),
        rss: postGcGrowthOf(series, "rssMB", { from, to }),
        majorGcs: series.slice(from, to).reduce((n, s) => n + (s.majorGc?.count ?? 0), 0),
        rssParts: rssPartsOf(series, { from, to }),
      }
    : null;
  const judged = [afterGc?.heap.met, afterGc?.rss.met];
  const verdict = !afterGc ? "NOT MEASURED" : judged.some((m) => m === null) ? "NOT ENOUGH MAJOR GCS" : judged.every(Boolean) ? "MET" : "MISSED";
  return {
    warmupSeconds, seconds: to, afterGc, rss, heap, verdict,
    tick: histogramOver(series, "tick", bounds.tick, from, to),
    patch: histogramOver(series, "patch", bounds.patch, from, to),
    minutes: minuteRows(series, bounds, warmupSeconds),
    totals: totalsOf(series),
  };
}
