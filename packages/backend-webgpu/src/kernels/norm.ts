// BatchNorm and LayerNorm, fused. BatchNorm is one elementwise pass (each invocation folds its
// channel's scale, as the decomposition does); LayerNorm takes two passes per row (mean, then
// the variance of the centred values, so a large mean does not cancel it): one invocation per
// row on CPU adapters, one workgroup per row with workgroup reductions on GPUs.
import type { FusedKernelImpl, TensorInfo } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import type { Binding } from '../program.js';
import { flatIndex, grid1d } from '../program.js';
import { groupsFor, sizeOf } from './layout.js';
import { MATH_WGSL } from './math.js';

const WG = 64;

/** Optional [n]-vector inputs as read-only bindings, and the WGSL factor/term they stand for. */
function affine(backend: WebGpuBackend, weight: TensorInfo | undefined, bias: TensorInfo | undefined, at: string) {
  const bindings: Binding[] = [
    ...(weight ? [{ name: 'weight', type: 'f32' as const, buffer: backend.data(weight).buffer }] : []),
    ...(bias ? [{ name: 'bias', type: 'f32' as const, buffer: backend.data(bias).buffer }] : []),
  ];
  return { bindings, w: weight ? `weight[${at}]` : '1.0', b: bias ? `bias[${at}]` : '0.0', key: `${weight ? 'w' : ''}${bias ? 'b' : ''}` };
}

/** The BatchNorm kernel: x [N, C, ...], per-channel statistics and affine. */
export const batchNorm: FusedKernelImpl<'BatchNorm', WebGpuBackend> = ({ x, mean, variance, weight, bias }, { eps }, backend) => {
  const out = backend.output(x.shape.slice(), 'float32');
  const n = sizeOf(x.shape);
  if (n === 0) return out;
  const a = affine(backend, weight, bias, 'ch');
  backend.run({
    key: `BatchNorm|${a.key}`,
    bindings: [
      { name: 'x', type: 'f32', buffer: backend.data(x).buffer },
      { name: 'mean', type: 'f32', buffer: backend.data(mean).buffer },
      { name: 'variance', type: 'f32', buffer: backend.data(variance).buffer },
      ...a.bindings,
      { name: 'out', type: 'f32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['n', 'u32', n], ['c', 'u32', x.shape[1]!], ['inner', 'u32', sizeOf(x.shape.slice(2))], ['eps', 'f32', eps]],
    workgroupSize: [256, 1, 1],
    dispatch: grid1d(n),
    wgsl: () => ({
      decls: MATH_WGSL,
      main: `
let i = ${flatIndex(256)};
if (i >= u.n) { return; }
let ch = (i / u.inner) % u.c;
// rsqrt(variance + eps) * weight, rounded in float32 as the decomposition's kernels round it.
let scale = (1.0 / safe_sqrt(variance[ch] + u.eps)) * ${a.w};
out[i] = (x[i] - mean[ch]) * scale + ${a.b};`,
    }),
  });
  return out;
};

/** The LayerNorm kernel: each run of x's last `normalizedDims` dims normalised on its own. */
export const layerNorm: FusedKernelImpl<'LayerNorm', WebGpuBackend> = ({ x, weight, bias }, { normalizedDims, eps }, backend) => {
  const out = backend.output(x.shape.slice(), 'float32');
  const n = sizeOf(x.shape);
  if (n === 0) return out;
  const len = sizeOf(x.shape.slice(x.shape.length - normalizedDims));
  const rows = n / len;
  const a = affine(backend, weight, bias, 'k');
  const bindings: Binding[] = [
    { name: 'x', type: 'f32', buffer: backend.data(x).buffer },
    ...a.bindings,
    { name: 'out', type: 'f32', buffer: backend.data(out).buffer, write: true },
  ];
  const uniforms = [['rows', 'u32', rows], ['len', 'u32', len], ['eps', 'f32', eps]] as const;
  const write = `out[base + k] = (x[base + k] - m) * rstd * ${a.w} + ${a.b};`;
  if (!backend.tiled) {
    // CPU adapters (SwiftShader): one invocation per row, no barriers.
    backend.run({
      key: `LayerNorm|${a.key}|row`,
      bindings,
      uniforms: [...uniforms],
      workgroupSize: [WG, 1, 1],
      dispatch: grid1d(rows, WG),
      wgsl: () => ({
        decls: MATH_WGSL,
        main: `
let row = ${flatIndex(WG)};
if (row >= u.rows) { return; }
let base = row * u.len;
var s = 0.0;
for (var k = 0u; k < u.len; k = k + 1u) { s = s + x[base + k]; }
let m = s / f32(u.len);
var ss = 0.0;
for (var k = 0u; k < u.len; k = k + 1u) { let d = x[base + k] - m; ss = ss + d * d; }
let rstd = 1.0 / safe_sqrt(ss / f32(u.len) + u.eps);
for (var k = 0u; k < u.len; k = k + 1u) { ${write} }`,
      }),
    });
    return out;
  }
  backend.run({
    key: `LayerNorm|${a.key}`,
    bindings,
    uniforms: [...uniforms],
    workgroupSize: [WG, 1, 1],
    dispatch: groupsFor(rows),
    wgsl: () => ({
      decls: `${MATH_WGSL}\nvar<workgroup> part: array<f32, ${WG}>;`,
      main: `
let row = wid.x + wid.y * nwg.x;
if (row >= u.rows) { return; }
let base = row * u.len;
var acc = 0.0;
for (var k = lid.x; k < u.len; k = k + ${WG}u) { acc = acc + x[base + k]; }
part[lid.x] = acc;
workgroupBarrier();
for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
  if (lid.x < s) { part[lid.x] = part[lid.x] + part[lid.x + s]; }
  workgroupBarrier();
}
let m = part[0] / f32(u.len);
workgroupBarrier();
acc = 0.0;
for (var k = lid.x; k < u.len; k = k + ${WG}u) { let d = x[base + k] - m; acc = acc + d * d; }
part[lid.x] = acc;
workgroupBarrier();
for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
  if (lid.x < s) { part[lid.x] = part[lid.x] + part[lid.x + s]; }
  workgroupBarrier();
}
let rstd = 1.0 / safe_sqrt(part[0] / f32(u.len) + u.eps);
for (var k = lid.x; k < u.len; k = k + ${WG}u) { ${write} }`,
    }),
  });
  return out;
};
