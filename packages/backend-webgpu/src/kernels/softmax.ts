// Softmax and log-softmax along one axis: one workgroup per row, with workgroup reductions for
// the row's maximum and its sum of exponentials (the maximum is subtracted first, so large
// magnitudes do not overflow).
import type { KernelImpl } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { flatIndex, grid1d } from '../program.js';
import { EXACT_MATH_WGSL } from './exact_math.js';
import { groupsFor, sizeOf } from './layout.js';

const WG = 64;

export const softmax: KernelImpl<'Softmax', WebGpuBackend> = ({ x }, { axis, log }, backend) => {
  const out = backend.output(x.shape.slice(), 'float32');
  const n = sizeOf(x.shape);
  if (n === 0) return out;
  const len = x.shape[axis]!;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const rows = n / len;
  const write = log ? 'v - m - log_(s)' : 'exp_(v - m) / s';
  if (!backend.tiled) {
    // CPU adapters (SwiftShader): one invocation per row, no barriers (they cost more there
    // than the parallelism within a row gains).
    const WG1 = 64;
    backend.run({
      key: `Softmax|${log ? 'log' : 'exp'}|row`,
      bindings: [
        { name: 'x', type: 'f32', buffer: backend.data(x).buffer },
        { name: 'out', type: 'f32', buffer: backend.data(out).buffer, write: true },
      ],
      uniforms: [['rows', 'u32', rows], ['len', 'u32', len], ['inner', 'u32', inner]],
      workgroupSize: [WG1, 1, 1],
      dispatch: grid1d(rows, WG1),
      wgsl: () => ({
        decls: EXACT_MATH_WGSL,
        main: `
let row = ${flatIndex(WG1)};
if (row >= u.rows) { return; }
let o = row / u.inner;
let base = o * u.len * u.inner + (row - o * u.inner);
var m = -inf_f32();
for (var k = 0u; k < u.len; k = k + 1u) { m = max_nan(m, x[base + k * u.inner]); }
var s = 0.0;
for (var k = 0u; k < u.len; k = k + 1u) { s = s + exp_(x[base + k * u.inner] - m); }
for (var k = 0u; k < u.len; k = k + 1u) {
  let v = x[base + k * u.inner];
  out[base + k * u.inner] = ${write};
}`,
      }),
    });
    return out;
  }
  backend.run({
    key: `Softmax|${log ? 'log' : 'exp'}`,
    bindings: [
      { name: 'x', type: 'f32', buffer: backend.data(x).buffer },
      { name: 'out', type: 'f32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['rows', 'u32', rows], ['len', 'u32', len], ['inner', 'u32', inner]],
    workgroupSize: [WG, 1, 1],
    dispatch: groupsFor(rows),
    wgsl: () => ({
      decls: `${EXACT_MATH_WGSL}\nvar<workgroup> part: array<f32, ${WG}>;`,
      main: `
let row = wid.x + wid.y * nwg.x;
if (row >= u.rows) { return; }
let o = row / u.inner;
let base = o * u.len * u.inner + (row - o * u.inner);
var m = -inf_f32();
for (var k = lid.x; k < u.len; k = k + ${WG}u) { m = max_nan(m, x[base + k * u.inner]); }
part[lid.x] = m;
workgroupBarrier();
for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
  if (lid.x < s) { part[lid.x] = max_nan(part[lid.x], part[lid.x + s]); }
  workgroupBarrier();
}
m = part[0];
workgroupBarrier();
var acc = 0.0;
for (var k = lid.x; k < u.len; k = k + ${WG}u) { acc = acc + exp_(x[base + k * u.inner] - m); }
part[lid.x] = acc;
workgroupBarrier();
for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
  if (lid.x < s) { part[lid.x] = part[lid.x] + part[lid.x + s]; }
  workgroupBarrier();
}
let s = part[0];
for (var k = lid.x; k < u.len; k = k + ${WG}u) {
  let v = x[base + k * u.inner];
  out[base + k * u.inner] = ${write};
}`,
    }),
  });
  return out;
};
