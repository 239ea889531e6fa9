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
const x1 = T.randn([64, 1, 28, 28]), w1 = T.randn([6, 1, 5, 5]);
const x2 = T.randn([64, 6, 14, 14]), w2 = T.randn([16, 6, 5, 5]);
const dy1 = T.randn([64, 6, 28, 28]), dy2 = T.randn([64, 16, 10, 10]);
await time('conv1 fwd', () => T.conv2d(x1, w1, { padding: 2 }));
await time('conv2 fwd', () => T.conv2d(x2, w2));
const gw = (x, w, dy, pad) => () => T.tidy(() => T.grad((w) => T.sum(T.mul(T.conv2d(x, w, { padding: pad }), dy)))(w)[0]);
const gx = (x, w, dy, pad) => () => T.tidy(() => T.grad((x) => T.sum(T.mul(T.conv2d(x, w, { padding: pad }), dy)))(x)[0]);
await time('conv1 grad w (+fwd)', gw(x1, w1, dy1, 2));
await time('conv2 grad w (+fwd)', gw(x2, w2, dy2, 0));
await time('conv2 grad x (+fwd)', gx(x2, w2, dy2, 0));
await time('maxpool', () => T.maxPool2d(dy1, { kernelSize: 2 }));
const a = T.randn([64, 400]), b = T.randn([400, 120]);
await time('matmul 64x400x120', () => T.matmul(a, b));
for (const n of [256, 512, 1024]) { const p = T.randn([n, n]), q = T.randn([n, n]); await time(`matmul ${n}`, () => T.matmul(p, q), 2); }
