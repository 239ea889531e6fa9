// Conv2D on CPU adapters (SwiftShader), where every load from a buffer is a per-lane gather
// with bounds checks and loads cost more than arithmetic: each invocation computes a block of
// channels x consecutive output pixels of one output row, so it loads the source values of a
// row of taps once for all of them (a sliding window along the row), and the 4 lanes of a
// subgroup load the block's filter values a quarter each and share them with
// subgroupBroadcast. On SwiftShader, LeNet-5's two convs ran 2.2-2.6x faster than conv2d.ts's
// pixel-block GEMM, a 56x56x64 3x3 conv 1.6x and a 224x224 7x7 stride-2 one 1.35x.
import type { ConvAttrs } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { flatIndex, grid1d, type Binding, type Program } from '../program.js';
import { geometry, specialise } from './conv_geometry.js';

/**
 * Accumulators of an invocation (channels x pixels), at most: on SwiftShader, LeNet's second
 * conv in blocks of 16 x 5 ran 1.45x slower than in 8 x 5 and took 1.6-3x longer to compile.
 */
const ACC = 48;
const seq = (n: number): number[] => [...Array(n).keys()];

/**
 * Where this kernel runs: CPU adapters (untiled) whose subgroups hold 4 lanes or more, for
 * output rows of 4+ pixels (in shorter ones, a filter value shared by broadcast feeds too few
 * multiply-adds: than the pixel-block GEMM, LeNet-5's 5x5 conv to 1x1 ran 1.6x slower, and
 * one to rows of 3 1.25x slower).
 */
export const rowsApply = (backend: WebGpuBackend, ow: number): boolean =>
  !backend.tiled && (backend.subgroups?.minSize ?? 0) >= 4 && ow >= 4;

/**
 * Output pixels an invocation takes along a row: the whole row up to 8; else a divisor of the
 * row from 8 down to 4 (no ragged tail: LeNet's 28 and 10 get 7 and 5), else the size from 4
 * to 8 that computes the fewest pixels past the row's end.
 */
function rowPixels(ow: number): number {
  if (ow <= 8) return ow;
  const waste = (p: number): number => Math.ceil(ow / p) * p - ow;
  let best = 8;
  for (let p = 7; p >= 4; p--) if (waste(p) < waste(best)) best = p;
  return best;
}

/** Channels of a block: as many as ACC allows, evened out over the blocks a group needs. */
function blockChannels(perGroup: number, px: number): number {
  const blocks = Math.ceil(perGroup / Math.max(1, Math.floor(ACC / px)));
  return Math.ceil(perGroup / blocks);
}

/**
 * Conv2D as rows of output pixels, y[n, g * COG + c0 + i, oh, ow0 + j] for block channels i
 * and row pixels j, summed over (k, kh) in loops and kw unrolled. Invocations are ordered
 * channel block, then image, row and pixel block; each channel block's invocations are padded
 * to whole workgroups, so a subgroup never spans two blocks and its lanes need the same
 * filter values. Workgroups are a power of two from `subgroupMax` (whole subgroups) to 64,
 * no bigger than a block needs: 64 for the 7 rows of a 7x7 output wasted 9/10 of the work.
 * No invocation returns early: subgroupBroadcast reads every lane, so the padding ones
 * compute a clamped block and store nothing. Binds x, w and y (written).
 */
export function conv2dRows(xShape: number[], wShape: number[], yShape: number[], attrs: ConvAttrs, bindings: Binding[], subgroupMax: number): Program {
  const [n, , oh, ow] = yShape as [number, number, number, number];
  const [kw, dw, sw] = [wShape[3]!, attrs.dilation[1], attrs.stride[1]];
  const cog = wShape[0]! / attrs.groups;
  const px = rowPixels(ow);
  const ch = blockChannels(cog, px);
  const chBlocks = Math.ceil(cog / ch);
  const tiles = n * oh * Math.ceil(ow / px);
  const wg = Math.max(subgroupMax, Math.min(64, 2 ** Math.ceil(Math.log2(tiles))));
  const perBlock = Math.ceil(tiles / wg) * wg;
  const total = attrs.groups * chBlocks * perBlock;
  // The source columns the row's taps reach, relative to its first: j * SW + kw * DW.
  const cols = [...new Set(seq(px).flatMap((j) => seq(kw).map((t) => j * sw + t * dw)))].sort((a, b) => a - b);
  // The block's filter values of one (k, kh), channel-major: lane l of 4 loads entries 4q + l.
  const entries = ch * kw;
  const quads = seq(Math.ceil(entries / 4));
  const spec = specialise([...geometry(xShape, wShape, yShape, attrs),
    ['PX', 'u32', px], ['OWB', 'u32', Math.ceil(ow / px)], ['TILES', 'u32', tiles], ['PER_BLOCK', 'u32', perBlock],
    ['CB', 'u32', chBlocks], ['TOTAL', 'u32', total]]);
  const pixelGuard = ow % px !== 0;
  const channelGuard = cog % ch !== 0;
  return {
    key: `Conv2D|rows|${spec.key}`,
    bindings,
    uniforms: [],
    workgroupSize: [wg, 1, 1],
    dispatch: grid1d(total, wg),
    subgroups: true,
    wgsl: () => ({
      decls: spec.consts,
      main: `
let f0 = ${flatIndex(wg)};
let f = min(f0, TOTAL - 1u);
let cb = f / PER_BLOCK;
let tile = min(f % PER_BLOCK, TILES - 1u);
let ow0 = (tile % OWB) * PX;
let oh = (tile / OWB) % OH;
let b = tile / (OWB * OH);
let g = cb / CB;
let c0 = (cb % CB) * ${ch}u;
let ih0 = i32(oh) * SH - PT;
let iw0 = i32(ow0) * SW - PL;
${cols.map((d) => `let col${d} = iw0 + ${d}i;
let cin${d} = col${d} >= 0i && col${d} < i32(W);
let ca${d} = u32(clamp(col${d}, 0i, i32(W) - 1i));`).join('\n')}
let lane = sgid & 3u;
${quads.map((q) => `let e${q} = min(${4 * q}u + lane, ${entries - 1}u);
let wo${q} = (g * COG + min(c0 + e${q} / KW, COG - 1u)) * CG * KH * KW + e${q} % KW;`).join('\n')}
let xg = (b * C + g * CG) * H * W;
${seq(ch).flatMap((i) => seq(px).map((j) => `var acc${i}_${j} = 0.0;`)).join('\n')}
for (var k = 0u; k < CG; k = k + 1u) {
  for (var kh = 0u; kh < KH; kh = kh + 1u) {
    let ih = ih0 + i32(kh) * DH;
    let rin = ih >= 0i && ih < i32(H);
    let row = xg + k * H * W + u32(clamp(ih, 0i, i32(H) - 1i)) * W;
${cols.map((d) => `    let x${d} = select(0.0, x[row + ca${d}], rin && cin${d});`).join('\n')}
    let wk = k * KH * KW + kh * KW;
${quads.map((q) => `    let wq${q} = w[wo${q} + wk];`).join('\n')}
${seq(kw).flatMap((t) => seq(ch).map((i) => {
  const e = i * kw + t;
  return `    {
      let wv = subgroupBroadcast(wq${e >> 2}, ${e & 3}u);
${seq(px).map((j) => `      acc${i}_${j} = acc${i}_${j} + wv * x${j * sw + t * dw};`).join('\n')}
    }`;
})).join('\n')}
  }
}
if (f0 < TOTAL && f0 % PER_BLOCK < TILES) {
${seq(ch).map((i) => `  ${channelGuard ? `if (c0 + ${i}u < COG) ` : ''}{
    let at = ((b * CO + g * COG + c0 + ${i}u) * OH + oh) * OW + ow0;
${seq(px).map((j) => `    ${pixelGuard ? `if (ow0 + ${j}u < OW) { ` : ''}y[at + ${j}u] = acc${i}_${j};${pixelGuard ? ' }' : ''}`).join('\n')}
  }`).join('\n')}
}`,
    }),
  };
}
