// Conv2D and its two gradients as implicit GEMMs: the im2col matrix is never stored, its
// entries are read from x (or dy) where the GEMM needs them, and each invocation keeps a
// register block of channels x pixels (or taps), so every value it loads feeds several
// multiply-adds.
import type { KernelImpl } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { flatIndex, grid1d, type Binding } from '../program.js';
import { geometry, specialise } from './conv_geometry.js';
import { conv2dRows, rowsApply } from './conv2d_rows.js';
import { groupsFor, sizeOf } from './layout.js';

/**
 * Pixels of an invocation's register block in the forward and input-gradient GEMMs (vec4s of
 * them). On SwiftShader, 8 pixels compiled ~10x slower (20 s) than 4, and ran no faster on the
 * 56x56x64 3x3 conv; the channel block is the one that pays.
 */
const BLOCK_PX = 4;
/**
 * Channels of that block: up to 8 (all of a group's, when fewer). 16 loads fewer per
 * multiply-add but takes SwiftShader seconds to compile per shader, and a training step meets
 * many conv shapes on its first call.
 */
const blockCh = (perGroup: number): number => Math.min(8, perGroup);
const WG_GEMM = 64;
const seq = (n: number): number[] => [...Array(n).keys()];

/**
 * What the forward and input-gradient GEMMs share: each invocation computes a block of `ch`
 * channels x BLOCK_PX pixels of an NCHW output (out[n, g * PG + c, pixel]), consecutive
 * invocations taking consecutive pixel blocks of one channel block (their weight loads
 * coincide). `preamble` decodes the block: channels c0 + i of group g, pixels p{j} (clamped:
 * computed on repeated data, never stored) of image b{j}; `stores` writes acc{i}_{v}, whose
 * components are pixels 4v..4v+3, skipping what lies past the edges.
 */
function outputBlock(o: { ch: number; blocks: string; perGroup: string; channels: string; plane: string; out: string }): {
  preamble: string; stores: string; acc: string;
} {
  const rows = seq(o.ch), px = seq(BLOCK_PX), quads = seq(BLOCK_PX / 4);
  const preamble = `
let t = ${flatIndex(WG_GEMM)};
if (t >= u.tiles) { return; }
let pb = t % PXB;
let cb = t / PXB;
let g = cb / ${o.blocks};
let c0 = (cb % ${o.blocks}) * ${o.ch}u;
${px.map((j) => `let p${j} = min(pb * ${BLOCK_PX}u + ${j}u, PIX - 1u);
let b${j} = p${j} / (${o.plane});
let r${j} = p${j} % (${o.plane});`).join('\n')}`;
  const acc = rows.flatMap((i) => quads.map((v) => `var acc${i}_${v} = vec4<f32>(0.0);`)).join('\n');
  const stores = rows.map((i) => `if (c0 + ${i}u < ${o.perGroup}) {
  let plane = (g * ${o.perGroup} + c0 + ${i}u) * ${o.plane};
${px.map((j) => `  if (pb * ${BLOCK_PX}u + ${j}u < PIX) { ${o.out}[b${j} * ${o.channels} * ${o.plane} + plane + r${j}] = acc${i}_${j >> 2}[${j & 3}]; }`).join('\n')}
}`).join('\n');
  return { preamble, stores, acc };
}

/** WGSL adding w_i * vec4(v[4q..4q+3]) to acc{i}_{q} for each block channel i (weights `w(i)`). */
const fmaBlock = (ch: number, w: (i: number) => string, v: (j: number) => string, indent: string): string => {
  const quads = seq(BLOCK_PX / 4);
  return [
    ...quads.map((q) => `${indent}let xv${q} = vec4<f32>(${seq(4).map((e) => v(q * 4 + e)).join(', ')});`),
    ...seq(ch).flatMap((i) => [`${indent}let wv${i} = ${w(i)};`, ...quads.map((q) => `${indent}acc${i}_${q} = acc${i}_${q} + wv${i} * xv${q};`)]),
  ].join('\n');
};

/**
 * The inner loop of the forward and input-gradient GEMMs, inside the loops over taps (kh, kw):
 * for each of `count` channels k, adds w[w(i) + k * wStride + tap] times the block's source
 * values src[at{j} + k * plane] (zero where in{j} is false). Which source pixel a tap reaches,
 * and whether it lies inside, is decided once per tap, outside this loop: on SwiftShader that
 * made the forward 56x56x64 3x3 conv 2-4x faster than deciding it per channel. Up to UNROLL
 * channels are unrolled instead: a loop of a few turns costs SwiftShader more than its body
 * (LeNet's forward convs, 1 and 6 channels: 1.1-1.9x and 1.2-1.5x faster unrolled).
 * `skipMisses` skips taps that reach no source pixel of the block: worth its test in a strided
 * input gradient, where most taps miss (SwiftShader: 1.9x on the 224x224 7x7 stride 2), not at
 * stride 1 (LeNet's 1.0-1.1x, for slower compiles; the forward 0.9x).
 */
const UNROLL = 8;
function channelLoop(ch: number, o: {
  src: string; count: number; plane: string; wStride: string; w: (i: number) => string; skipMisses: boolean;
}): string {
  const body = (k: string, ind: string) => `${ind}let plane = ${k} * ${o.plane};
${ind}let wk = ${k} * ${o.wStride} + tap;
${fmaBlock(ch, (i) => `w[${o.w(i)} + wk]`, (j) => `select(0.0, ${o.src}[at${j} + plane], in${j})`, ind)}`;
  const loop = o.count <= UNROLL
    ? seq(o.count).map((k) => `    {\n${body(`${k}u`, '      ')}\n    }`).join('\n')
    : `    for (var k = 0u; k < ${o.count}u; k = k + 1u) {\n${body('k', '      ')}\n    }`;
  if (!o.skipMisses) return `    let tap = kh * KW + kw;\n${loop}`;
  return `    let tap = kh * KW + kw;
    if (${seq(BLOCK_PX).map((j) => `in${j}`).join(' || ')}) {
${loop}
    }`;
}

/**
 * Conv2D as an implicit GEMM, C[co, pixel] = sum over (ci, kh, kw) of W[co, k] X[k, pixel],
 * where X is the im2col matrix read straight from x (never stored): each invocation holds a
 * block of up to 8 channels x 4 pixels of C in registers, so every loaded input value feeds up
 * to 8 multiply-adds and every weight 4 (on CPU adapters each load is a bounds-checked gather,
 * the cost that matters). Padding reads as zero, as an im2col matrix holds it. CPU adapters
 * with subgroups take conv2d_rows.ts instead, for rows of 4+ pixels.
 */
export const conv2d: KernelImpl<'Conv2D', WebGpuBackend> = ({ x, w }, attrs, backend) => {
  const yShape = [x.shape[0]!, w.shape[0]!, attrs.outSize[0], attrs.outSize[1]];
  const out = backend.output(yShape, 'float32');
  if (sizeOf(yShape) === 0) return out;
  const bindings: Binding[] = [
    { name: 'x', type: 'f32', buffer: backend.data(x).buffer },
    { name: 'w', type: 'f32', buffer: backend.data(w).buffer },
    { name: 'y', type: 'f32', buffer: backend.data(out).buffer, write: true },
  ];
  if (rowsApply(backend, yShape[3]!)) {
    backend.run(conv2dRows(x.shape, w.shape, yShape, attrs, bindings, backend.subgroups!.maxSize));
    return out;
  }
  const pixels = yShape[0]! * yShape[2]! * yShape[3]!;
  const cog = w.shape[0]! / attrs.groups;
  const ch = blockCh(cog);
  const coBlocks = Math.ceil(cog / ch);
  const pxBlocks = Math.ceil(pixels / BLOCK_PX);
  const tiles = coBlocks * attrs.groups * pxBlocks;
  const spec = specialise([...geometry(x.shape, w.shape, yShape, attrs),
    ['PIX', 'u32', pixels], ['PXB', 'u32', pxBlocks], ['COB', 'u32', coBlocks]]);
  const px = seq(BLOCK_PX);
  const blk = outputBlock({ ch, blocks: 'COB', perGroup: 'COG', channels: 'CO', plane: 'OH * OW', out: 'y' });
  backend.run({
    key: `Conv2D|gemm|${spec.key}`,
    bindings,
    uniforms: [['tiles', 'u32', tiles]],
    workgroupSize: [WG_GEMM, 1, 1],
    dispatch: grid1d(tiles, WG_GEMM),
    wgsl: () => ({
      decls: spec.consts,
      main: `${blk.preamble}
${px.map((j) => `let ih${j} = i32(r${j} / OW) * SH - PT;
let iw${j} = i32(r${j} % OW) * SW - PL;
let xb${j} = (b${j} * C + g * CG) * H * W;`).join('\n')}
${seq(ch).map((i) => `let wr${i} = (g * COG + min(c0 + ${i}u, COG - 1u)) * CG * KH * KW;`).join('\n')}
${blk.acc}
for (var kh = 0u; kh < KH; kh = kh + 1u) {
${px.map((j) => `  let y${j} = ih${j} + i32(kh) * DH;
  let yin${j} = y${j} >= 0i && y${j} < i32(H);`).join('\n')}
  for (var kw = 0u; kw < KW; kw = kw + 1u) {
${px.map((j) => `    let c${j} = iw${j} + i32(kw) * DW;
    let in${j} = yin${j} && c${j} >= 0i && c${j} < i32(W);
    let at${j} = xb${j} + u32(clamp(y${j}, 0i, i32(H) - 1i)) * W + u32(clamp(c${j}, 0i, i32(W) - 1i));`).join('\n')}
${channelLoop(ch, { src: 'x', count: w.shape[1]!, plane: 'H * W', wStride: 'KH * KW', w: (i) => `wr${i}`, skipMisses: false })}
  }
}
${blk.stores}`,
    }),
  });
  return out;
};

/**
 * The input gradient as an implicit GEMM, dx[ci, pixel] = sum over (kh, kw, co) of
 * W[co, ci, kh, kw] dy[co, pixel shifted by (kh, kw)]: each invocation holds a block of up to
 * 8 input channels x 4 input pixels; which (kh, kw) reach an output (stride, padding,
 * dilation) is decided once per tap and pixel, outside the loop over output channels.
 */
export const conv2dBackpropInput: KernelImpl<'Conv2DBackpropInput', WebGpuBackend> = ({ dy, w }, attrs, backend) => {
  const xShape = attrs.inputShape.slice();
  const out = backend.output(xShape, 'float32');
  if (sizeOf(xShape) === 0) return out;
  const pixels = xShape[0]! * xShape[2]! * xShape[3]!;
  const cg = w.shape[1]!;
  const ch = blockCh(cg);
  const ciBlocks = Math.ceil(cg / ch);
  const pxBlocks = Math.ceil(pixels / BLOCK_PX);
  const tiles = ciBlocks * attrs.groups * pxBlocks;
  const spec = specialise([...geometry(xShape, w.shape, dy.shape, attrs),
    ['PIX', 'u32', pixels], ['PXB', 'u32', pxBlocks], ['CIB', 'u32', ciBlocks]]);
  const px = seq(BLOCK_PX);
  const blk = outputBlock({ ch, blocks: 'CIB', perGroup: 'CG', channels: 'C', plane: 'H * W', out: 'dx' });
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
      main: `${blk.preamble}
${px.map((j) => `let th${j} = i32(r${j} / W) + PT;
let tw${j} = i32(r${j} % W) + PL;
let dyb${j} = (b${j} * CO + g * COG) * OH * OW;`).join('\n')}
${seq(ch).map((i) => `let wc${i} = (g * COG * CG + min(c0 + ${i}u, CG - 1u)) * KH * KW;`).join('\n')}
${blk.acc}
for (var kh = 0u; kh < KH; kh = kh + 1u) {
${px.map((j) => `  let sh${j} = th${j} - i32(kh) * DH;
  let oh${j} = sh${j} / SH;
  let hin${j} = sh${j} >= 0i && sh${j} % SH == 0i && oh${j} < i32(OH);`).join('\n')}
  for (var kw = 0u; kw < KW; kw = kw + 1u) {
${px.map((j) => `    let sw${j} = tw${j} - i32(kw) * DW;
    let ow${j} = sw${j} / SW;
    let in${j} = hin${j} && sw${j} >= 0i && sw${j} % SW == 0i && ow${j} < i32(OW);
    let at${j} = dyb${j} + u32(clamp(oh${j}, 0i, i32(OH) - 1i)) * OW + u32(clamp(ow${j}, 0i, i32(OW) - 1i));`).join('\n')}
${channelLoop(ch, { src: 'dy', count: w.shape[0]! / attrs.groups, plane: 'OH * OW', wStride: 'CG * KH * KW', w: (i) => `wc${i}`, skipMisses: attrs.stride[0] > 1 || attrs.stride[1] > 1 })}
  }
}
${blk.stores}`,
    }),
  });
  return out;
};

/** Output channels x taps of a filter-gradient workgroup's block. */
const BLOCK_F = 4;
/**
 * Invocations of a filter-gradient workgroup: 64 on GPUs; 4 (one SIMD group) on CPU adapters,
 * where each barrier of the tree costs more than the longer serial sums it saves (SwiftShader:
 * 1.4-2.4x faster steady on LeNet's and the 56x56x64 filter gradients, and 4-5x faster to
 * compile).
 */
const wgFilter = (tiled: boolean): number => (tiled ? 64 : 4);

/**
 * The filter gradient, dw[co, tap] = sum over (batch, output pixel) of dy[co, pixel] X[tap, pixel]
 * with tap = (ci, kh, kw): one workgroup per block of up to 8 channels x 4 taps, its
 * invocations splitting the long sum (consecutive invocations take consecutive pixels) and
 * adding their partial blocks in workgroup memory. Each pixel's 4 input values (gathers with
 * bounds checks) and up to 8 dy values feed up to 32 multiply-adds.
 */
export const conv2dBackpropFilter: KernelImpl<'Conv2DBackpropFilter', WebGpuBackend> = ({ x, dy }, attrs, backend) => {
  const wShape = attrs.filterShape.slice();
  const out = backend.output(wShape, 'float32');
  if (sizeOf(wShape) === 0) return out;
  const cog = wShape[0]! / attrs.groups;
  const taps = wShape[1]! * wShape[2]! * wShape[3]!;
  // Channels in vec4 quads: a block's last quad may hold clamped channels (never stored).
  const quads = Math.ceil(blockCh(cog) / 4);
  const coBlocks = Math.ceil(cog / (quads * 4));
  const tapBlocks = Math.ceil(taps / BLOCK_F);
  const blocks = coBlocks * attrs.groups * tapBlocks;
  const spec = specialise([...geometry(x.shape, wShape, dy.shape, attrs),
    ['TAPS', 'u32', taps], ['TB', 'u32', tapBlocks], ['COB', 'u32', coBlocks]]);
  const tp = seq(BLOCK_F);
  const qs = seq(quads);
  const co = seq(quads * 4);
  const part = (j: number, q: number): number => j * quads + q;
  const wg = wgFilter(backend.tiled);
  backend.run({
    key: `Conv2DBackpropFilter|gemm|${wg}|${spec.key}`,
    bindings: [
      { name: 'x', type: 'f32', buffer: backend.data(x).buffer },
      { name: 'dy', type: 'f32', buffer: backend.data(dy).buffer },
      { name: 'dw', type: 'f32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['blocks', 'u32', blocks]],
    workgroupSize: [wg, 1, 1],
    dispatch: groupsFor(blocks),
    wgsl: () => ({
      decls: `${spec.consts}
var<workgroup> part: array<array<vec4<f32>, ${wg}>, ${BLOCK_F * quads}>;`,
      main: `
let blk = wid.x + wid.y * nwg.x;
if (blk >= u.blocks) { return; }
let tb = blk % TB;
let cb = blk / TB;
let g = cb / COB;
let co0 = (cb % COB) * ${quads * 4}u;
${tp.map((j) => `let tap${j} = min(tb * ${BLOCK_F}u + ${j}u, TAPS - 1u);
let kw${j} = i32(tap${j} % KW) * DW - PL;
let kh${j} = i32((tap${j} / KW) % KH) * DH - PT;
let xc${j} = (g * CG + tap${j} / (KW * KH)) * H * W;`).join('\n')}
${co.map((i) => `let dc${i} = (g * COG + min(co0 + ${i}u, COG - 1u)) * OH * OW;`).join('\n')}
${tp.flatMap((j) => qs.map((q) => `var acc${j}_${q} = vec4<f32>(0.0);`)).join('\n')}
for (var t = lid.x; t < N * OH * OW; t = t + ${wg}u) {
  let b = t / (OW * OH);
  let r = t % (OW * OH);
  let ih = i32(r / OW) * SH;
  let iw = i32(r % OW) * SW;
  let dyb = b * CO * OH * OW + r;
${qs.map((q) => `  let dv${q} = vec4<f32>(${seq(4).map((e) => `dy[dyb + dc${q * 4 + e}]`).join(', ')});`).join('\n')}
  let xb = b * C * H * W;
${tp.map((j) => `  let y${j} = ih + kh${j};
  let c${j} = iw + kw${j};
  let v${j} = select(0.0, x[xb + xc${j} + u32(clamp(y${j}, 0i, i32(H) - 1i)) * W + u32(clamp(c${j}, 0i, i32(W) - 1i))],
    y${j} >= 0i && y${j} < i32(H) && c${j} >= 0i && c${j} < i32(W));
${qs.map((q) => `  acc${j}_${q} = acc${j}_${q} + v${j} * dv${q};`).join('\n')}`).join('\n')}
}
${tp.flatMap((j) => qs.map((q) => `part[${part(j, q)}][lid.x] = acc${j}_${q};`)).join('\n')}
workgroupBarrier();
for (var s = ${wg / 2}u; s > 0u; s = s >> 1u) {
  if (lid.x < s) {
${tp.flatMap((j) => qs.map((q) => `    part[${part(j, q)}][lid.x] = part[${part(j, q)}][lid.x] + part[${part(j, q)}][lid.x + s];`)).join('\n')}
  }
  workgroupBarrier();
}
if (lid.x == 0u) {
${tp.map((j) => `  if (tb * ${BLOCK_F}u + ${j}u < TAPS) {
${co.map((i) => `    if (co0 + ${i}u < COG) { dw[(g * COG + co0 + ${i}u) * TAPS + tap${j}] = part[${part(j, i >> 2)}][0][${i & 3}]; }`).join('\n')}
  }`).join('\n')}
}`,
    }),
  });
  return out;
};
