// `tensile bench`: the same workloads on Tensile's backend-js and on tfjs's CPU backend, and
// on Tensile's backend-wasm beside tfjs-backend-wasm (XNNPACK, SIMD, one thread) and jax-js's
// wasm device (eager and jit).
import { memory, registerBackend, setBackend } from '@tensile/core';
import '@tensile/backend-js/register';
import { createWasmBackend, relaxedSimdSupported } from '@tensile/backend-wasm';
import '@tensile/backend-wasm/register';
import type { Flags } from './args.js';
import { buildJax, hasJitVariant, initJax, jaxLiveArrays } from './bench/jax.js';
import { buildTensile } from './bench/tensile.js';
import { buildTfjs, initTfjs, initTfjsWasm, tfjsTensors } from './bench/tfjs.js';
import { timeCase, timeOnce, timeSideBySide, type Timing } from './bench/timing.js';
import { WASM_WORKLOADS, WORKLOADS, flopsOf, type Case, type WasmWorkload, type Workload } from './bench/workloads.js';
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

// backend-wasm with a fixed thread count: the table's main column is one thread.
for (const threads of [1, 2]) registerBackend(`wasm-bench-${threads}t`, () => createWasmBackend({ threads }));

export interface WasmBenchRow {
  workload: WasmWorkload;
  /** backend-wasm on one thread. */
  tensile: Timing;
  /** backend-wasm on two threads, for workloads with `twoThreadSpeedup`. */
  twoThreads?: Timing;
  /** undefined where tfjs-backend-wasm cannot run the workload (it has no Conv2DBackpropFilter). */
  tfjs?: Timing;
  tfjsError?: string;
  /** tfjs ms / tensile ms. */
  speedup?: number;
  /** jax-js on its wasm device, op by op; undefined where it cannot run the workload. */
  jax?: Timing;
  jaxError?: string;
  /** jax-js jit-compiled, for workloads of several ops (hasJitVariant). */
  jaxJit?: Timing;
  jaxJitError?: string;
  pass?: boolean;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/** One column of the WASM table: how to build its case and count its library's live tensors. */
interface Entrant {
  key: 'tensile' | 'twoThreads' | 'tfjs' | 'jax' | 'jaxJit';
  lib: string;
  build: () => Case | Promise<Case>;
  live: () => number;
  before?: () => Promise<void>;
}

/**
 * Times one workload on every entrant side by side (timeSideBySide); an entrant that cannot run
 * it (an op its library lacks) gets its error's first line instead. Throws if an entrant leaves
 * tensors behind.
 */
async function raceWasm(workload: WasmWorkload, entrants: Entrant[]): Promise<Map<Entrant['key'], Timing | string>> {
  const out = new Map<Entrant['key'], Timing | string>();
  const running: { e: Entrant; c: Case; before: number }[] = [];
  // Counts before anything is built: two entrants may share one library's count (Tensile's is global).
  const counts: number[] = [];
  for (const e of entrants) {
    await e.before?.();
    counts.push(e.live());
  }
  for (const [i, e] of entrants.entries()) {
    await e.before?.();
    const before = counts[i]!;
    let c: Case | undefined;
    try {
      c = await e.build();
      await c.run(); // an op the library lacks fails here, before any timing
      running.push({ e, c, before });
    } catch (err) {
      c?.dispose();
      if (e.key === 'tensile') throw err;
      out.set(e.key, firstLine(err));
    }
  }
  try {
    const timings = await timeSideBySide(running.map(({ e, c }) => ({ case: c, before: e.before })));
    running.forEach(({ e }, i) => out.set(e.key, timings[i]!));
  } finally {
    for (const { e, c } of running) {
      await e.before?.();
      c.dispose();
    }
  }
  for (const { e, before } of running) {
    await e.before?.();
    const leaked = e.live() - before;
    if (leaked !== 0) throw new Error(`bench: '${workload.label}' left ${leaked} ${e.lib} tensors alive`);
  }
  return out;
}

/** Times each WASM workload (label contains `filter`) on backend-wasm, tfjs-backend-wasm and jax-js, side by side. */
export async function benchWasm(filter = '', onRow: (row: WasmBenchRow) => void = () => {}): Promise<WasmBenchRow[]> {
  const rows: WasmBenchRow[] = [];
  for (const workload of WASM_WORKLOADS.filter((w) => w.label.toLowerCase().includes(filter.toLowerCase()))) {
    const spec = workload.spec;
    const tensileOn = (threads: number): Entrant => ({
      key: threads === 1 ? 'tensile' : 'twoThreads', lib: 'Tensile', build: () => buildTensile(spec), live: () => memory().tensors,
      before: () => setBackend(`wasm-bench-${threads}t`),
    });
    const results = await raceWasm(workload, [
      tensileOn(1),
      ...(workload.twoThreadSpeedup !== undefined ? [tensileOn(2)] : []),
      { key: 'tfjs', lib: 'tfjs', build: () => buildTfjs(spec), live: tfjsTensors },
      { key: 'jax', lib: 'jax-js', build: () => buildJax(spec, 'eager'), live: jaxLiveArrays },
      ...(hasJitVariant(spec) ? [{ key: 'jaxJit', lib: 'jax-js', build: () => buildJax(spec, 'jit'), live: jaxLiveArrays } as const] : []),
    ]);
    const timing = (k: Entrant['key']) => { const r = results.get(k); return typeof r === 'string' ? undefined : r; };
    const error = (k: Entrant['key']) => { const r = results.get(k); return typeof r === 'string' ? r : undefined; };
    const tensile = timing('tensile')!;
    const row: WasmBenchRow = {
      workload, tensile, twoThreads: timing('twoThreads'), tfjs: timing('tfjs'), tfjsError: error('tfjs'),
      jax: timing('jax'), jaxError: error('jax'), jaxJit: timing('jaxJit'), jaxJitError: error('jaxJit'),
    };
    if (row.tfjs) row.speedup = row.tfjs.ms / tensile.ms;
    const t = workload.target;
    if (t?.speedup !== undefined) row.pass = row.speedup !== undefined && row.speedup >= t.speedup;
    else if (t?.maxMs !== undefined) row.pass = tensile.ms <= t.maxMs;
    if (workload.twoThreadSpeedup && row.twoThreads) {
      const two = row.tfjs !== undefined && row.tfjs.ms / row.twoThreads.ms >= workload.twoThreadSpeedup;
      row.pass = (row.pass ?? true) && two;
    }
    rows.push(row);
    onRow(row);
  }
  return rows;
}

const WASM_COLUMNS = ['workload', 'tensile ms', 'GFLOP/s', '2 threads ms', 'GFLOP/s', 'tfjs-wasm ms', 'GFLOP/s', 'ratio', 'ratio 2t',
  'jax-js ms', 'GFLOP/s', 'jax jit ms', 'vs jax', 'vs jit', 'target', 'status'] as const;
const WASM_WIDTHS = [36, 12, 8, 12, 8, 13, 8, 7, 8, 12, 8, 11, 7, 7, 14, 6];

function wasmLine(cells: readonly string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(WASM_WIDTHS[i]!) : c.padStart(WASM_WIDTHS[i]!))).join('  ');
}

function formatWasmRow(r: WasmBenchRow): string {
  const ms = (t: Timing) => `${t.ms < 0.1 ? t.ms.toFixed(4) : t.ms < 10 ? t.ms.toFixed(2) : t.ms.toFixed(1)} (${t.runs})`;
  const flops = flopsOf(r.workload.spec);
  const gflops = (t?: Timing) => (flops === undefined || t === undefined ? '-' : (flops / t.ms / 1e6).toFixed(1));
  const t = r.workload.target;
  let target = t?.speedup !== undefined ? `>=${t.speedup}x` : t?.maxMs !== undefined ? `<=${t.maxMs < 0.1 ? t.maxMs : t.maxMs.toFixed(1)}ms` : '-';
  if (r.workload.twoThreadSpeedup) target = `${target === '-' ? '' : `${target}, `}2t>=${r.workload.twoThreadSpeedup}x`;
  const ratio2 = r.twoThreads && r.tfjs ? `${(r.tfjs.ms / r.twoThreads.ms).toFixed(2)}x` : '-';
  const vs = (t?: Timing) => (t ? `${(t.ms / r.tensile.ms).toFixed(2)}x` : '-');
  const jit = r.jaxJit ? ms(r.jaxJit) : r.jaxJitError ? 'n/a' : '-';
  return wasmLine([r.workload.label, ms(r.tensile), gflops(r.tensile), r.twoThreads ? ms(r.twoThreads) : '-', gflops(r.twoThreads),
    r.tfjs ? ms(r.tfjs) : 'n/a', gflops(r.tfjs), r.speedup === undefined ? '-' : `${r.speedup.toFixed(2)}x`, ratio2,
    r.jax ? ms(r.jax) : 'n/a', gflops(r.jax), jit, vs(r.jax), vs(r.jaxJit), target, r.pass === undefined ? '-' : r.pass ? 'PASS' : 'MISS']);
}

/** Prints the WASM table; returns its rows. */
async function printWasmTable(filter: string): Promise<WasmBenchRow[]> {
  const tfjsName = await initTfjsWasm();
  const jaxName = await initJax('wasm');
  const simd = relaxedSimdSupported() ? 'SIMD128 + relaxed SIMD' : 'SIMD128, no relaxed SIMD in this engine';
  console.log(`tensile backend-wasm (${simd}; 1 thread, and 2 threads for matmuls) vs ${tfjsName} and ${jaxName}; median ms (timed runs), the libraries' runs interleaved`);
  console.log('ratio = tfjs / tensile; vs jax = jax-js eager / tensile, vs jit = jax-js jit / tensile (above 1x: Tensile is faster)');
  console.log(wasmLine(WASM_COLUMNS));
  console.log('-'.repeat(WASM_WIDTHS.reduce((a, b) => a + b + 2, -2)));
  const rows = await benchWasm(filter, (r) => console.log(formatWasmRow(r)));
  for (const r of rows) if (r.tfjsError) console.log(`  tfjs-backend-wasm cannot run '${r.workload.label}': ${r.tfjsError}`);
  for (const r of rows) if (r.jaxError) console.log(`  jax-js cannot run '${r.workload.label}': ${r.jaxError}`);
  for (const r of rows) if (r.jaxJitError && !r.jaxError) console.log(`  jax-js jit cannot run '${r.workload.label}': ${r.jaxJitError}`);
  console.log('  jax jit: the whole step traced and fused by jax.jit; "-": a single op, where jit changes nothing.');
  if (rows.some((r) => r.workload.spec.kind === 'gradMatmul')) {
    console.log('  grad GFLOP/s counts the product and both gradients (6N^3); backend-wasm never runs the product, whose value grad discards.');
  }
  const targeted = rows.filter((r) => r.pass !== undefined);
  console.log(`wasm targets met ${targeted.filter((r) => r.pass).length}/${targeted.length}`);
  return rows;
}

/** Prints the backend-js vs tfjs-cpu table. */
async function printJsTable(filter: string): Promise<void> {
  const tfjsName = await initTfjs();
  console.log(`tensile backend-js vs ${tfjsName}; median ms (timed runs) after warm-up; speedup = tfjs / tensile`);
  console.log(line(COLUMNS));
  console.log('-'.repeat(WIDTHS.reduce((a, b) => a + b + 2, -2)));
  const rows = await bench(filter, (r) => console.log(formatRow(r)));
  const targeted = rows.filter((r) => r.pass !== undefined);
  const met = targeted.filter((r) => r.pass).length;
  console.log(`\ntargets: matmul >=5x, conv2d >=5x, softmax >=20x, LeNet step >=30x, LeNet-5+BN fit epoch >=20x, LSTM step >=5x; met ${met}/${targeted.length}`);
  console.log('(timings on a shared machine are noisy; the fit-epoch row is one epoch after a short warm-up; ' +
    '~ms (p%): timed on p% of the epoch and scaled up, as a tfjs-layers epoch on tfjs-backend-cpu takes ~40 min)');
}

/** `tensile bench` with its parsed options: prints the chosen tables and the targets met; resolves to 0. */
export async function benchCommand(f: Flags<typeof BENCH_OPTIONS>): Promise<number> {
  const filter = f.filter ?? '';
  const suites = f.suite === 'all' ? ['wasm', 'js', 'webgpu'] : [f.suite];
  for (const [i, suite] of suites.entries()) {
    if (i > 0) console.log('');
    if (suite === 'wasm') await printWasmTable(filter);
    else if (suite === 'js') await printJsTable(filter);
    // The WebGPU table (backend-webgpu vs tfjs-webgpu), loaded only here: it starts a GPU device.
    else await (await import('./bench/webgpu.js')).printWebGpuTable(filter);
  }
  return 0;
}
