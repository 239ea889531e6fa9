import type { PoolAttrs } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { dot, rand, run, tensor } from './test_utils.js';

const x4 = Array.from({ length: 16 }, (_, i) => i); // 4x4 plane, x[h][w] = 4h + w
const attrs = (p: Partial<PoolAttrs>): PoolAttrs => ({
  op: 'max', kernel: [2, 2], stride: [2, 2], pad: [0, 0, 0, 0], dilation: [1, 1], outSize: [2, 2], countIncludePad: true, ...p,
});
const pool = (a: PoolAttrs, x = x4, shape = [1, 1, 4, 4], indices = false) =>
  run('Pool2D', { x: tensor(x, shape) }, { ...a, indices });

describe('Pool2D', () => {
  it.each([
    ['max 2x2/2', attrs({}), [5, 7, 13, 15]],
    ['min 2x2/2', attrs({ op: 'min' }), [0, 2, 8, 10]],
    ['avg 2x2/2', attrs({ op: 'avg' }), [2.5, 4.5, 10.5, 12.5]],
    // Pad 1 all round, 3x3 stride 2: the corner window covers 4 real cells of 9.
    ['avg counting padding', attrs({ op: 'avg', kernel: [3, 3], pad: [1, 1, 1, 1] }), [10 / 9, 24 / 9, 51 / 9, 90 / 9]],
    ['avg without padding', attrs({ op: 'avg', kernel: [3, 3], pad: [1, 1, 1, 1], countIncludePad: false }), [2.5, 4, 8.5, 10]],
    // Ceil mode on 5 rows: the third 2-row window hangs past H + padBottom and counts 1 row.
    ['avg, ceil-mode window clipped to the padded extent', attrs({ op: 'avg', outSize: [3, 1], kernel: [2, 4], stride: [2, 4] }),
      [3.5, 11.5, 17.5], [1, 1, 5, 4]],
    ['max, dilation 2', attrs({ kernel: [2, 2], stride: [1, 1], dilation: [2, 2], outSize: [2, 2] }), [10, 11, 14, 15]],
    ['max, asymmetric pad puts padding after', attrs({ pad: [0, 1, 0, 1], outSize: [2, 2], kernel: [3, 3], stride: [2, 2] }), [10, 11, 14, 15]],
  ] as [string, PoolAttrs, number[], number[]?][])('%s', (_name, a, want, shape = [1, 1, 4, 4]) => {
    const x = Array.from({ length: shape[2] * shape[3] }, (_, i) => i);
    const got = pool(a, x, shape).values;
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
  });

  it('indices give the first extreme as h * W + w; NaN wins max', () => {
    const x = [1, 3, 3, 0, NaN, 2, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(pool(attrs({}), x, [1, 1, 4, 4], true)).toMatchObject({ values: [4, 6, 8, 10], dtype: 'int32' });
    expect(pool(attrs({}), x).values).toEqual([NaN, 9, 0, 0]);
  });
});

describe('Pool2DGrad', () => {
  it('max routes dy to the first maximum', () => {
    const x = [1, 5, 5, 0, 2, 3, 0, 1, 0, 0, 7, 7, 0, 0, 7, 7];
    const got = run('Pool2DGrad', { x: tensor(x, [1, 1, 4, 4]), dy: tensor([1, 2, 3, 4], [1, 1, 2, 2]) }, attrs({}));
    expect(got.values).toEqual([0, 1, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0]);
  });

  it.each([
    ['overlapping windows with padding', attrs({ op: 'avg', kernel: [3, 3], pad: [1, 2, 0, 1], stride: [1, 2], outSize: [5, 2] })],
    ['excluding padding, dilated', attrs({ op: 'avg', kernel: [2, 2], pad: [1, 1, 1, 1], dilation: [2, 1], countIncludePad: false, outSize: [3, 3] })],
  ] as [string, PoolAttrs][])('avg is the adjoint of the forward pass: %s', (_name, a) => {
    const shape = [2, 3, 4, 4];
    const x = rand(96, 1);
    const y = run('Pool2D', { x: tensor(x, shape) }, { ...a, indices: false });
    const dy = rand(y.values.length, 2);
    const dx = run('Pool2DGrad', { x: tensor(x, shape), dy: tensor(dy, y.shape) }, a);
    expect(dot(y.values, dy)).toBeCloseTo(dot(x, dx.values), 4);
  });
});

/**
 * Brute-force pooling over explicit taps, independent of pool_windows: value and source cell
 * (first extreme; -1 when no tap is in bounds) per output, plus the divisor avg uses.
 */
function bruteForce(x: ArrayLike<number>, shape: number[], a: PoolAttrs) {
  const [n, c, h, w] = shape as [number, number, number, number];
  const [outH, outW] = a.outSize;
  const values: number[] = [];
  const sources: number[][] = []; // per output: the input cells it reads (max/min: the winner only)
  const shares: number[] = [];
  for (let p = 0; p < n * c; p++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const cells: number[] = [];
        let padded = 0;
        for (let i = 0; i < a.kernel[0]; i++) {
          for (let j = 0; j < a.kernel[1]; j++) {
            const r = oh * a.stride[0] - a.pad[0] + i * a.dilation[0];
            const col = ow * a.stride[1] - a.pad[2] + j * a.dilation[1];
            if (r >= -a.pad[0] && r < h + a.pad[1] && col >= -a.pad[2] && col < w + a.pad[3]) padded++;
            if (r >= 0 && r < h && col >= 0 && col < w) cells.push(p * h * w + r * w + col);
          }
        }
        if (a.op === 'avg') {
          const count = a.countIncludePad ? padded : cells.length;
          values.push(cells.reduce((s, k) => s + x[k]!, 0) / count);
          sources.push(cells);
          shares.push(1 / count);
        } else {
          const sign = a.op === 'min' ? -1 : 1;
          const best = cells.reduce((b, k) => (sign * x[k]! > sign * x[b]! ? k : b), cells[0]!);
          values.push(x[best]!);
          sources.push([best]);
          shares.push(1);
        }
      }
    }
  }
  return { values, sources, shares };
}

describe('Pool2D and Pool2DGrad with asymmetric padding (as core resolves padding: same)', () => {
  // 'same' per axis as (in, kernel, stride, dilation) -> out = ceil(in / stride), pads (before, after):
  //   (4, 2, 2, 1) -> 2, (0, 0);  (7, 4, 3, 1) -> 3, (1, 2);  (5, 3, 2, 1) -> 3, (1, 1);
  //   (4, 2, 1, 2) -> 4, (1, 1);  (6, 2, 2, 2) -> 3, (0, 1)
  const cases: [string, Partial<PoolAttrs>][] = [
    ['1 before, 2 after in W; none in H', { kernel: [2, 4], stride: [2, 3], pad: [0, 0, 1, 2], outSize: [2, 3] }],
    ['1 before, 2 after in H; 1 and 1 in W', { kernel: [4, 3], stride: [3, 2], pad: [1, 2, 1, 1], outSize: [3, 3] }],
    ['dilated, 1 and 1 in H; 0 before, 1 after in W', { kernel: [2, 2], stride: [1, 2], dilation: [2, 2], pad: [1, 1, 0, 1], outSize: [4, 3] }],
  ];
  const shapes: Record<string, number[]> = { 0: [2, 3, 4, 7], 1: [1, 2, 7, 5], 2: [1, 1, 4, 6] };
  for (const [k, [name, geom]] of cases.entries()) {
    for (const op of ['max', 'min', 'avg'] as const) {
      for (const countIncludePad of op === 'avg' ? [false, true] : [true]) {
        it(`${op}${op === 'avg' ? ` countIncludePad ${countIncludePad}` : ''}: ${name}`, () => {
          const shape = shapes[k]!;
          const a = attrs({ ...geom, op, countIncludePad });
          const x = rand(shape.reduce((p, d) => p * d, 1), 7 + k);
          const want = bruteForce(x, shape, a);
          const y = run('Pool2D', { x: tensor(x, shape) }, { ...a, indices: false });
          expect(y.shape).toEqual([shape[0], shape[1], ...a.outSize]);
          y.values.forEach((v, i) => expect(v).toBeCloseTo(want.values[i]!, 6));
          // dx = sum over outputs of dy * d(out)/dx, from the brute-force sources
          const dy = rand(y.values.length, 3);
          const dxWant = new Array<number>(x.length).fill(0);
          want.sources.forEach((cells, o) => { for (const cell of cells) dxWant[cell] += dy[o]! * want.shares[o]!; });
          const dx = run('Pool2DGrad', { x: tensor(x, shape), dy: tensor(dy, y.shape) }, a);
          dx.values.forEach((v, i) => expect(v).toBeCloseTo(dxWant[i]!, 5));
          if (op !== 'avg') {
            const idx = run('Pool2D', { x: tensor(x, shape) }, { ...a, indices: true });
            const plane = shape[2]! * shape[3]!;
            expect(idx.values).toEqual(want.sources.map(([cell]) => cell! % plane));
          }
        });
      }
    }
  }
});
