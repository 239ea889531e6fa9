import * as T from '/work/wt-webgpu/packages/core/dist/index.js';
import { createWebGpuBackend } from '/work/wt-webgpu/packages/backend-webgpu/dist/index.js';
T.registerBackend('webgpu', () => createWebGpuBackend());
await T.setBackend(process.env.BE ?? 'webgpu');
async function time(label, f, reps = 3) {
  let r = f(); await r.data(); r.dispose();
  const t = performance.now();
  for (let i = 0; i < reps; i++) { r = f(); await r.data(); r.dispose(); }
  console.log(label, ((performance.now() - t) / reps).toFixed(1), 'ms');
}
const p = T.randn([1024, 1024]), q = T.randn([1024, 1024]);
await time('add 1M', () => T.add(p, q));
await time('read only', () => ({ data: () => p.data(), dispose() {} }));
const s = T.randn([64, 6, 28, 28]);
await time('sum', () => T.sum(s));
const x1 = T.randn([64, 1, 28, 28]), w1 = T.randn([6, 1, 5, 5]);
await time('conv1 fwd', () => T.conv2d(x1, w1, { padding: 2 }));
