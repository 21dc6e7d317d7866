/** Nearest-rank percentiles of a set of latencies (ms). None measured → nulls, never a made-up 0. */

export interface LatencySummary {
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export function summariseLatencies(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { p50: null, p99: null, max: null };
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1]! };
}

/** Nearest-rank: the smallest sample with at least p % of the samples at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  const rank = Math.ceil((p / 100) * sorted.length);
  return round(sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
