// Small statistics helpers of the load-test runner: percentiles of a sorted sample, and a latency
// histogram with 0.1 ms buckets up to 60 s (exact to 0.1 ms, fixed 2.4 MB, whatever the run's
// length), so the whole run's p50/p95/p99 need not keep every sample.

const BUCKET_MS = 0.1;
const MAX_MS = 60_000;

/** Nearest-rank percentile (p in 0–100) of an ascending array; null when empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function createHistogram() {
  return { counts: new Uint32Array(MAX_MS / BUCKET_MS + 1), total: 0, max: 0, sum: 0 };
}

export function addSamples(histogram, samples) {
  for (const ms of samples) {
    histogram.counts[Math.min(histogram.counts.length - 1, Math.floor(ms / BUCKET_MS))]++;
    histogram.total++;
    histogram.sum += ms;
    if (ms > histogram.max) histogram.max = ms;
  }
}

/** Nearest-rank percentile of the histogram, in ms (the bucket's upper edge); null when empty. */
export function histogramPercentile(histogram, p) {
  if (histogram.total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * histogram.total));
  let seen = 0;
  for (let i = 0; i < histogram.counts.length; i++) {
    seen += histogram.counts[i];
    if (seen >= rank) return Math.min(histogram.max, (i + 1) * BUCKET_MS);
  }
  return histogram.max;
}

export function mean(values) {
  const present = values.filter((v) => v !== null && v !== undefined && Number.isFinite(v));
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
}

export function max(values) {
  const present = values.filter((v) => v !== null && v !== undefined && Number.isFinite(v));
  return present.length === 0 ? null : Math.max(...present);
}

/** Merges `{ key: count }` tables by adding counts. */
export function mergeCounts(into, from) {
  for (const [key, n] of Object.entries(from ?? {})) into[key] = (into[key] ?? 0) + n;
  return into;
}
