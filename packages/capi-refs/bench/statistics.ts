/** Summary figures of repeated measurements, for the benchmarks. */

/** The value at percentile `p` (0–100) of ascending `sorted`: the sample at that rank, none averaged. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The median of `samples` (the upper middle one when their number is even). */
export function median(samples: readonly number[]): number {
  return percentile([...samples].sort((a, b) => a - b), 50);
}
