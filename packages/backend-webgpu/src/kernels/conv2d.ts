// Conv2D and its two gradients, direct (no im2col buffer): Conv2D and the input gradient run
// one invocation per output element; the filter gradient, whose every element sums over the
// whole batch and image, runs one workgroup per element with a workgroup reduction.
import type { ConvAttrs, KernelImpl } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { flatIndex, grid1d } from '../program.js';
import type { Uniform } from '../uniforms.js';
import { groupsFor, sizeOf } from './layout.js';

const WG = 64;

/**
 * The geometry as WGSL constants and a key suffix: shape-specialised shaders (the compiler
 * unrolls the small kernel loops and folds the index arithmetic, several times faster).
 */
function specialise(g: Uniform[]): { consts: string; key: string } {
  const consts = g.map(([n, t, v]) => `const ${n} = ${v}${t === 'u32' ? 'u' : 'i'};`).join('\n');
  return { consts, key: g.map(([, , v]) => v).join(',') };
}

/** Geometry shared by the three kernels: x [N, C, H, W], w [Co, C/g, kH, kW], y [N, Co, oH, oW]. */
function geometry(x: number[], w: number[], y: number[], a: ConvAttrs): Uniform[] {
  return [
    ['N', 'u32', x[0]!], ['C', 'u32', x[1]!], ['H', 'u32', x[2]!], ['W', 'u32', x[3]!],
    ['CO', 'u32', w[0]!], ['CG', 'u32', w[1]!], ['KH', 'u32', w[2]!], ['KW', 'u32', w[3]!],
    ['OH', 'u32', y[2]!], ['OW', 'u32', y[3]!],
    ['SH', 'i32', a.stride[0]], ['SW', 'i32', a.stride[1]], ['PT', 'i32', a.pad[0]], ['PL', 'i32', a.pad[2]],
    ['DH', 'i32', a.dilation[0]], ['DW', 'i32', a.dilation[1]], ['COG', 'u32', w[0]! / a.groups],
  ];
}

export const conv2d: KernelImpl<'Conv2D', WebGpuBackend> = ({ x, w }, attrs, backend) => {
  const yShape = [x.shape[0]!, w.shape[0]!, attrs.outSize[0], attrs.outSize[1]];
  const out = backend.output(yShape, 'float32');
  const n = sizeOf(yShape);
  if (n === 0) return out;
  const WG1 = 256;
  const spec = specialise(geometry(x.shape, w.shape, yShape, attrs));
  backend.run({
    key: `Conv2D|${spec.key}`,
    bindings: [
      { name: 'x', type: 'f32', buffer: backend.data(x).buffer },
      { name: 'w', type: 'f32', buffer: backend.data(w).buffer },
      { name: 'y', type: 'f32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['n', 'u32', n]],
    workgroupSize: [WG1, 1, 1],
    dispatch: grid1d(n, WG1),
    wgsl: () => ({
      decls: spec.consts,
      main: `
let idx = ${flatIndex(WG1)};
if (idx >= u.n) { return; }
let ow = idx % OW;
let oh = (idx / OW) % OH;
let co = (idx / (OW * OH)) % CO;
let b = idx / (OW * OH * CO);
let g = co / COG;
var acc = 0.0;
for (var ci = 0u; ci < CG; ci = ci + 1u) {
  let xPlane = (b * C + g * CG + ci) * H * W;
  let wBase = (co * CG + ci) * KH * KW;
  for (var kh = 0u; kh < KH; kh = kh + 1u) {
    let ih = i32(oh) * SH - PT + i32(kh) * DH;
    if (ih < 0i || ih >= i32(H)) { continue; }
    for (var kw = 0u; kw < KW; kw = kw + 1u) {
      let iw = i32(ow) * SW - PL + i32(kw) * DW;
      if (iw < 0i || iw >= i32(W)) { continue; }
      acc = acc + x[xPlane + u32(ih) * W + u32(iw)] * w[wBase + kh * KW + kw];
    }
  }
}
y[idx] = acc;`,
    }),
  });
  return out;
};

export const conv2dBackpropInput: KernelImpl<'Conv2DBackpropInput', WebGpuBackend> = ({ dy, w }, attrs, backend) => {
  const xShape = attrs.inputShape.slice();
  const out = backend.output(xShape, 'float32');
  const n = sizeOf(xShape);
  if (n === 0) return out;
  const WG1 = 256;
  const spec = specialise(geometry(xShape, w.shape, dy.shape, attrs));
  backend.run({
    key: `Conv2DBackpropInput|${spec.key}`,
    bindings: [
      { name: 'dy', type: 'f32', buffer: backend.data(dy).buffer },
      { name: 'w', type: 'f32', buffer: backend.data(w).buffer },
      { name: 'dx', type: 'f32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['n', 'u32', n]],
    workgroupSize: [WG1, 1, 1],
    dispatch: grid1d(n, WG1),
    wgsl: () => ({
      decls: spec.consts,
      main: `
let idx = ${flatIndex(WG1)};
if (idx >= u.n) { return; }
let iw = i32(idx % W);
let ih = i32((idx / W) % H);
let c = (idx / (W * H)) % C;
let b = idx / (W * H * C);
let g = c / CG;
let ci = c - g * CG;
var acc = 0.0;
for (var kh = 0u; kh < KH; kh = kh + 1u) {
  let th = ih + PT - i32(kh) * DH;
  if (th < 0i || th % SH != 0i) { continue; }
  let oh = th / SH;
  if (oh >= i32(OH)) { continue; }
  for (var kw = 0u; kw < KW; kw = kw + 1u) {
    let tw = iw + PL - i32(kw) * DW;
    if (tw < 0i || tw % SW != 0i) { continue; }
    let ow = tw / SW;
    if (ow >= i32(OW)) { continue; }
    for (var k = 0u; k < COG; k = k + 1u) {
      let co = g * COG + k;
      acc = acc + dy[((b * CO + co) * OH + u32(oh)) * OW + u32(ow)] * w[((co * CG + ci) * KH + kh) * KW + kw];
    }
  }
}
dx[idx] = acc;`,
    }),
  });
  return out;
};

export const conv2dBackpropFilter: KernelImpl<'Conv2DBackpropFilter', WebGpuBackend> = ({ x, dy }, attrs, backend) => {
  const wShape = attrs.filterShape.slice();
  const out = backend.output(wShape, 'float32');
  const n = sizeOf(wShape);
  if (n === 0) return out;
  const spec = specialise(geometry(x.shape, wShape, dy.shape, attrs));
  backend.run({
    key: `Conv2DBackpropFilter|${spec.key}`,
    bindings: [
      { name: 'x', type: 'f32', buffer: backend.data(x).buffer },
      { name: 'dy', type: 'f32', buffer: backend.data(dy).buffer },
      { name: 'dw', type: 'f32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['n', 'u32', n]],
    workgroupSize: [WG, 1, 1],
    dispatch: groupsFor(n),
    wgsl: () => ({
      decls: `${spec.consts}
var<workgroup> part: array<f32, ${WG}>;`,
      main: `
let idx = wid.x + wid.y * nwg.x;
if (idx >= u.n) { return; }
let kw = idx % KW;
let kh = (idx / KW) % KH;
let ci = (idx / (KW * KH)) % CG;
let co = idx / (KW * KH * CG);
let c = (co / COG) * CG + ci;
let total = N * OH * OW;
var acc = 0.0;
for (var t = lid.x; t < total; t = t + ${WG}u) {
  let ow = t % OW;
  let oh = (t / OW) % OH;
  let b = t / (OW * OH);
  let ih = i32(oh) * SH - PT + i32(kh) * DH;
  let iw = i32(ow) * SW - PL + i32(kw) * DW;
  if (ih < 0i || ih >= i32(H) || iw < 0i || iw >= i32(W)) { continue; }
  acc = acc + x[((b * C + c) * H + u32(ih)) * W + u32(iw)] * dy[((b * CO + co) * OH + oh) * OW + ow];
}
part[lid.x] = acc;
workgroupBarrier();
for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
  if (lid.x < s) { part[lid.x] = part[lid.x] + part[lid.x + s]; }
  workgroupBarrier();
}
if (lid.x == 0u) { dw[idx] = part[0]; }`,
    }),
  });
  return out;
};

