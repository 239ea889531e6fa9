// Median timing with warm-up runs and a per-workload time budget.
import type { Case } from './workloads.js';

export interface Timing {
  /** Median wall time of the timed runs, in milliseconds. */
  ms: number;
  runs: number;
  /** Set when the run did only this fraction of the workload and `ms` was scaled up. */
  fraction?: number;
}

/**
 * Warms `c` up (3 runs, or fewer if they pass 1 s: the JIT needs a few calls to settle),
 * then runs it as many times as fit in `budgetMs` (between `minRuns` and `maxRuns`), and
 * returns the median. Slow workloads (a tfjs LeNet step) get `minRuns`.
 */
export async function timeCase(c: Case, budgetMs = 3000, minRuns = 3, maxRuns = 15): Promise<Timing> {
  let warm = await timed(c);
  for (let i = 1, spent = warm; i < 3 && spent < 1000; i++) spent += warm = await timed(c);
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

/**
 * One timed run after the case's warm-up, for workloads too long to repeat (a training epoch);
 * a case that runs only a fraction of the workload has its time scaled to the whole.
 */
export async function timeOnce(c: Case): Promise<Timing> {
  await c.warmup?.();
  const ms = await timed(c);
  return c.fraction === undefined || c.fraction === 1 ? { ms, runs: 1 } : { ms: ms / c.fraction, runs: 1, fraction: c.fraction };
}
