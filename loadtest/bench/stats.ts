/** Summary statistics over samples (milliseconds per tick, in the benchmarks). */

export interface Summary {
  samples: number;
  median: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** The `q` quantile (0..1) of ascending `sorted`, by the nearest-rank method. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Median as the mean of the two middle samples for an even count. */
export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((acc, v) => acc + v, 0);
  return {
    samples: sorted.length,
    median: median(sorted),
    p99: quantile(sorted, 0.99),
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Nanoseconds from `process.hrtime.bigint()` readings to milliseconds. */
export function elapsedMs(start: bigint, end: bigint): number {
  return Number(end - start) / 1e6;
}
