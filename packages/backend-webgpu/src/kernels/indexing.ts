// Gather, ScatterAdd and OneHot. ScatterAdd needs no float atomics: every output element is
// the sum, in index order, of the updates whose (wrapped) index equals its position — a
// segment sum that is also deterministic.
import type { KernelImpl } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { axisCoords, elemOf, flatGuard, grid1d, storeInt } from '../program.js';
import { sizeOf } from './layout.js';

const WG = 256;

export const gather: KernelImpl<'Gather', WebGpuBackend> = ({ x, indices }, { axis }, backend) => {
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const out = backend.output(shape, x.dtype);
  const n = sizeOf(shape);
  if (n === 0) return out;
  const T = elemOf(x.dtype);
  const m = sizeOf(indices.shape);
  backend.run({
    key: `Gather|${T}`,
    bindings: [
      { name: 'x', type: T, buffer: backend.data(x).buffer },
      { name: 'ind', type: 'i32', buffer: backend.data(indices).buffer },
      { name: 'out', type: T, buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['n', 'u32', n], ['m', 'u32', m], ['len', 'i32', x.shape[axis]!], ['inner', 'u32', sizeOf(x.shape.slice(axis + 1))]],
    workgroupSize: [WG, 1, 1],
    dispatch: grid1d(n, WG),
    wgsl: () => ({
      main: `
${flatGuard(WG)}
${axisCoords('u.m', 'u.inner')}
var k = ind[j];
if (k < 0i) { k = k + u.len; }
if (k < 0i || k >= u.len) { out[idx] = ${T}(0); return; }
out[idx] = x[(o * u32(u.len) + u32(k)) * u.inner + i];`,
    }),
  });
  return out;
};

export const scatterAdd: KernelImpl<'ScatterAdd', WebGpuBackend> = ({ updates, indices }, { axis, size }, backend) => {
  const rest = updates.shape.slice(axis + indices.shape.length);
  const shape = [...updates.shape.slice(0, axis), size, ...rest];
  const out = backend.output(shape, updates.dtype);
  const n = sizeOf(shape);
  if (n === 0) return out;
  const T = elemOf(updates.dtype);
  const m = sizeOf(indices.shape);
  const store = T === 'f32' ? 'acc' : storeInt(updates.dtype, 'acc');
  backend.run({
    key: `ScatterAdd|${updates.dtype}`,
    bindings: [
      { name: 'upd', type: T, buffer: backend.data(updates).buffer },
      { name: 'ind', type: 'i32', buffer: backend.data(indices).buffer },
      { name: 'out', type: T, buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['n', 'u32', n], ['m', 'u32', m], ['size', 'i32', size], ['inner', 'u32', sizeOf(rest)]],
    workgroupSize: [WG, 1, 1],
    dispatch: grid1d(n, WG),
    wgsl: () => ({
      main: `
${flatGuard(WG)}
${axisCoords('u32(u.size)', 'u.inner', 'kk')}
let k = i32(kk);
var acc = ${T}(0);
for (var j = 0u; j < u.m; j = j + 1u) {
  var t = ind[j];
  if (t < 0i) { t = t + u.size; }
  if (t == k) { acc = acc + upd[(o * u.m + j) * u.inner + i]; }
}
out[idx] = ${store};`,
    }),
  });
  return out;
};

export const oneHot: KernelImpl<'OneHot', WebGpuBackend> = ({ indices }, { depth, on, off, dtype }, backend) => {
  const shape = [...indices.shape, depth];
  const out = backend.output(shape, dtype);
  const n = sizeOf(shape);
  if (n === 0) return out;
  const T = elemOf(dtype);
  const cast = (v: number): number => (dtype === 'bool' ? Number(v !== 0) : v);
  backend.run({
    key: `OneHot|${T}`,
    bindings: [
      { name: 'ind', type: 'i32', buffer: backend.data(indices).buffer },
      { name: 'out', type: T, buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['n', 'u32', n], ['depth', 'u32', depth], ['on', T, cast(on)], ['off', T, cast(off)]],
    workgroupSize: [WG, 1, 1],
    dispatch: grid1d(n, WG),
    wgsl: () => ({
      main: `
${flatGuard(WG)}
let d = idx % u.depth;
let k = ind[idx / u.depth];
out[idx] = select(u.off, u.on, k >= 0i && u32(k) == d);`,
    }),
  });
  return out;
};
