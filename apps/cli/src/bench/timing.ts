// Median timing with a warm-up run and a per-workload time budget.
import type { Case } from './workloads.js';

export interface Timing {
  /** Median wall time of the timed runs, in milliseconds. */
  ms: number;
  runs: number;
}

/**
 * Runs `c` once to warm up, then as many times as fit in `budgetMs` (between `minRuns` and
 * `maxRuns`), and returns the median. Slow workloads (a tfjs LeNet step) get `minRuns`.
 */
export async function timeCase(c: Case, budgetMs = 3000, minRuns = 3, maxRuns = 15): Promise<Timing> {
  const warm = await timed(c);
  const runs = Math.max(minRuns, Math.min(maxRuns, Math.floor(budgetMs / Math.max(warm, 0.01))));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timed(c));
  return { ms: median(times), runs };
}

async function timed(c: Case): Promise<number> {
  const t0 = performance.now();
  await c.run();
  return performance.now() - t0;
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
