// `tensile bench`: the same workloads on Tensile's backend-js and on tfjs's CPU backend.
import { memory, setBackend } from '@tensile/core';
import '@tensile/backend-js/register';
import type { Flags } from './args.js';
import { buildTensile } from './bench/tensile.js';
import { buildTfjs, initTfjs, tfjsTensors } from './bench/tfjs.js';
import { timeCase, timeOnce, type Timing } from './bench/timing.js';
import { WORKLOADS, type Case, type Workload } from './bench/workloads.js';
import type { BENCH_OPTIONS } from './commands.js';

export interface BenchRow {
  workload: Workload;
  tensile: Timing;
  tfjs: Timing;
  /** tfjs ms / tensile ms: how many times faster Tensile is. */
  speedup: number;
  /** Whether the speedup meets the target; undefined without a target. */
  pass?: boolean;
}

/** Times each workload (those whose label contains `filter`) on both libraries. */
export async function bench(filter = '', onRow: (row: BenchRow) => void = () => {}): Promise<BenchRow[]> {
  await setBackend('js');
  const rows: BenchRow[] = [];
  for (const workload of WORKLOADS.filter((w) => w.label.toLowerCase().includes(filter.toLowerCase()))) {
    const time = workload.once ? timeOnce : timeCase;
    const tensile = await measure(workload.label, 'Tensile', () => buildTensile(workload.spec), () => memory().tensors, time);
    const tfjs = await measure(workload.label, 'tfjs', () => buildTfjs(workload.spec), tfjsTensors, time);
    const speedup = tfjs.ms / tensile.ms;
    const row: BenchRow = { workload, tensile, tfjs, speedup, pass: workload.target === undefined ? undefined : speedup >= workload.target };
    rows.push(row);
    onRow(row);
  }
  return rows;
}

/** Builds, times and frees one workload; throws if it left tensors behind. */
async function measure(label: string, lib: string, build: () => Case | Promise<Case>, liveTensors: () => number,
  time: (c: Case) => Promise<Timing>): Promise<Timing> {
  const before = liveTensors();
  const c = await build();
  let timing: Timing;
  try {
    timing = await time(c);
  } finally {
    c.dispose();
  }
  const leaked = liveTensors() - before;
  if (leaked !== 0) throw new Error(`bench: '${label}' left ${leaked} ${lib} tensors alive`);
  return timing;
}

const COLUMNS = ['workload', 'tensile ms', 'tfjs ms', 'speedup', 'target', 'status'] as const;
const WIDTHS = [36, 12, 12, 9, 7, 6];

function line(cells: readonly string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(WIDTHS[i]!) : c.padStart(WIDTHS[i]!))).join('  ');
}

function formatRow(r: BenchRow): string {
  const ms = (t: Timing) => `${t.fraction ? '~' : ''}${t.ms < 10 ? t.ms.toFixed(2) : t.ms.toFixed(1)} (${t.fraction ? `${(t.fraction * 100).toFixed(1)}%` : t.runs})`;
  const target = r.workload.target;
  return line([r.workload.label, ms(r.tensile), ms(r.tfjs), `${r.speedup.toFixed(2)}x`,
    target === undefined ? '-' : `>=${target}x`, r.pass === undefined ? '-' : r.pass ? 'PASS' : 'MISS']);
}

/** `tensile bench` with its parsed options: prints the table and the targets met; resolves to 0. */
export async function benchCommand(f: Flags<typeof BENCH_OPTIONS>): Promise<number> {
  const tfjsName = await initTfjs();
  console.log(`tensile backend-js vs ${tfjsName}; median ms (timed runs) after warm-up; speedup = tfjs / tensile`);
  console.log(line(COLUMNS));
  console.log('-'.repeat(WIDTHS.reduce((a, b) => a + b + 2, -2)));
  const rows = await bench(f.filter ?? '', (r) => console.log(formatRow(r)));
  const targeted = rows.filter((r) => r.pass !== undefined);
  const met = targeted.filter((r) => r.pass).length;
  console.log(`\ntargets: matmul >=5x, conv2d >=5x, softmax >=20x, LeNet step >=30x, LeNet-5+BN fit epoch >=20x, LSTM step >=5x; met ${met}/${targeted.length}`);
  console.log('(timings on a shared machine are noisy; the fit-epoch row is one epoch after a short warm-up; ' +
    '~ms (p%): timed on p% of the epoch and scaled up, as a tfjs-layers epoch on tfjs-backend-cpu takes ~40 min)');
  return 0;
}
