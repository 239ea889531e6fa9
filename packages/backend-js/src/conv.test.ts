import type { ConvAttrs } from '@tensile/core';
import { shapeUtil } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { dot, maxDiff, rand, run, tensor } from './test_utils.js';

/** Direct convolution loop: the oracle. */
function naiveConv(x: Float32Array, xs: number[], w: Float32Array, ws: number[], a: ConvAttrs): number[] {
  const [n, c, h, wd] = xs, [o, cpg, kh, kw] = ws;
  const opg = o / a.groups;
  const oh = shapeUtil.windowOutSize(h, kh, a.stride[0], a.pad[0] + a.pad[1], a.dilation[0]);
  const ow = shapeUtil.windowOutSize(wd, kw, a.stride[1], a.pad[2] + a.pad[3], a.dilation[1]);
  const out: number[] = [];
  for (let b = 0; b < n; b++) for (let f = 0; f < o; f++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
    let s = 0;
    const g = Math.floor(f / opg);
    for (let ch = 0; ch < cpg; ch++) for (let ki = 0; ki < kh; ki++) for (let kj = 0; kj < kw; kj++) {
      const ih = i * a.stride[0] - a.pad[0] + ki * a.dilation[0];
      const iw = j * a.stride[1] - a.pad[2] + kj * a.dilation[1];
      if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
      s += x[((b * c + g * cpg + ch) * h + ih) * wd + iw] * w[((f * cpg + ch) * kh + ki) * kw + kj];
    }
    out.push(s);
  }
  return out;
}

type Case = [string, number[], number[], ConvAttrs];
const attrs = (stride: number[], pad: number[], dilation: number[], groups: number) =>
  ({ stride, pad, dilation, groups }) as ConvAttrs;
const cases: Case[] = [
  ['3x3 valid', [1, 1, 5, 5], [1, 1, 3, 3], attrs([1, 1], [0, 0, 0, 0], [1, 1], 1)],
  ['same padding, several channels', [2, 3, 6, 7], [4, 3, 3, 3], attrs([1, 1], [1, 1, 1, 1], [1, 1], 1)],
  ['stride 2, asymmetric pad', [2, 2, 7, 8], [3, 2, 3, 2], attrs([2, 2], [0, 2, 1, 0], [1, 1], 1)],
  ['dilation 2, stride (1, 2)', [1, 2, 9, 9], [2, 2, 3, 3], attrs([1, 2], [2, 1, 0, 2], [2, 2], 1)],
  ['groups 2', [2, 4, 6, 6], [6, 2, 3, 3], attrs([1, 1], [1, 1, 1, 1], [1, 1], 2)],
  ['depthwise', [1, 3, 5, 5], [3, 1, 3, 3], attrs([2, 1], [1, 0, 0, 1], [1, 1], 3)],
  ['pointwise 1x1 fast path, groups 2', [3, 4, 3, 5], [6, 2, 1, 1], attrs([1, 1], [0, 0, 0, 0], [1, 1], 2)],
  ['1x1 with stride (im2col path)', [2, 2, 5, 5], [3, 2, 1, 1], attrs([2, 2], [0, 0, 0, 0], [1, 1], 1)],
  ['LeNet conv1 shape, 5x5 pad 2', [3, 1, 12, 12], [6, 1, 5, 5], attrs([1, 1], [2, 2, 2, 2], [1, 1], 1)],
  ['kernel larger than padded input in one window', [1, 1, 2, 2], [1, 1, 3, 3], attrs([1, 1], [1, 1, 1, 1], [1, 1], 1)],
  ['padding beyond the kernel extent (input gradient crops)', [1, 2, 4, 5], [2, 2, 2, 2], attrs([1, 1], [2, 1, 0, 3], [1, 1], 1)],
  ['Winograd: 3x3 stride 1, 16 channels, odd sizes', [2, 16, 7, 9], [16, 16, 3, 3], attrs([1, 1], [1, 1, 1, 1], [1, 1], 1)],
  ['Winograd with groups and asymmetric padding', [1, 32, 6, 5], [32, 16, 3, 3], attrs([1, 1], [0, 2, 1, 0], [1, 1], 2)],
  ['window larger than the input: no outputs', [2, 1, 2, 2], [1, 1, 3, 3], attrs([1, 1], [0, 0, 0, 0], [1, 1], 1)],
  ['empty batch', [0, 2, 4, 4], [2, 2, 3, 3], attrs([1, 1], [0, 0, 0, 0], [1, 1], 1)],
];

const size = (s: number[]) => s.reduce((p, d) => p * d, 1);

/** Conv2D's attributes with the output size core would pass. */
function conv2dAttrs(xs: number[], ws: number[], a: ConvAttrs): ConvAttrs & { outSize: [number, number] } {
  const out = (d: 0 | 1) => shapeUtil.windowOutSize(xs[2 + d]!, ws[2 + d]!, a.stride[d], a.pad[2 * d]! + a.pad[2 * d + 1]!, a.dilation[d]);
  return { ...a, outSize: [out(0), out(1)] };
}

describe('Conv2D and its backprops', () => {
  it.each(cases)('%s: forward matches the direct loop', (_name, xs, ws, a) => {
    const x = rand(size(xs), 1), w = rand(size(ws), 2);
    const got = run('Conv2D', { x: tensor(x, xs), w: tensor(w, ws) }, conv2dAttrs(xs, ws, a));
    expect(maxDiff(got.values, naiveConv(x, xs, w, ws, a))).toBeLessThan(1e-5);
  });

  it.each(cases)('%s: <conv(x,w), dy> = <x, backpropInput(dy,w)> = <w, backpropFilter(x,dy)>', (_name, xs, ws, a) => {
    const x = rand(size(xs), 3), w = rand(size(ws), 4);
    const y = run('Conv2D', { x: tensor(x, xs), w: tensor(w, ws) }, conv2dAttrs(xs, ws, a));
    const dy = rand(y.values.length, 5);
    const dx = run('Conv2DBackpropInput', { dy: tensor(dy, y.shape), w: tensor(w, ws) },
      { ...a, inputShape: xs as [number, number, number, number] });
    const dw = run('Conv2DBackpropFilter', { x: tensor(x, xs), dy: tensor(dy, y.shape) },
      { ...a, filterShape: ws as [number, number, number, number] });
    expect(dx.shape).toEqual(xs);
    expect(dw.shape).toEqual(ws);
    const ref = dot(y.values, dy);
    const scale = 1 + Math.abs(ref);
    expect(Math.abs(dot(x, dx.values) - ref) / scale).toBeLessThan(1e-5);
    expect(Math.abs(dot(w, dw.values) - ref) / scale).toBeLessThan(1e-5);
  });

  it('several chunks of images (column matrices over 16 MB) give the same results', () => {
    const xs = [40, 16, 32, 32], ws = [2, 16, 3, 3];
    const a = attrs([1, 1], [1, 1, 1, 1], [1, 1], 1);
    const x = rand(size(xs), 6), w = rand(size(ws), 7);
    const y = run('Conv2D', { x: tensor(x, xs), w: tensor(w, ws) }, conv2dAttrs(xs, ws, a));
    expect(maxDiff(y.values, naiveConv(x, xs, w, ws, a))).toBeLessThan(1e-5);
    const dy = rand(y.values.length, 8);
    const dx = run('Conv2DBackpropInput', { dy: tensor(dy, y.shape), w: tensor(w, ws) }, { ...a, inputShape: [40, 16, 32, 32] });
    const dw = run('Conv2DBackpropFilter', { x: tensor(x, xs), dy: tensor(dy, y.shape) }, { ...a, filterShape: [2, 16, 3, 3] });
    const ref = dot(y.values, dy);
    expect(Math.abs(dot(x, dx.values) - ref) / Math.abs(ref)).toBeLessThan(1e-5);
    expect(Math.abs(dot(w, dw.values) - ref) / Math.abs(ref)).toBeLessThan(1e-5);
  });
});
