// Conv2D and its two gradients, direct (no im2col buffer): Conv2D and the input gradient run
// one invocation per output element; the filter gradient, whose every element sums over the
// whole batch and image, runs one workgroup per element with a workgroup reduction.
import type { ConvAttrs, KernelImpl } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { flatIndex, grid1d } from '../program.js';
import type { Uniform } from '../uniforms.js';
import { groupsFor, sizeOf } from './layout.js';

const WG = 64;

/** Geometry uniforms shared by the three kernels: x [N, C, H, W], w [Co, C/g, kH, kW], y [N, Co, oH, oW]. */
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
  backend.run({
    key: 'Conv2D',
    bindings: [
      { name: 'x', type: 'f32', buffer: backend.data(x).buffer },
      { name: 'w', type: 'f32', buffer: backend.data(w).buffer },
      { name: 'y', type: 'f32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['n', 'u32', n], ...geometry(x.shape, w.shape, yShape, attrs)],
    workgroupSize: [WG1, 1, 1],
    dispatch: grid1d(n, WG1),
    wgsl: () => ({
      main: `
let idx = ${flatIndex(WG1)};
if (idx >= u.n) { return; }
let ow = idx % u.OW;
let oh = (idx / u.OW) % u.OH;
let co = (idx / (u.OW * u.OH)) % u.CO;
let b = idx / (u.OW * u.OH * u.CO);
let g = co / u.COG;
var acc = 0.0;
for (var ci = 0u; ci < u.CG; ci = ci + 1u) {
  let xPlane = (b * u.C + g * u.CG + ci) * u.H * u.W;
  let wBase = (co * u.CG + ci) * u.KH * u.KW;
  for (var kh = 0u; kh < u.KH; kh = kh + 1u) {
    let ih = i32(oh) * u.SH - u.PT + i32(kh) * u.DH;
    if (ih < 0i || ih >= i32(u.H)) { continue; }
    for (var kw = 0u; kw < u.KW; kw = kw + 1u) {
      let iw = i32(ow) * u.SW - u.PL + i32(kw) * u.DW;
      if (iw < 0i || iw >= i32(u.W)) { continue; }
      acc = acc + x[xPlane + u32(ih) * u.W + u32(iw)] * w[wBase + kh * u.KW + kw];
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
  backend.run({
    key: 'Conv2DBackpropInput',
    bindings: [
      { name: 'dy', type: 'f32', buffer: backend.data(dy).buffer },
      { name: 'w', type: 'f32', buffer: backend.data(w).buffer },
      { name: 'dx', type: 'f32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['n', 'u32', n], ...geometry(xShape, w.shape, dy.shape, attrs)],
    workgroupSize: [WG1, 1, 1],
    dispatch: grid1d(n, WG1),
    wgsl: () => ({
      main: `
let idx = ${flatIndex(WG1)};
if (idx >= u.n) { return; }
let iw = i32(idx % u.W);
let ih = i32((idx / u.W) % u.H);
let c = (idx / (u.W * u.H)) % u.C;
let b = idx / (u.W * u.H * u.C);
let g = c / u.CG;
let ci = c - g * u.CG;
var acc = 0.0;
for (var kh = 0u; kh < u.KH; kh = kh + 1u) {
  let th = ih + u.PT - i32(kh) * u.DH;
  if (th < 0i || th % u.SH != 0i) { continue; }
  let oh = th / u.SH;
  if (oh >= i32(u.OH)) { continue; }
  for (var kw = 0u; kw < u.KW; kw = kw + 1u) {
    let tw = iw + u.PL - i32(kw) * u.DW;
    if (tw < 0i || tw % u.SW != 0i) { continue; }
    let ow = tw / u.SW;
    if (ow >= i32(u.OW)) { continue; }
    for (var k = 0u; k < u.COG; k = k + 1u) {
      let co = g * u.COG + k;
      acc = acc + dy[((b * u.CO + co) * u.OH + u32(oh)) * u.OW + u32(ow)] * w[((co * u.CG + ci) * u.KH + kh) * u.KW + kw];
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
  backend.run({
    key: 'Conv2DBackpropFilter',
    bindings: [
      { name: 'x', type: 'f32', buffer: backend.data(x).buffer },
      { name: 'dy', type: 'f32', buffer: backend.data(dy).buffer },
      { name: 'dw', type: 'f32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['n', 'u32', n], ...geometry(x.shape, wShape, dy.shape, attrs)],
    workgroupSize: [WG, 1, 1],
    dispatch: groupsFor(n),
    wgsl: () => ({
      decls: `var<workgroup> part: array<f32, ${WG}>;`,
      main: `
let idx = wid.x + wid.y * nwg.x;
if (idx >= u.n) { return; }
let kw = idx % u.KW;
let kh = (idx / u.KW) % u.KH;
let ci = (idx / (u.KW * u.KH)) % u.CG;
let co = idx / (u.KW * u.KH * u.CG);
let c = (co / u.COG) * u.CG + ci;
let total = u.N * u.OH * u.OW;
var acc = 0.0;
for (var t = lid.x; t < total; t = t + ${WG}u) {
  let ow = t % u.OW;
  let oh = (t / u.OW) % u.OH;
  let b = t / (u.OW * u.OH);
  let ih = i32(oh) * u.SH - u.PT + i32(kh) * u.DH;
  let iw = i32(ow) * u.SW - u.PL + i32(kw) * u.DW;
  if (ih < 0i || ih >= i32(u.H) || iw < 0i || iw >= i32(u.W)) { continue; }
  acc = acc + x[((b * u.C + c) * u.H + u32(ih)) * u.W + u32(iw)] * dy[((b * u.CO + co) * u.OH + oh) * u.OW + ow];
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

