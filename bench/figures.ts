// What every part of the bench reports: a row of the results table, and the sums that make one.

/** One row of the results: throughput and latency of a load, or a time or size, against its baseline and target. */
export interface Figure { name: string; rps?: number; p50?: number; p99?: number; ms?: number; note?: string; baseline?: string; ratio?: number; target?: string; pass?: boolean }

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The nearest-rank percentile (0.99 for p99) of a set of timings. */
export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}
