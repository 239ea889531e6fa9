// Median timing with warm-up runs and a per-workload time budget.
import type { Case } from './workloads.js';

export interface Timing {
  /** Median wall time of the timed runs, in milliseconds. */
  ms: number;
  runs: number;
  /** Set when the run did only this fraction of the workload and `ms` was scaled up. */
  fraction?: number;
}

/** One library's case of a workload, with what must happen before each of its runs (untimed). */
export interface Contender {
  case: Case;
  /** E.g. selecting the library's backend; not timed. */
  before?: () => Promise<void>;
}

/**
 * Times one case: `timeSideBySide` with a single contender.
 * @example const { ms } = await timeCase(c);
 */
export async function timeCase(c: Case, budgetMs = 3000, minRuns = 3, maxRuns = 15): Promise<Timing> {
  return (await timeSideBySide([{ case: c }], budgetMs, minRuns, maxRuns))[0]!;
}

/**
 * Times the contenders of one workload side by side: each warms up (3 runs, or fewer if they
 * pass 1 s; runs under a millisecond keep warming for 300 ms, so the JIT has optimised the
 * library's dispatch path), then samples are taken in rounds, one per contender, so a change in
 * the machine's load (a shared 2-core VM drifts by a third within a minute) touches every
 * contender alike and their ratios hold. Each contender gets between `minRuns` and `maxRuns`
 * samples, about `budgetMs` of them each; a sample of a sub-millisecond case times a batch of
 * runs lasting about 1 ms and divides by its size (one microsecond-scale run is mostly timer noise).
 * @example const [mine, theirs] = await timeSideBySide([{ case: a }, { case: b }]);
 */
export async function timeSideBySide(cs: readonly Contender[], budgetMs = 3000, minRuns = 3, maxRuns = 15): Promise<Timing[]> {
  const batches: number[] = [];
  let round = 0;
  for (const c of cs) {
    await c.before?.();
    const { warm, batch } = await warmUp(c.case);
    batches.push(batch);
    round += warm * batch;
  }
  const runs = Math.max(minRuns, Math.min(maxRuns, Math.floor((budgetMs * cs.length) / Math.max(round, 0.01))));
  const times = cs.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, c] of cs.entries()) {
      await c.before?.();
      times[j]!.push(await timed(c.case, batches[j]!));
    }
  }
  return times.map((t) => ({ ms: median(t), runs }));
}

/** Warms `c` up; returns the last warm time and the batch size for its samples. */
async function warmUp(c: Case): Promise<{ warm: number; batch: number }> {
  let warm = await timed(c, 1);
  for (let i = 1, spent = warm; i < 3 && spent < 1000; i++) spent += warm = await timed(c, 1);
  if (warm < 1) {
    for (let spent = 0; spent < 300; ) spent += (await timed(c, 100)) * 100;
    warm = await timed(c, 100);
  }
  return { warm, batch: warm < 1 ? Math.ceil(1 / Math.max(warm, 1e-4)) : 1 };
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
