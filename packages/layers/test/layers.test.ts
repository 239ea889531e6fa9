// Layer forwards and gradients against PyTorch (fixtures/gen.py), with fixed weights loaded
// through loadStateDict under PyTorch's names; every case also checks nothing leaks.
import { ArgumentError, DTypeError, ShapeError, dispose, ones, tensor, tidy, zeros, type Tensor } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import {
  AdaptiveAvgPool2d, AvgPool2d, Conv2d, ConvTranspose2d, ELU, Embedding, Flatten, GELU, GlobalAvgPool2d, Identity,
  LayerNorm, LeakyReLU, Linear, LogSoftmax, MaxPool2d, MinPool2d, ReLU, Residual, Sequential, Sigmoid, Softmax, Tanh,
  type AnyModule, type TensorModule,
} from '../src/index.js';
import { golden } from './fixtures/golden.js';
import type { GT } from './fixtures/types.js';
import { T, V, expectClose, expectNoLeak, loadGolden, useJs, values } from './helpers.js';

useJs();

/**
 * Runs module m on golden input x (as a Variable), back-propagates sum(y * dy), and checks y,
 * dx and each named parameter gradient; then frees everything and checks nothing leaked.
 */
function checkLayer(make: () => TensorModule, state: Record<string, GT | null>, c: { x: GT; y: GT; dy: GT; dx: GT },
  grads: Record<string, GT | null | undefined>, tol = {}): void {
  expectNoLeak(() => {
    const m = make();
    loadGolden(m, Object.fromEntries(Object.entries(state).filter(([, v]) => v !== null)) as Record<string, GT>);
    const x = V(c.x);
    const y = m.call(x);
    expectClose(y, c.y, tol, 'y');
    tidy(() => y.mul(T(c.dy)).sum().backward());
    expectClose(x.grad, c.dx, tol, 'dx');
    for (const [name, want] of Object.entries(grads)) {
      if (want) expectClose(m.getParameter(name).grad, want, tol, `d${name}`);
    }
    dispose([x, y]);
    m.dispose();
  });
}

describe('Linear', () => {
  const g = golden.linear;
  it('matches PyTorch: y = x W^T + b and its gradients', () => {
    checkLayer(() => new Linear(5, 4), { weight: g.weight, bias: g.bias }, g, { weight: g.dweight, bias: g.dbias });
  });

  it('maps the last dim of a rank-3 input', () => {
    checkLayer(() => new Linear(5, 4), { weight: g.weight, bias: g.bias }, { x: g.x3, y: g.y3, dy: g.dy3, dx: g.dx3 }, {});
  });

  it('without bias registers only weight', () => {
    const m = new Linear(3, 2, { bias: false });
    expect(m.namedParameters().map(([n]) => n)).toEqual(['weight']);
    expect(m.bias).toBeNull();
    expect(m.toString()).toBe('Linear(in_features=3, out_features=2, bias=false)');
    m.dispose();
  });

  it('throws a ShapeError naming Linear, in_features and the shapes', () => {
    const m = new Linear(4, 3);
    const x = ones([2, 5]);
    expect(() => m.call(x)).toThrow(ShapeError);
    expect(() => m.call(x)).toThrow(/Linear: x \[2,5\] must have in_features = 4 in its last dim \(weight \[3,4\]\)/);
    const xi = tensor(new Int32Array(8), [2, 4]);
    expect(() => m.call(xi)).toThrow(DTypeError);
    expect(() => new Linear(-1, 3)).toThrow(ArgumentError);
    expect(() => new Linear(2, 3, { bias: 'yes' as unknown as boolean })).toThrow(ArgumentError);
    dispose([x, xi]);
    m.dispose();
  });
});

describe('Conv2d', () => {
  for (const c of golden.conv2d) {
    it(`matches PyTorch: ${c.name}`, () => {
      checkLayer(() => new Conv2d(c.inChannels, c.outChannels, c.kernelSize, c.opts), { weight: c.weight, bias: c.bias }, c,
        { weight: c.dweight, bias: c.dbias }, { rtol: 2e-4, atol: 2e-5 });
    });
  }

  it('registers weight [out, in/groups, kH, kW] and bias [out]', () => {
    const m = new Conv2d(4, 6, [3, 2], { groups: 2 });
    expect(m.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['weight', [6, 2, 3, 2]], ['bias', [6]]]);
    expect(m.toString()).toBe('Conv2d(4, 6, kernel_size=(3, 2), stride=(1, 1), groups=2)');
    m.dispose();
  });

  it('rejects bad configurations and inputs with typed errors', () => {
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/Conv2d: inChannels \(3\) and outChannels \(4\) must both be divisible by groups \(2\)/);
    expect(() => new Conv2d(3, 4, 3, { padding: 'same', stride: 2 })).toThrow(ArgumentError);
    expect(() => new Conv2d(3, 4, 3, { padding: -1 })).toThrow(ArgumentError);
    expect(() => new Conv2d(3, 4, 0)).toThrow(ArgumentError);
    const m = new Conv2d(3, 4, 3);
    const x = ones([1, 2, 5, 5]);
    expect(() => m.call(x)).toThrow(/Conv2d: x \[1,2,5,5\] has 2 channels but the layer expects inChannels = 3 \(weight \[4,3,3,3\]\)/);
    const x2 = ones([5, 5]);
    expect(() => m.call(x2)).toThrow(ShapeError);
    const small = ones([1, 3, 2, 2]);
    expect(() => m.call(small)).toThrow(ShapeError);
    dispose([x, x2, small]);
    m.dispose();
  });

  it('accepts an unbatched [C, H, W] input', () => {
    const m = new Conv2d(2, 3, 3, { padding: 1, seed: 1 });
    const x = ones([2, 4, 4]);
    const y = m.call(x);
    expect(y.shape).toEqual([3, 4, 4]);
    dispose([x, y]);
    m.dispose();
  });
});

describe('ConvTranspose2d', () => {
  for (const c of golden.convTranspose2d) {
    it(`matches PyTorch: ${c.name}`, () => {
      checkLayer(() => new ConvTranspose2d(c.inChannels, c.outChannels, c.kernelSize, c.opts), { weight: c.weight, bias: c.bias }, c,
        { weight: c.dweight, bias: c.dbias }, { rtol: 2e-4, atol: 2e-5 });
    });
  }

  it('registers weight [in, out/groups, kH, kW]', () => {
    const m = new ConvTranspose2d(4, 6, 3, { groups: 2, stride: 2 });
    expect(m.weight.shape).toEqual([4, 3, 3, 3]);
    expect(() => new ConvTranspose2d(4, 6, 3, { stride: 2, outputPadding: 2 })).toThrow(ArgumentError);
    const x = ones([1, 3, 4, 4]);
    expect(() => m.call(x)).toThrow(/ConvTranspose2d: x \[1,3,4,4\] has 3 channels but the layer expects inChannels = 4/);
    x.dispose();
    m.dispose();
  });
});

describe('pooling', () => {
  const make = (c: { kind: string; kernelSize: number; opts: Record<string, unknown> }): TensorModule =>
    c.kind === 'max' ? new MaxPool2d(c.kernelSize, c.opts) : c.kind === 'min' ? new MinPool2d(c.kernelSize, c.opts) : new AvgPool2d(c.kernelSize, c.opts);
  for (const c of golden.pool2d) {
    it(`matches PyTorch: ${c.name}`, () => checkLayer(() => make(c), {}, c, {}));
  }
  for (const c of golden.adaptiveAvgPool2d) {
    it(`AdaptiveAvgPool2d(${JSON.stringify(c.outputSize)}) on ${JSON.stringify(c.x.shape)} matches PyTorch`, () => {
      checkLayer(() => new AdaptiveAvgPool2d(c.outputSize), {}, c, {});
    });
  }

  it('GlobalAvgPool2d is the mean over H and W, flattened to [N, C]', () => {
    const c = golden.adaptiveAvgPool2d[0];
    expectNoLeak(() => {
      const m = new GlobalAvgPool2d();
      const x = T(c.x);
      const y = m.call(x);
      expect(y.shape).toEqual([2, 3]);
      expectClose(y, c.y.data);
      dispose([x, y]);
    });
  });

  it('AdaptiveAvgPool2d accepts [C, H, W] and rejects bad sizes', () => {
    const x = ones([2, 4, 4]);
    const y = new AdaptiveAvgPool2d(2).call(x);
    expect(y.shape).toEqual([2, 2, 2]);
    expect(() => new AdaptiveAvgPool2d(0)).toThrow(ArgumentError);
    expect(() => new AdaptiveAvgPool2d(2).call(ones([4, 4]))).toThrow(/AdaptiveAvgPool2d: x must be \[N, C, H, W\] or \[C, H, W\], got \[4,4\]/);
    dispose([x, y]);
  });
});

describe('Embedding', () => {
  const g = golden.embedding;
  it('matches PyTorch; the padding row gets no gradient', () => {
    expectNoLeak(() => {
      const m = new Embedding(10, 4, { paddingIdx: 2 });
      loadGolden(m, { weight: g.weight });
      const idx = T(g.indices);
      const y = m.call(idx);
      expectClose(y, g.y);
      tidy(() => y.mul(T(g.dy)).sum().backward());
      expectClose(m.weight.grad, g.dweight);
      expect(values(m.weight.grad!).slice(8, 12)).toEqual([0, 0, 0, 0]);
      dispose([idx, y]);
      m.dispose();
    });
  });

  it('initialises N(0, 1) with the padding row zero; rejects float indices', () => {
    const m = new Embedding(50, 8, { paddingIdx: -1, seed: 3 });
    expect(m.paddingIdx).toBe(49);
    const w = values(m.weight);
    expect(w.slice(49 * 8)).toEqual(Array(8).fill(0));
    const rest = w.slice(0, 49 * 8);
    const mean = rest.reduce((a, b) => a + b, 0) / rest.length;
    const std = Math.sqrt(rest.reduce((a, b) => a + (b - mean) ** 2, 0) / rest.length);
    expect(Math.abs(mean)).toBeLessThan(0.15);
    expect(std).toBeGreaterThan(0.85);
    expect(std).toBeLessThan(1.15);
    const f = tensor([1, 2]);
    expect(() => m.call(f)).toThrow(DTypeError);
    expect(() => m.call(f)).toThrow(/Embedding: 'indices' has dtype float32/);
    expect(() => new Embedding(5, 2, { paddingIdx: 5 })).toThrow(ArgumentError);
    f.dispose();
    m.dispose();
  });
});

describe('LayerNorm', () => {
  for (const c of golden.layerNorm) {
    it(`matches PyTorch over ${JSON.stringify(c.normalizedShape)}${c.affine ? '' : ' without affine'}`, () => {
      checkLayer(() => new LayerNorm(c.normalizedShape, { elementwiseAffine: c.affine }),
        c.affine ? { weight: c.weight, bias: c.bias } : {}, c, { weight: c.dweight, bias: c.dbias }, { rtol: 2e-4, atol: 3e-5 });
    });
  }

  it('initialises weight 1 and bias 0; checks the trailing dims', () => {
    const m = new LayerNorm([2, 3]);
    expect(values(m.weight!)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(values(m.bias!)).toEqual([0, 0, 0, 0, 0, 0]);
    const x = ones([4, 3, 2]);
    expect(() => m.call(x)).toThrow(/LayerNorm: x \[4,3,2\] must end with normalized_shape \[2,3\]/);
    expect(() => new LayerNorm([])).toThrow(ArgumentError);
    x.dispose();
    m.dispose();
  });
});

describe('activations', () => {
  const make: Record<string, (args: (number | string)[]) => AnyModule> = {
    LeakyReLU: (a) => new LeakyReLU(a[0] as number),
    ELU: (a) => new ELU(a[0] as number),
    GELU: () => new GELU(),
    'GELU tanh': () => new GELU({ approximate: 'tanh' }),
    Sigmoid: () => new Sigmoid(),
    Tanh: () => new Tanh(),
    Softmax: (a) => new Softmax(a[0] as number),
    LogSoftmax: (a) => new LogSoftmax(a[0] as number),
  };
  for (const c of golden.activations) {
    it(`${c.name} matches PyTorch`, () => checkLayer(() => make[c.name]!(c.args), {}, c, {}));
  }

  it('ReLU, defaults and bad options', () => {
    const x = tensor([-1, 0, 2]);
    const y = new ReLU().call(x);
    expect(values(y)).toEqual([0, 0, 2]);
    expect(new LeakyReLU().negativeSlope).toBe(0.01);
    expect(new ELU().alpha).toBe(1);
    expect(() => new GELU({ approximate: 'fast' as 'tanh' })).toThrow(ArgumentError);
    expect(() => new ReLU().call(tensor(new Int32Array([1])))).toThrow(DTypeError);
    dispose([x, y]);
  });
});

describe('Flatten, Identity, Residual', () => {
  it('Flatten keeps the batch dim by default', () => {
    const x = zeros([2, 3, 4, 5]);
    const f = new Flatten().call(x);
    const g = new Flatten(0, 1).call(x);
    expect(f.shape).toEqual([2, 60]);
    expect(g.shape).toEqual([6, 4, 5]);
    expect(() => new Flatten(3, 1).call(x)).toThrow(ShapeError);
    dispose([x, f, g]);
  });

  it('Identity returns a new handle on the same values', () => {
    const x = tensor([1, 2]);
    const y = new Identity().call(x);
    expect(y).not.toBe(x);
    y.dispose();
    expect(values(x)).toEqual([1, 2]);
    x.dispose();
  });

  it('Residual adds the input (or the shortcut) to the body and passes gradients through both', () => {
    expectNoLeak(() => {
      const body = new Linear(3, 3, { seed: 1 });
      const r = new Residual(body);
      const x = V({ shape: [2, 3], dtype: 'float32', data: [1, 2, 3, 4, 5, 6] });
      const y = r.call(x);
      const b = body.call(x);
      expectClose(y, values(b).map((v, i) => v + [1, 2, 3, 4, 5, 6][i]!));
      tidy(() => y.sum().backward());
      // d/dx sum(x W^T + b + x) = colsum(W) + 1
      const w = values(body.weight);
      const colsum = [0, 1, 2].map((j) => w[j]! + w[3 + j]! + w[6 + j]! + 1);
      expectClose(x.grad, [...colsum, ...colsum]);
      expect(r.namedParameters().map(([n]) => n)).toEqual(['body.weight', 'body.bias']);
      const bad = new Residual(new Linear(3, 2));
      expect(() => bad.call(x)).toThrow(/Residual: body output \[2,2\] and input \[2,3\] must have one shape/);
      const withShortcut = new Residual(new Linear(3, 2), new Linear(3, 2, { bias: false }));
      const z = withShortcut.call(x);
      expect(z.shape).toEqual([2, 2]);
      expect(withShortcut.namedParameters().map(([n]) => n)).toEqual(['body.weight', 'body.bias', 'shortcut.weight']);
      dispose([x, y, b, z]);
      r.dispose();
      bad.dispose();
      withShortcut.dispose();
    });
  });

  it('Sequential chains and frees the intermediates', () => {
    expectNoLeak(() => {
      const m = new Sequential(new Linear(4, 8, { seed: 0 }), new ReLU(), new Linear(8, 2, { seed: 1 }));
      const x = ones([3, 4]);
      const y: Tensor = m.call(x);
      expect(y.shape).toEqual([3, 2]);
      dispose([x, y]);
      m.dispose();
    });
  });
});
