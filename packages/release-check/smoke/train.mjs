// Trains a small MLP for two epochs on one backend, with the installed tarballs only, and prints
// one JSON line: { backend, status: 'ok', losses, accuracies, leaked } or { status: 'unavailable', reason }.
// Usage: node train.mjs <backend package>
import { memory, setBackend, tensor } from '@tensile/core';
import { DataLoader, TensorDataset } from '@tensile/data';
import { Linear, ReLU, Sequential, fit } from '@tensile/layers';
import { crossEntropy } from '@tensile/layers/functional';
import { Adam } from '@tensile/optimizers';
import { registerFrom, webgpuUnavailable } from './load_backend.mjs';

const pkg = process.argv[2];
const say = (o) => console.log(JSON.stringify({ pkg, ...o }));

// A seeded, linearly separable two-class problem made on the host (mulberry32), so the data
// is the same on every backend: label 1 when x0 + 0.5 x1 - x2 > 0.
function syntheticData(n, seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 * 2 - 1;
  };
  const x = new Float32Array(n * 4);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 4; j++) x[i * 4 + j] = next();
    y[i] = x[i * 4] + 0.5 * x[i * 4 + 1] - x[i * 4 + 2] > 0 ? 1 : 0;
  }
  return [tensor(x, [n, 4]), tensor(y, [n], 'int32')];
}

if (pkg.endsWith('/backend-webgpu') && !globalThis.navigator?.gpu) {
  // Node has no WebGPU of its own: the npm `webgpu` package (Dawn) provides it when installed.
  try {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    const gpu = create([]);
    if (globalThis.navigator) Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true });
    else globalThis.navigator = { gpu };
  } catch (e) {
    say({ status: 'unavailable', reason: `no WebGPU in Node: the 'webgpu' package could not be loaded (${e.message})` });
    process.exit(0);
  }
}
const names = await registerFrom({ pkg, load: () => import(`${pkg}/register`).catch((e) => {
  if (e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
  throw e;
}), module: () => import(pkg) });
const backend = names[0];
if (pkg.endsWith('/backend-webgpu')) {
  const why = await webgpuUnavailable();
  if (why) {
    say({ backend, status: 'unavailable', reason: why });
    process.exit(0);
  }
}
await setBackend(backend);

const before = memory().tensors;
const [x, y] = syntheticData(256, 7);
const model = new Sequential(new Linear(4, 16, { seed: 1 }), new ReLU(), new Linear(16, 2, { seed: 2 }));
const optimizer = new Adam(model.parameters(), { lr: 0.05 });
const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 32, shuffle: true, seed: 0 });
const history = await fit(model, loader, { optimizer, loss: crossEntropy, epochs: 2, metrics: ['accuracy'] });
optimizer.dispose();
model.dispose();
x.dispose();
y.dispose();
say({ backend, status: 'ok', losses: history.map((h) => h.loss), accuracies: history.map((h) => h.accuracy), leaked: memory().tensors - before });
