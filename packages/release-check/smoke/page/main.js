// The bundled page: @tensile/core plus every backend (backends.js is written by the test, one
// static import per backend package, as an app would write them). Each backend computes a few
// values with known answers; the results land on window.__smoke for the test to compare.
import { matmul, memory, setBackend, softmax, tensor, valueAndGrad } from '@tensile/core';
import { backends } from './backends.js';
import { registerFrom, webgpuUnavailable } from '../load_backend.mjs';

async function runOn(b) {
  let backend;
  try {
    [backend] = await registerFrom(b);
    if (b.pkg.endsWith('/backend-webgpu')) {
      const why = await webgpuUnavailable();
      if (why) return { pkg: b.pkg, backend, status: 'unavailable', reason: why };
    }
    await setBackend(backend);
    const before = memory().tensors;
    const a = tensor([[1, 2], [3, 4]]);
    const b2 = tensor([[5, 6], [7, 8]]);
    const m = matmul(a, b2);
    const w = tensor([1, -2, 3]);
    const { value, grads } = valueAndGrad((w) => w.square().sum())(w);
    const logits = tensor([0, Math.log(3)]);
    const s = softmax(logits);
    const out = {
      pkg: b.pkg, backend, status: 'ok',
      matmul: Array.from(await m.data()),
      value: Array.from(await value.data()),
      grad: Array.from(await grads[0].data()),
      softmax: Array.from(await s.data()),
    };
    [a, b2, m, w, value, ...grads, logits, s].forEach((t) => t.dispose());
    out.leaked = memory().tensors - before;
    return out;
  } catch (e) {
    return { pkg: b.pkg, backend, status: 'error', reason: String(e && e.stack || e) };
  }
}

const results = [];
for (const b of backends) results.push(await runOn(b));
document.getElementById('out').textContent = JSON.stringify(results, null, 2);
window.__smoke = results;
