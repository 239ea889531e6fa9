// The WebGPU table of `tensile bench`: backend-webgpu beside TensorFlow.js's WebGPU backend and
// jax-js's webgpu device (eager and jit) on the same adapter (in Node, Dawn; SwiftShader where
// there is no GPU), cold start (the first call of a fresh workload: pipeline creation included)
// and steady state (median after warm-up; Tensile and jax-js timed side by side in rounds).
import * as tf from '@tensorflow/tfjs-core';
import { getBackend, memory, setBackend } from '@tensile/core';
import { getGpu, type WebGpuBackend } from '@tensile/backend-webgpu';
import '@tensile/backend-webgpu/register';
import { buildJax, hasJitVariant, initJax, jaxLiveArrays, type JaxMode } from './jax.js';
import { buildTensile } from './tensile.js';
import { buildTfjs, tfjsTensors } from './tfjs.js';
import { timeOnce, timeSideBySide, type Timing } from './timing.js';
import type { Case, Workload } from './workloads.js';

/** Sizes that finish on SwiftShader (a CPU) in reasonable time; a real GPU runs them in ms. */
export const WEBGPU_WORKLOADS: Workload[] = [
  { label: 'matmul 256x256', spec: { kind: 'matmul', n: 256 } },
  { label: 'matmul 512x512', spec: { kind: 'matmul', n: 512 } },
  { label: 'matmul 1024x1024', spec: { kind: 'matmul', n: 1024 } },
  // One timed run after the cold one: a tfjs-webgpu run of this size takes minutes on SwiftShader.
  { label: 'matmul 2048x2048', spec: { kind: 'matmul', n: 2048 }, once: true },
  { label: 'conv2d 64x1x28x28 -> 6 5x5 pad 2', spec: { kind: 'conv2d', batch: 64, cin: 1, size: 28, cout: 6, k: 5, pad: 2 } },
  { label: 'conv2d 64x6x14x14 -> 16 5x5', spec: { kind: 'conv2d', batch: 64, cin: 6, size: 14, cout: 16, k: 5, pad: 0 } },
  { label: 'conv2d 1x64x56x56 -> 64 3x3 same', spec: { kind: 'conv2d', batch: 1, cin: 64, size: 56, cout: 64, k: 3, pad: 'same' } },
  { label: 'conv2d 1x3x224x224 -> 64 7x7 s2 p3', spec: { kind: 'conv2d', batch: 1, cin: 3, size: 224, cout: 64, k: 7, pad: 3, stride: 2 } },
  { label: 'softmax 1000x1000', spec: { kind: 'softmax', rows: 1000, cols: 1000 } },
  { label: 'MLP 784-256-256-10 train step b128', spec: { kind: 'mlp', batch: 128, sizes: [784, 256, 256, 10] } },
  { label: 'LeNet-5 train step b64', spec: { kind: 'lenet', batch: 64 } },
];

/** The adapter the table ran on, and jax-js's description. */
export interface WebGpuSetup {
  adapter: string;
  jax: string;
}

/** A library's time on one workload: its first call, and the steady state after it. */
export interface ColdSteady {
  coldMs: number;
  steady: Timing;
}

export interface WebGpuRow {
  workload: Workload;
  tensile: ColdSteady;
  tfjs: ColdSteady;
  /** tfjs steady ms / tensile steady ms. */
  speedup: number;
  /** jax-js op by op; undefined (with the reason) where it cannot run the workload. */
  jax?: ColdSteady;
  jaxError?: string;
  /** jax-js jit-compiled, for workloads of several ops (hasJitVariant). */
  jaxJit?: ColdSteady;
  jaxJitError?: string;
}

/**
 * Makes the platform GPU visible as `navigator.gpu` (Node 20 has no navigator) for tfjs-webgpu
 * and jax-js; jax-js also reads `navigator.userAgent` (Node 21+ defines it as 'Node.js/<major>').
 */
async function exposeGpu(): Promise<void> {
  const g = globalThis as { navigator?: { gpu?: GPU; userAgent?: string } };
  if (g.navigator?.gpu) return;
  const gpu = await getGpu();
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  else g.navigator = { gpu, userAgent: `Node.js/${process.versions.node.split('.')[0]}` };
}

/** A library's case of one workload after its first (cold) call, and its live count before it. */
interface Started {
  c: Case;
  coldMs: number;
  live: () => number;
  before: number;
}

/** Builds a case and runs it once, timed: the cold start. */
async function start(build: () => Case | Promise<Case>, live: () => number): Promise<Started> {
  const before = live();
  const c = await build();
  try {
    const t0 = performance.now();
    await c.run();
    return { c, coldMs: performance.now() - t0, live, before };
  } catch (err) {
    c.dispose();
    throw err;
  }
}

/** Disposes started cases, last first (libraries share one live count), checking each leaks nothing. */
function finish(started: Started[], workload: Workload): void {
  for (const s of [...started].reverse()) {
    s.c.dispose();
    if (s.live() !== s.before) throw new Error(`bench: '${workload.label}' left ${s.live() - s.before} tensors alive`);
  }
}

/**
 * Steady state of started cases: side by side in rounds (timeSideBySide), so the machine's drift
 * touches them alike; one timed run each for a `once` workload.
 */
async function steady(started: Started[], workload: Workload): Promise<Timing[]> {
  if (workload.once) {
    const out: Timing[] = [];
    for (const s of started) out.push(await timeOnce(s.c));
    return out;
  }
  return timeSideBySide(started.map((s) => ({ case: s.c })), 3000, 1, 10);
}

/** Starts jax-js in `mode`; a failure (e.g. an op it lacks) becomes the error's first line. */
async function startJax(workload: Workload, mode: JaxMode): Promise<Started | string> {
  try {
    return await start(() => buildJax(workload.spec, mode), jaxLiveArrays);
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
  }
}

/**
 * One workload: Tensile and jax-js (eager, and jit where it applies) side by side; tfjs-webgpu
 * alone after them, as one of its runs can take minutes on SwiftShader (in rounds with it, the
 * others would get a single sample).
 */
async function measureRow(workload: Workload): Promise<WebGpuRow> {
  const started: Started[] = [];
  let eager: Started | string, jit: Started | string | undefined, times: Timing[];
  try {
    started.push(await start(() => buildTensile(workload.spec), () => memory().tensors));
    eager = await startJax(workload, 'eager');
    jit = hasJitVariant(workload.spec) ? await startJax(workload, 'jit') : undefined;
    for (const j of [eager, jit]) if (j !== undefined && typeof j !== 'string') started.push(j);
    times = await steady(started, workload);
  } finally {
    finish(started, workload);
  }
  const at = (s: Started | string | undefined): ColdSteady | undefined =>
    s === undefined || typeof s === 'string' ? undefined : { coldMs: s.coldMs, steady: times[started.indexOf(s)]! };
  const alone = await start(() => buildTfjs(workload.spec), tfjsTensors);
  let tfjs: ColdSteady;
  try {
    tfjs = { coldMs: alone.coldMs, steady: (await steady([alone], workload))[0]! };
  } finally {
    finish([alone], workload);
  }
  const tensile = at(started[0])!;
  return {
    workload, tensile, tfjs, speedup: tfjs.steady.ms / tensile.steady.ms,
    jax: at(eager), jaxError: typeof eager === 'string' ? eager : undefined,
    jaxJit: at(jit), jaxJitError: typeof jit === 'string' ? jit : undefined,
  };
}

/** Times each WebGPU workload whose label contains `filter` on the three libraries. */
export async function benchWebGpu(filter = '', onRow: (r: WebGpuRow, setup: WebGpuSetup) => void = () => {}): Promise<WebGpuSetup & { rows: WebGpuRow[] }> {
  await exposeGpu();
  // tfjs-webgpu registers itself at import only where navigator.gpu exists: import it after.
  await import('@tensorflow/tfjs-backend-webgpu');
  // jax-js asks navigator.gpu for its adapter ("high-performance"): the same one in Node.
  const jax = await initJax('webgpu');
  await setBackend('webgpu');
  const info = (getBackend() as WebGpuBackend).getBackendInfo();
  const setup = { adapter: `${info.vendor} ${info.architecture} ${info.description}`.trim(), jax };
  if (!(await tf.setBackend('webgpu'))) throw new Error("tfjs: backend 'webgpu' failed to initialise");
  await tf.ready();
  const rows: WebGpuRow[] = [];
  try {
    for (const workload of WEBGPU_WORKLOADS.filter((w) => w.label.toLowerCase().includes(filter.toLowerCase()))) {
      const row = await measureRow(workload);
      rows.push(row);
      onRow(row, setup);
    }
  } finally {
    await setBackend('js');
    await tf.setBackend('cpu');
  }
  return { ...setup, rows };
}

const WIDTHS = [36, 11, 12, 11, 12, 10, 12, 10, 12, 8, 7, 7];

function line(cells: readonly string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(WIDTHS[i]!) : c.padStart(WIDTHS[i]!))).join('  ');
}

const ms = (v: number): string => (v < 10 ? v.toFixed(2) : v.toFixed(1));

/** Prints the WebGPU table (one row as each workload finishes), then its footnotes. */
export async function printWebGpuTable(filter = ''): Promise<void> {
  const header = (adapter: string, jax: string) => {
    console.log(`\nWebGPU: tensile backend-webgpu vs tfjs ${tf.version_core} webgpu and ${jax} on one adapter (${adapter}); cold = first call, steady = median after warm-up (timed runs; Tensile and jax-js side by side, tfjs alone)`);
    console.log('speedup = tfjs / tensile; vs jax = jax-js eager / tensile, vs jit = jax-js jit / tensile (steady; above 1x: Tensile is faster)');
    console.log(line(['workload', 'tensile 1st', 'tensile ms', 'tfjs 1st', 'tfjs ms', 'jax 1st', 'jax ms', 'jit 1st', 'jit ms', 'speedup', 'vs jax', 'vs jit']));
    console.log('-'.repeat(WIDTHS.reduce((a, b) => a + b + 2, -2)));
  };
  let printed = false;
  const { rows, adapter } = await benchWebGpu(filter, (r, setup) => {
    if (!printed) {
      header(setup.adapter, setup.jax);
      printed = true;
    }
    console.log(formatRow(r));
  });
  if (rows.length === 0) {
    console.log(`\nWebGPU (${adapter}): no workload matches the filter`);
    return;
  }
  for (const r of rows) if (r.jaxError) console.log(`  jax-js cannot run '${r.workload.label}': ${r.jaxError}`);
  for (const r of rows) if (r.jaxJitError && !r.jaxError) console.log(`  jax-js jit cannot run '${r.workload.label}': ${r.jaxJitError}`);
  console.log('  jit: the whole step traced and fused by jax.jit; its first call follows the eager one (kernels they share may be compiled already);');
  console.log('  "-": a single op, where jit changes nothing. Rows timed once after the cold call (too slow to repeat on a CPU adapter): ' +
    `${rows.filter((r) => r.workload.once).map((r) => r.workload.label).join(', ') || 'none'}.`);
}

function formatRow(r: WebGpuRow): string {
  const steady = (t: ColdSteady) => `${ms(t.steady.ms)} (${t.steady.runs})`;
  const cells = (t: ColdSteady | undefined, error: string | undefined) => (t ? [ms(t.coldMs), steady(t)] : error ? ['n/a', 'n/a'] : ['-', '-']);
  const vs = (t?: ColdSteady) => (t ? `${(t.steady.ms / r.tensile.steady.ms).toFixed(2)}x` : '-');
  return line([r.workload.label, ms(r.tensile.coldMs), steady(r.tensile), ms(r.tfjs.coldMs), steady(r.tfjs),
    ...cells(r.jax, r.jaxError), ...cells(r.jaxJit, r.jaxJitError), `${r.speedup.toFixed(2)}x`, vs(r.jax), vs(r.jaxJit)]);
}
