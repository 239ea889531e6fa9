// The functional forms (@tensile/layers/functional): the same values as the modules, errors
// that name the function, and the subpath's re-exports of core's stateless ops.
import { ArgumentError, DTypeError, ShapeError, dispose, ones, randn, tensor, tidy, variable, zeros } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import * as F from '../src/functional.js';
import { golden } from './fixtures/golden.js';
import { T, expectClose, useJs, values } from './helpers.js';

useJs();

describe('functional forms', () => {
  it('linear matches PyTorch and names itself in errors', () => {
    const g = golden.linear;
    const x = T(g.x), w = T(g.weight), b = T(g.bias);
    expectClose(F.linear(x, w, b), g.y);
    const x1 = tidy(() => x.slice([0, 0], [1, 5]).reshape([5]));
    expectClose(F.linear(x1, w, b), g.y.data.slice(0, 4));
    expect(F.linear(x1, w).shape).toEqual([4]);
    expect(() => F.linear(b, w)).toThrow(/^linear: x \[4\] must have in_features = 5 in its last dim \(weight \[4,5\]\)/);
    const bad = zeros([3]);
    expect(() => F.linear(x, w, bad)).toThrow(/linear: bias must be \[4\] for weight \[4,5\], got \[3\]/);
    dispose([x, w, b, x1, bad]);
  });

  it('layerNorm matches PyTorch', () => {
    const c = golden.layerNorm[0];
    const x = T(c.x), w = T(c.weight), b = T(c.bias);
    expectClose(F.layerNorm(x, c.normalizedShape, { weight: w, bias: b }), c.y, { rtol: 2e-4, atol: 3e-5 });
    expect(() => F.layerNorm(x, [5])).toThrow(/layerNorm: x \[4,6\] must end with normalized_shape \[5\]/);
    dispose([x, w, b]);
  });

  it('batchNorm in eval normalises with the given statistics', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const rm = tensor([1, 2]), rv = tensor([4, 16]);
    expectClose(F.batchNorm(x, rm, rv, { eps: 0 }), [0, 0, 1, 0.5]);
    const w = tensor([1, 2, 3]);
    expect(() => F.batchNorm(x, rm, rv, { weight: w })).toThrow(/batchNorm: 'weight' must be \[2\] for x \[2,2\] with 2 channels, got \[3\]/);
    dispose([x, rm, rv, w]);
  });

  it('dropout: PyTorch argument order, identity when not training', () => {
    const x = ones([100]);
    const y = F.dropout(x, 0.3, { seed: 1 });
    expect(values(y).every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    expect(values(F.dropout(x, 0.3, { training: false }))).toEqual(values(x));
    expect(() => F.dropout(x, 1.5)).toThrow(ArgumentError);
    dispose([x, y]);
  });

  it('embedding: rows by int32 index; paddingIdx blocks the gradient', () => {
    const w = variable(tensor([[1, 2], [3, 4], [5, 6]]));
    const idx = tensor(new Int32Array([2, 0, 2]));
    const y = F.embedding(idx, w, { paddingIdx: 0 });
    expect(values(y)).toEqual([5, 6, 1, 2, 5, 6]);
    tidy(() => y.sum().backward());
    expect(values(w.grad!)).toEqual([0, 0, 0, 0, 2, 2]);
    const fidx = tensor([0, 1]);
    expect(() => F.embedding(fidx, w)).toThrow(DTypeError);
    dispose([w, idx, y, fidx]);
  });

  it('adaptive and global average pooling', () => {
    const x = tidy(() => randn([2, 3, 4, 6], { seed: 0 }));
    const g = F.globalAvgPool2d(x);
    const a = F.adaptiveAvgPool2d(x, 1);
    expect(g.shape).toEqual([2, 3]);
    expect(a.shape).toEqual([2, 3, 1, 1]);
    expectClose(a, values(g));
    const same = F.adaptiveAvgPool2d(x, [null, null]);
    expect(values(same)).toEqual(values(x));
    expect(() => F.adaptiveAvgPool2d(x, [0, 2])).toThrow(ArgumentError);
    expect(() => F.globalAvgPool2d(zeros([3, 4]))).toThrow(ShapeError);
    dispose([x, g, a, same]);
  });

  it('re-exports core\'s stateless ops', () => {
    for (const name of ['conv2d', 'convTranspose2d', 'maxPool2d', 'minPool2d', 'avgPool2d', 'relu', 'gelu', 'softmax', 'logSoftmax', 'flatten'] as const) {
      expect(typeof F[name]).toBe('function');
    }
  });
});
