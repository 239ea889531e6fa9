// Conv2D and its two gradients as implicit GEMMs: the im2col matrix is never stored, its
// entries are read from x (or dy) where the GEMM needs them, and each invocation keeps a 4x4
// register block, so every value it loads feeds four multiply-adds.
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

/** Output channels and output pixels each Conv2D invocation computes (a register block). */
const BLOCK_CO = 4;
const BLOCK_PX = 4;
const WG_GEMM = 64;

/**
 * Conv2D as an implicit GEMM, C[co, pixel] = sum over (ci, kh, kw) of W[co, k] X[k, pixel],
 * where X is the im2col matrix read straight from x (never stored): each invocation holds a
 * 4-channel x 4-pixel block of C in registers, so every loaded weight and input value feeds four
 * multiply-adds instead of one. Padding reads as zero, as an im2col matrix holds it.
 */
export const conv2d: KernelImpl<'Conv2D', WebGpuBackend> = ({ x, w }, attrs, backend) => {
  const yShape = [x.shape[0]!, w.shape[0]!, attrs.outSize[0], attrs.outSize[1]];
  const out = backend.output(yShape, 'float32');
  if (sizeOf(yShape) === 0) return out;
  const pixels = yShape[0]! * yShape[2]! * yShape[3]!;
  const cog = w.shape[0]! / attrs.groups;
  const coBlocks = Math.ceil(cog / BLOCK_CO);
  const pxBlocks = Math.ceil(pixels / BLOCK_PX);
  const tiles = coBlocks * attrs.groups * pxBlocks;
  const spec = specialise([...geometry(x.shape, w.shape, yShape, attrs),
    ['PIX', 'u32', pixels], ['PXB', 'u32', pxBlocks], ['COB', 'u32', coBlocks]]);
  const px = [0, 1, 2, 3];
  const co = [0, 1, 2, 3];
  backend.run({
    key: `Conv2D|gemm|${spec.key}`,
    bindings: [
      { name: 'x', type: 'f32', buffer: backend.data(x).buffer },
      { name: 'w', type: 'f32', buffer: backend.data(w).buffer },
      { name: 'y', type: 'f32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['tiles', 'u32', tiles]],
    workgroupSize: [WG_GEMM, 1, 1],
    dispatch: grid1d(tiles, WG_GEMM),
    wgsl: () => ({
      decls: spec.consts,
      // Consecutive invocations take consecutive pixel blocks of one channel block: their
      // weight loads coincide. Rows and pixels past the edge are clamped and never stored.
      main: `
let t = ${flatIndex(WG_GEMM)};
if (t >= u.tiles) { return; }
let pb = t % PXB;
let cb = t / PXB;
let g = cb / COB;
let co0 = (cb % COB) * ${BLOCK_CO}u;
${px.map((j) => `let p${j} = min(pb * ${BLOCK_PX}u + ${j}u, PIX - 1u);
let b${j} = p${j} / (OW * OH);
let ih${j} = i32((p${j} / OW) % OH) * SH - PT;
let iw${j} = i32(p${j} % OW) * SW - PL;
let xb${j} = (b${j} * C + g * CG) * H * W;`).join('\n')}
${co.map((i) => `let wr${i} = (g * COG + min(co0 + ${i}u, COG - 1u)) * CG * KH * KW;`).join('\n')}
var acc0 = vec4<f32>(0.0); var acc1 = acc0; var acc2 = acc0; var acc3 = acc0;
for (var ci = 0u; ci < CG; ci = ci + 1u) {
  let xc = ci * H * W;
  let wc = ci * KH * KW;
  for (var kh = 0u; kh < KH; kh = kh + 1u) {
${px.map((j) => `    let y${j} = ih${j} + i32(kh) * DH;
    let yin${j} = y${j} >= 0i && y${j} < i32(H);
    let row${j} = xb${j} + xc + u32(clamp(y${j}, 0i, i32(H) - 1i)) * W;`).join('\n')}
    for (var kw = 0u; kw < KW; kw = kw + 1u) {
${px.map((j) => `      let c${j} = iw${j} + i32(kw) * DW;
      let v${j} = select(0.0, x[row${j} + u32(clamp(c${j}, 0i, i32(W) - 1i))], yin${j} && c${j} >= 0i && c${j} < i32(W));`).join('\n')}
      let xv = vec4<f32>(v0, v1, v2, v3);
      let k = wc + kh * KW + kw;
${co.map((i) => `      acc${i} = acc${i} + w[wr${i} + k] * xv;`).join('\n')}
    }
  }
}
${co.map((i) => `if (co0 + ${i}u < COG) {
  let plane = (g * COG + co0 + ${i}u) * OH * OW;
${px.map((j) => `  if (pb * ${BLOCK_PX}u + ${j}u < PIX) { y[(b${j} * CO) * OH * OW + plane + p${j} % (OH * OW)] = acc${i}[${j}]; }`).join('\n')}
}`).join('\n')}`,
    }),
  });
  return out;
};

/**
 * The input gradient as an implicit GEMM, dx[ci, pixel] = sum over (kh, kw, co) of
 * W[co, ci, kh, kw] dy[co, pixel shifted by (kh, kw)]: each invocation holds a 4-channel x
 * 4-input-pixel block; which (kh, kw) reach an output (stride, padding, dilation) is decided once
 * per tap and pixel, outside the loop over output channels.
 */
export const conv2dBackpropInput: KernelImpl<'Conv2DBackpropInput', WebGpuBackend> = ({ dy, w }, attrs, backend) => {
  const xShape = attrs.inputShape.slice();
  const out = backend.output(xShape, 'float32');
  if (sizeOf(xShape) === 0) return out;
  const pixels = xShape[0]! * xShape[2]! * xShape[3]!;
  const cg = w.shape[1]!;
  const ciBlocks = Math.ceil(cg / BLOCK_CO);
  const pxBlocks = Math.ceil(pixels / BLOCK_PX);
  const tiles = ciBlocks * attrs.groups * pxBlocks;
  const spec = specialise([...geometry(xShape, w.shape, dy.shape, attrs),
    ['PIX', 'u32', pixels], ['PXB', 'u32', pxBlocks], ['CIB', 'u32', ciBlocks]]);
  const px = [0, 1, 2, 3];
  const ch = [0, 1, 2, 3];
  backend.run({
    key: `Conv2DBackpropInput|gemm|${spec.key}`,
    bindings: [
      { name: 'dy', type: 'f32', buffer: backend.data(dy).buffer },
      { name: 'w', type: 'f32', buffer: backend.data(w).buffer },
      { name: 'dx', type: 'f32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['tiles', 'u32', tiles]],
    workgroupSize: [WG_GEMM, 1, 1],
    dispatch: grid1d(tiles, WG_GEMM),
    wgsl: () => ({
      decls: spec.consts,
      main: `
let t = ${flatIndex(WG_GEMM)};
if (t >= u.tiles) { return; }
let pb = t % PXB;
let cb = t / PXB;
let g = cb / CIB;
let ci0 = (cb % CIB) * ${BLOCK_CO}u;
${px.map((j) => `let p${j} = min(pb * ${BLOCK_PX}u + ${j}u, PIX - 1u);
let b${j} = p${j} / (W * H);
let th${j} = i32((p${j} / W) % H) + PT;
let tw${j} = i32(p${j} % W) + PL;
let dyb${j} = (b${j} * CO + g * COG) * OH * OW;`).join('\n')}
${ch.map((i) => `let wc${i} = (g * COG * CG + min(ci0 + ${i}u, CG - 1u)) * KH * KW;`).join('\n')}
var acc0 = vec4<f32>(0.0); var acc1 = acc0; var acc2 = acc0; var acc3 = acc0;
for (var kh = 0u; kh < KH; kh = kh + 1u) {
${px.map((j) => `  let sh${j} = th${j} - i32(kh) * DH;
  let oh${j} = sh${j} / SH;
  let hin${j} = sh${j} >= 0i && sh${j} % SH == 0i && oh${j} < i32(OH);`).join('\n')}
  for (var kw = 0u; kw < KW; kw = kw + 1u) {
${px.map((j) => `    let sw${j} = tw${j} - i32(kw) * DW;
    let ow${j} = sw${j} / SW;
    let in${j} = hin${j} && sw${j} >= 0i && sw${j} % SW == 0i && ow${j} < i32(OW);
    let at${j} = dyb${j} + u32(clamp(oh${j}, 0i, i32(OH) - 1i)) * OW + u32(clamp(ow${j}, 0i, i32(OW) - 1i));`).join('\n')}
    let tap = kh * KW + kw;
    for (var k = 0u; k < COG; k = k + 1u) {
      let plane = k * OH * OW;
      let dv = vec4<f32>(${px.map((j) => `select(0.0, dy[at${j} + plane], in${j})`).join(', ')});
      let wk = k * CG * KH * KW + tap;
${ch.map((i) => `      acc${i} = acc${i} + w[wc${i} + wk] * dv;`).join('\n')}
    }
  }
}
${ch.map((i) => `if (ci0 + ${i}u < CG) {
  let plane = (g * CG + ci0 + ${i}u) * H * W;
${px.map((j) => `  if (pb * ${BLOCK_PX}u + ${j}u < PIX) { dx[b${j} * C * H * W + plane + p${j} % (H * W)] = acc${i}[${j}]; }`).join('\n')}
}`).join('\n')}`,
    }),
  });
  return out;
};

/**
 * The filter gradient, dw[co, tap] = sum over (batch, output pixel) of dy[co, pixel] X[tap, pixel]
 * with tap = (ci, kh, kw): one workgroup per 4-channel x 4-tap block, its invocations splitting
 * the long sum (consecutive invocations take consecutive pixels) and adding their 4x4 partial
 * blocks in workgroup memory.
 */
export const conv2dBackpropFilter: KernelImpl<'Conv2DBackpropFilter', WebGpuBackend> = ({ x, dy }, attrs, backend) => {
  const wShape = attrs.filterShape.slice();
  const out = backend.output(wShape, 'float32');
  if (sizeOf(wShape) === 0) return out;
  const cog = wShape[0]! / attrs.groups;
  const taps = wShape[1]! * wShape[2]! * wShape[3]!;
  const coBlocks = Math.ceil(cog / BLOCK_CO);
  const tapBlocks = Math.ceil(taps / BLOCK_PX);
  const blocks = coBlocks * attrs.groups * tapBlocks;
  const spec = specialise([...geometry(x.shape, wShape, dy.shape, attrs),
    ['TAPS', 'u32', taps], ['TB', 'u32', tapBlocks], ['COB', 'u32', coBlocks]]);
  const tp = [0, 1, 2, 3];
  const co = [0, 1, 2, 3];
  backend.run({
    key: `Conv2DBackpropFilter|gemm|${spec.key}`,
    bindings: [
      { name: 'x', type: 'f32', buffer: backend.data(x).buffer },
      { name: 'dy', type: 'f32', buffer: backend.data(dy).buffer },
      { name: 'dw', type: 'f32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['blocks', 'u32', blocks]],
    workgroupSize: [WG, 1, 1],
    dispatch: groupsFor(blocks),
    wgsl: () => ({
      decls: `${spec.consts}
var<workgroup> part: array<array<vec4<f32>, ${WG}>, 4>;`,
      main: `
let blk = wid.x + wid.y * nwg.x;
if (blk >= u.blocks) { return; }
let tb = blk % TB;
let cb = blk / TB;
let g = cb / COB;
let co0 = (cb % COB) * ${BLOCK_CO}u;
${tp.map((j) => `let tap${j} = min(tb * ${BLOCK_PX}u + ${j}u, TAPS - 1u);
let kw${j} = i32(tap${j} % KW) * DW - PL;
let kh${j} = i32((tap${j} / KW) % KH) * DH - PT;
let xc${j} = (g * CG + tap${j} / (KW * KH)) * H * W;`).join('\n')}
${co.map((i) => `let dc${i} = (g * COG + min(co0 + ${i}u, COG - 1u)) * OH * OW;`).join('\n')}
var acc0 = vec4<f32>(0.0); var acc1 = acc0; var acc2 = acc0; var acc3 = acc0;
for (var t = lid.x; t < N * OH * OW; t = t + ${WG}u) {
  let b = t / (OW * OH);
  let r = t % (OW * OH);
  let ih = i32(r / OW) * SH;
  let iw = i32(r % OW) * SW;
  let dyb = b * CO * OH * OW + r;
  let dv = vec4<f32>(${co.map((i) => `dy[dyb + dc${i}]`).join(', ')});
  let xb = b * C * H * W;
${tp.map((j) => `  let y${j} = ih + kh${j};
  let c${j} = iw + kw${j};
  let v${j} = select(0.0, x[xb + xc${j} + u32(clamp(y${j}, 0i, i32(H) - 1i)) * W + u32(clamp(c${j}, 0i, i32(W) - 1i))],
    y${j} >= 0i && y${j} < i32(H) && c${j} >= 0i && c${j} < i32(W));
  acc${j} = acc${j} + v${j} * dv;`).join('\n')}
}
${tp.map((j) => `part[${j}][lid.x] = acc${j};`).join('\n')}
workgroupBarrier();
for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
  if (lid.x < s) {
${tp.map((j) => `    part[${j}][lid.x] = part[${j}][lid.x] + part[${j}][lid.x + s];`).join('\n')}
  }
  workgroupBarrier();
}
if (lid.x == 0u) {
${tp.map((j) => `  if (tb * ${BLOCK_PX}u + ${j}u < TAPS) {
${co.map((i) => `    if (co0 + ${i}u < COG) { dw[(g * COG + co0 + ${i}u) * TAPS + tap${j}] = part[${j}][0][${i}]; }`).join('\n')}
  }`).join('\n')}
}`,
    }),
  });
  return out;
};
