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
 * Warms `c` up (3 runs, or fewer if they pass 1 s; runs under a millisecond keep warming for
 * 300 ms, so the JIT has optimised the library's dispatch path, not just seen it), then takes
 * between `minRuns` and `maxRuns` samples within `budgetMs` and returns their median. A sample
 * of a sub-millisecond workload times a batch of runs lasting about 1 ms and divides by its
 * size: a single microsecond-scale run is mostly timer and scheduling noise.
 */
export async function timeCase(c: Case, budgetMs = 3000, minRuns = 3, maxRuns = 15): Promise<Timing> {
  let warm = await timed(c, 1);
  for (let i = 1, spent = warm; i < 3 && spent < 1000; i++) spent += warm = await timed(c, 1);
  if (warm < 1) {
    for (let spent = 0; spent < 300; ) spent += await timed(c, 100) * 100;
    warm = await timed(c, 100);
  }
  const batch = warm < 1 ? Math.ceil(1 / Math.max(warm, 1e-4)) : 1;
  const runs = Math.max(minRuns, Math.min(maxRuns, Math.floor(budgetMs / Math.max(warm * batch, 0.01))));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timed(c, batch));
  return { ms: median(times), runs };
}

/** Mean wall time of `batch` consecutive runs of `c`, in milliseconds. */
async function timed(c: Case, batch: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < batch; i++) await c.run();
  return (performance.now() - t0) / batch;
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
  const ms = await timed(c, 1);
  return c.fraction === undefined || c.fraction === 1 ? { ms, runs: 1 } : { ms: ms / c.fraction, runs: 1, fraction: c.fraction };
}
