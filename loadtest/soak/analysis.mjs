// What a soak's per-second series says: memory growth after the warm-up, tick time per minute,
// and the run's totals.
//
// Growth (the verdict's figure) compares medians: the median of RSS (or heap used) over the first
// window after the warm-up against its median over the last window of the run, as a percentage of
// the first. The window is 60 s, or a third of the time after the warm-up when that is shorter.
// Medians of a window are not moved by one GC's sawtooth or a single slow read. A least-squares
// line through every second after the warm-up is given beside it (its slope per hour, and what it
// adds over the time after the warm-up, as % of the first window's median); it is information,
// not the verdict. The goal is growth ≤ 5% for both RSS and heap.
import { bucketQuantile } from "./sampler.mjs";

export const GOAL_PCT = 5;
const WINDOW_S = 60;

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

/** One row per minute of the run: memory medians, tick and patch quantiles, clients, CPU, counts. */
export function minuteRows(series, bounds, warmupSeconds) {
  const rows = [];
  for (let from = 0; from < series.length; from += 60) {
    const part = series.slice(from, from + 60);
    const tick = histogramOver(series, "tick", bounds.tick, from, from + 60);
    const patch = histogramOver(series, "patch", bounds.patch, from, from + 60);
    rows.push({
      minute: from / 60, seconds: part.length, warmup: from < warmupSeconds,
      rssMB: median(part.map((s) => s.rssMB)), heapUsedMB: median(part.map((s) => s.heapUsedMB)),
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
 * The whole analysis: { warmupSeconds, seconds, rss, heap, verdict, tick, patch, minutes, totals }.
 * verdict: "MET" | "MISSED" | "NOT MEASURED" (no memory samples: --endpoint without credentials, or
 * a run cut short before the end of its warm-up).
 */
export function analyze({ series, bounds, warmupSeconds }) {
  const to = series.length;
  const from = Math.min(warmupSeconds, to);
  const measurable = to - from >= 3;
  const rss = measurable ? growthOf(series, "rssMB", { from, to }) : null;
  const heap = measurable ? growthOf(series, "heapUsedMB", { from, to }) : null;
  const judged = [rss?.met, heap?.met];
  const verdict = judged.some((m) => m === null || m === undefined) ? "NOT MEASURED" : judged.every(Boolean) ? "MET" : "MISSED";
  return {
    warmupSeconds, seconds: to, rss, heap, verdict,
    tick: histogramOver(series, "tick", bounds.tick, from, to),
    patch: histogramOver(series, "patch", bounds.patch, from, to),
    minutes: minuteRows(series, bounds, warmupSeconds),
    totals: totalsOf(series),
  };
}
