/** Timing and summary statistics: a GC before each timed call, medians, percentiles, spread. */
import { performance } from 'node:perf_hooks';

const gc = (globalThis as { gc?: () => void }).gc;

/** Milliseconds `fn` took. With `--expose-gc` the heap is collected first, so one measurement's garbage is not billed to the next. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  gc?.();
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Median of a non-empty list (mean of the two middle values for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nearest-rank percentile, `p` in (0, 100]. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** (max − min) / median: how far apart the repetitions were, the noise figure the docs quote. */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = median(values);
  return m === 0 ? 0 : (Math.max(...values) - Math.min(...values)) / m;
}

/** A measured figure: every repetition, its median and spread. */
export interface Sample {
  readonly runs: readonly number[];
  readonly median: number;
  readonly spread: number;
}

export const sample = (runs: readonly number[]): Sample => ({
  runs,
  median: median(runs),
  spread: spread(runs),
});

/** Rounds for JSON and tables (3 significant decimals are plenty for noisy timings). */
export const round = (value: number, digits = 3): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
