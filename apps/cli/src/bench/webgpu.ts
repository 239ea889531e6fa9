// The WebGPU table of `tensile bench`: backend-webgpu beside TensorFlow.js's WebGPU backend on
// the same adapter (in Node, Dawn; SwiftShader where there is no GPU), cold start (the first
// call of a fresh workload: pipeline creation included) and steady state (median after warm-up).
import * as tf from '@tensorflow/tfjs-core';
import { getBackend, memory, setBackend } from '@tensile/core';
import { getGpu, type WebGpuBackend } from '@tensile/backend-webgpu';
import '@tensile/backend-webgpu/register';
import { buildTensile } from './tensile.js';
import { buildTfjs, tfjsTensors } from './tfjs.js';
import { timeCase, type Timing } from './timing.js';
import type { Case, Workload } from './workloads.js';

/** Sizes that finish on SwiftShader (a CPU) in reasonable time; a real GPU runs them in ms. */
export const WEBGPU_WORKLOADS: Workload[] = [
  { label: 'matmul 256x256', spec: { kind: 'matmul', n: 256 } },
  { label: 'matmul 512x512', spec: { kind: 'matmul', n: 512 } },
  { label: 'matmul 1024x1024', spec: { kind: 'matmul', n: 1024 } },
  { label: 'conv2d 64x1x28x28 -> 6 5x5 pad 2', spec: { kind: 'conv2d', batch: 64, cin: 1, size: 28, cout: 6, k: 5, pad: 2 } },
  { label: 'conv2d 64x6x14x14 -> 16 5x5', spec: { kind: 'conv2d', batch: 64, cin: 6, size: 14, cout: 16, k: 5, pad: 0 } },
  { label: 'softmax 1000x1000', spec: { kind: 'softmax', rows: 1000, cols: 1000 } },
  { label: 'MLP 784-256-256-10 train step b128', spec: { kind: 'mlp', batch: 128, sizes: [784, 256, 256, 10] } },
  { label: 'LeNet-5 train step b64', spec: { kind: 'lenet', batch: 64 } },
];

export interface WebGpuRow {
  workload: Workload;
  tensile: { coldMs: number; steady: Timing };
  tfjs: { coldMs: number; steady: Timing };
  /** tfjs steady ms / tensile steady ms. */
  speedup: number;
}

/** Makes the platform GPU visible as `navigator.gpu` (Node has no navigator) for tfjs-webgpu. */
async function exposeGpu(): Promise<void> {
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (g.navigator?.gpu) return;
  const gpu = await getGpu();
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  else g.navigator = { gpu };
}

async function cold(c: Case): Promise<number> {
  const t0 = performance.now();
  await c.run();
  return performance.now() - t0;
}

async function measure(build: () => Case | Promise<Case>, live: () => number, label: string): Promise<{ coldMs: number; steady: Timing }> {
  const before = live();
  const c = await build();
  try {
    const coldMs = await cold(c);
    // One timed run at least: a tfjs-webgpu matmul 1024 takes ~30 s on SwiftShader.
    const steady = await timeCase(c, 3000, 1, 10);
    return { coldMs, steady };
  } finally {
    c.dispose();
    if (live() !== before) throw new Error(`bench: '${label}' left ${live() - before} tensors alive`);
  }
}

/** Times each WebGPU workload whose label contains `filter` on both libraries. */
export async function benchWebGpu(filter = '', onRow: (r: WebGpuRow) => void = () => {}): Promise<{ adapter: string; rows: WebGpuRow[] }> {
  await exposeGpu();
  // tfjs-webgpu registers itself at import only where navigator.gpu exists: import it after.
  await import('@tensorflow/tfjs-backend-webgpu');
  await setBackend('webgpu');
  const info = (getBackend() as WebGpuBackend).getBackendInfo();
  if (!(await tf.setBackend('webgpu'))) throw new Error("tfjs: backend 'webgpu' failed to initialise");
  await tf.ready();
  const rows: WebGpuRow[] = [];
  try {
    for (const workload of WEBGPU_WORKLOADS.filter((w) => w.label.toLowerCase().includes(filter.toLowerCase()))) {
      const tensile = await measure(() => buildTensile(workload.spec), () => memory().tensors, workload.label);
      const tfjs = await measure(() => buildTfjs(workload.spec), tfjsTensors, workload.label);
      const row = { workload, tensile, tfjs, speedup: tfjs.steady.ms / tensile.steady.ms };
      rows.push(row);
      onRow(row);
    }
  } finally {
    await setBackend('js');
    await tf.setBackend('cpu');
  }
  return { adapter: `${info.vendor} ${info.architecture} ${info.description}`.trim(), rows };
}

const WIDTHS = [36, 11, 12, 11, 12, 9];

function line(cells: readonly string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(WIDTHS[i]!) : c.padStart(WIDTHS[i]!))).join('  ');
}

const ms = (v: number): string => (v < 10 ? v.toFixed(2) : v.toFixed(1));

/** Prints the WebGPU table (one row as each workload finishes). */
export async function printWebGpuTable(filter = ''): Promise<void> {
  const header = (adapter: string) => {
    console.log(`\nWebGPU: tensile backend-webgpu vs tfjs ${tf.version_core} webgpu on one adapter (${adapter}); cold = first call, steady = median after warm-up; speedup = tfjs / tensile (steady)`);
    console.log(line(['workload', 'tensile 1st', 'tensile ms', 'tfjs 1st', 'tfjs ms', 'speedup']));
    console.log('-'.repeat(WIDTHS.reduce((a, b) => a + b + 2, -2)));
  };
  let printed = false;
  const { rows, adapter } = await benchWebGpu(filter, (r) => {
    if (!printed) {
      header((getBackendInfoSafe()));
      printed = true;
    }
    console.log(line([r.workload.label, ms(r.tensile.coldMs), `${ms(r.tensile.steady.ms)} (${r.tensile.steady.runs})`,
      ms(r.tfjs.coldMs), `${ms(r.tfjs.steady.ms)} (${r.tfjs.steady.runs})`, `${r.speedup.toFixed(2)}x`]));
  });
  if (rows.length === 0) console.log(`\nWebGPU (${adapter}): no workload matches the filter`);
}

function getBackendInfoSafe(): string {
  const i = (getBackend() as WebGpuBackend).getBackendInfo();
  return `${i.vendor} ${i.architecture} ${i.description}`.trim();
}
