// Module: explicit registration, dotted names, traversal, modes, state dicts (copying, typed
// errors listing every problem), gradients, freezing, disposal, and the containers.
import {
  ArgumentError, DTypeError, DisposedError, ShapeError, Tensor, Variable, dispose, memory, ones, scalar, tensor, tidy, zeros,
} from '@tensile/core';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm2d, Conv2d, Dropout, Linear, Module, ModuleDict, ModuleList, ReLU, Sequential, StateDictError, init,
} from '../src/index.js';
import { expectNoLeak, useJs, values } from './helpers.js';

useJs();

/** A ResNet-like block, registered the way zoo models will be. */
class Block extends Module {
  readonly conv1 = this.module('conv1', new Conv2d(2, 2, 3, { padding: 1, bias: false, seed: 1 }));
  readonly bn1 = this.module('bn1', new BatchNorm2d(2));
  readonly relu = this.module('relu', new ReLU());
  forward(x: Tensor): Tensor {
    return this.relu.call(this.bn1.call(this.conv1.call(x)).add(x));
  }
}

class Net extends Module {
  readonly stem = this.module('stem', new Conv2d(1, 2, 3, { padding: 1, seed: 0 }));
  readonly layer1 = this.module('layer1', new Sequential(new Block(), new Block()));
  readonly scale = this.param('scale', () => ones([1]));
  readonly steps = this.buffer('steps', () => scalar(0, 'int32'));
  readonly cache = this.buffer('cache', () => zeros([2]), { persistent: false });
  forward(x: Tensor): Tensor {
    return this.layer1.call(this.stem.call(x)).mul(this.scale);
  }
}

describe('registration and names', () => {
  it('gives PyTorch\'s dotted names to parameters and buffers', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n, p]) => `${n} ${JSON.stringify(p.shape)}`)).toEqual([
      'scale [1]', 'stem.weight [2,1,3,3]', 'stem.bias [2]',
      'layer1.0.conv1.weight [2,2,3,3]', 'layer1.0.bn1.weight [2]', 'layer1.0.bn1.bias [2]',
      'layer1.1.conv1.weight [2,2,3,3]', 'layer1.1.bn1.weight [2]', 'layer1.1.bn1.bias [2]',
    ]);
    expect(net.namedBuffers().map(([n]) => n)).toEqual([
      'steps', 'cache',
      'layer1.0.bn1.running_mean', 'layer1.0.bn1.running_var', 'layer1.0.bn1.num_batches_tracked',
      'layer1.1.bn1.running_mean', 'layer1.1.bn1.running_var', 'layer1.1.bn1.num_batches_tracked',
    ]);
    const sd = net.stateDict();
    expect(Object.keys(sd)).toEqual([
      'scale', 'steps', 'stem.weight', 'stem.bias',
      'layer1.0.conv1.weight', 'layer1.0.bn1.weight', 'layer1.0.bn1.bias', 'layer1.0.bn1.running_mean',
      'layer1.0.bn1.running_var', 'layer1.0.bn1.num_batches_tracked',
      'layer1.1.conv1.weight', 'layer1.1.bn1.weight', 'layer1.1.bn1.bias', 'layer1.1.bn1.running_mean',
      'layer1.1.bn1.running_var', 'layer1.1.bn1.num_batches_tracked',
    ]);
    expect(net.parameters()).toHaveLength(9);
    expect(net.parameters().every((p) => p instanceof Variable && p.requiresGrad)).toBe(true);
    expect(net.buffers().every((b) => b instanceof Variable && !b.requiresGrad)).toBe(true);
    expect(net.namedModules().map(([n]) => n)).toEqual(['', 'stem', 'layer1', 'layer1.0', 'layer1.0.conv1', 'layer1.0.bn1',
      'layer1.0.relu', 'layer1.1', 'layer1.1.conv1', 'layer1.1.bn1', 'layer1.1.relu']);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['stem', 'layer1']);
    expect(net.getSubmodule('layer1.1.bn1')).toBeInstanceOf(BatchNorm2d);
    expect(net.getParameter('layer1.0.conv1.weight').shape).toEqual([2, 2, 3, 3]);
    expect(() => net.getSubmodule('layer1.7')).toThrow(ArgumentError);
    expect(() => net.getParameter('stem.gamma')).toThrow(/has no parameter 'gamma'/);
    expect(net.namedParameters({ recurse: false }).map(([n]) => n)).toEqual(['scale']);
    expect(net.namedParameters({ prefix: 'model' })[1]![0]).toBe('model.stem.weight');
    expect(net.numParameters()).toBe(1 + 18 + 2 + 2 * (36 + 4));
    dispose(sd);
    net.dispose();
  });

  it('rejects bad names, duplicates across kinds, and non-float parameters', () => {
    class Bad extends Module {
      forward(x: Tensor): Tensor { return x; }
    }
    const m = new Bad();
    expect(() => m.param('a.b', () => zeros([1]))).toThrow(ArgumentError);
    expect(() => m.param('', () => zeros([1]))).toThrow(ArgumentError);
    m.param('w', () => zeros([1]));
    expect(() => m.buffer('w', () => zeros([1]))).toThrow(/'w' is already registered as a parameter/);
    expect(() => m.module('w', new ReLU())).toThrow(ArgumentError);
    expect(() => m.param('i', () => zeros([1], 'int32'))).toThrow(DTypeError);
    expect(() => m.param('n', 3 as unknown as Tensor)).toThrow(ArgumentError);
    expect(() => m.module('r', {} as Module)).toThrow(ArgumentError);
    // Registering the same kind again replaces (swapping a head).
    const w2 = m.param('w', () => ones([2]));
    expect(m.getParameter('w')).toBe(w2);
    m.dispose();
  });

  it('ties weights: a Variable registered twice is one parameter, under its first name', () => {
    const a = new Linear(4, 4, { bias: false, seed: 0 });
    class Tied extends Module {
      readonly enc = this.module('enc', a);
      readonly dec = this.module('dec', new Linear(4, 4, { bias: false }));
      forward(x: Tensor): Tensor { return this.dec.call(this.enc.call(x)); }
    }
    const t = new Tied();
    t.dec.weight.dispose();
    t.dec.param('weight', a.weight);
    expect(t.parameters()).toHaveLength(1);
    const sd = t.stateDict();
    expect(Object.keys(sd)).toEqual(['enc.weight', 'dec.weight']); // both names, as PyTorch's state_dict
    dispose(sd);
    t.dispose();
  });
});

describe('modes', () => {
  it('train() and eval() set training recursively and return the module', () => {
    const net = new Sequential(new Linear(2, 2), new Sequential(new Dropout(0.5), new BatchNorm2d(1)));
    expect(net.modules().every((m) => m.training)).toBe(true);
    expect(net.eval()).toBe(net);
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    expect(() => net.train('no' as unknown as boolean)).toThrow(ArgumentError);
    net.dispose();
  });

  it('apply visits children first, then the module', () => {
    const net = new Sequential(new Linear(3, 3), new ReLU(), new Linear(3, 1));
    const seen: string[] = [];
    net.apply((m) => seen.push(m.constructor.name));
    expect(seen).toEqual(['Linear', 'ReLU', 'Linear', 'Sequential']);
    net.apply((m) => { if (m instanceof Linear) init.constant(m.weight, 0.5); });
    expect(values((net.at(2) as Linear).weight)).toEqual([0.5, 0.5, 0.5]);
    net.dispose();
  });

  it('toString prints the tree as PyTorch', () => {
    const net = new Sequential(new Linear(3, 4), new ReLU(), new Dropout(0.1));
    expect(net.toString()).toBe([
      'Sequential(',
      '  (0): Linear(in_features=3, out_features=4, bias=true)',
      '  (1): ReLU()',
      '  (2): Dropout(p=0.1)',
      ')',
    ].join('\n'));
    net.dispose();
  });
});

describe('stateDict / loadStateDict', () => {
  it('round-trips between models, copying values (never aliasing the caller\'s tensors)', () => {
    const a = new Net(), b = new Net();
    const x = tidy(() => ones([1, 1, 4, 4]).mul(0.3));
    tidy(() => { a.call(x); a.call(x); }); // move a's BatchNorm statistics away from b's
    const sd = a.stateDict();
    const result = b.loadStateDict(sd);
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    a.eval();
    b.eval();
    const ya = a.call(x), yb = b.call(x);
    expect(values(yb)).toEqual(values(ya));
    expect(values(b.getSubmodule('layer1.0.bn1').buffers()[2]!)).toEqual([2]);
    // The dict's tensors are the caller's: disposing them or changing a leaves b intact.
    const before = values(b.getParameter('stem.weight'));
    dispose(sd);
    a.getParameter('stem.weight').assign(tidy(() => a.getParameter('stem.weight').mul(0)));
    expect(values(b.getParameter('stem.weight'))).toEqual(before);
    // The loaded values are b's own buffers, distinct from the caller's.
    const src = tensor([1, 2]);
    const lin = new Linear(1, 2, { bias: false });
    const w = tensor([[1], [2]]);
    lin.loadStateDict({ weight: w });
    expect(lin.weight.ref).not.toBe(w.ref);
    w.dispose();
    expect(values(lin.weight)).toEqual([1, 2]);
    // A stateDict entry is a snapshot: training later does not change it.
    const snap = lin.stateDict();
    lin.weight.assign(tidy(() => lin.weight.mul(10)));
    expect(values(snap.weight!)).toEqual([1, 2]);
    dispose([x, ya, yb, src, snap]);
    lin.dispose();
    a.dispose();
    b.dispose();
  });

  it('lists missing keys, unexpected keys and shape mismatches in one StateDictError, and changes nothing', () => {
    const net = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    const w0 = values(net.getParameter('0.weight'));
    const sd: Record<string, Tensor> = {
      '0.weight': zeros([4, 3]), // transposed: a shape mismatch
      '0.bias': zeros([3]),
      '2.weight': zeros([2, 3]),
      '2.wieght': zeros([2, 3]), // a typo: unexpected
      '3.bias': zeros([2]),
    };
    let err: unknown;
    try {
      net.loadStateDict(sd);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateDictError);
    expect(err).toBeInstanceOf(ShapeError);
    const e = err as StateDictError;
    expect(e.missingKeys).toEqual(['2.bias']);
    expect(e.unexpectedKeys).toEqual(['2.wieght', '3.bias']);
    expect(e.shapeMismatches).toEqual([{ key: '0.weight', expected: [3, 4], got: [4, 3] }]);
    expect(e.message).toBe([
      'loadStateDict: cannot load the state dict into Sequential:',
      '  missing keys (1): 2.bias',
      '  unexpected keys (2): 2.wieght, 3.bias',
      '  shape mismatches (1):',
      '    0.weight: the module has [3,4], the state dict [4,3]',
    ].join('\n'));
    expect(values(net.getParameter('0.weight'))).toEqual(w0); // nothing was copied
    // Non-strict: missing/unexpected are reported, not thrown; shape mismatches still throw.
    expect(() => net.loadStateDict(sd, { strict: false })).toThrow(StateDictError);
    const partial = { '0.bias': sd['0.bias']!, extra: sd['3.bias']! };
    const r = net.loadStateDict(partial, { strict: false });
    expect(r.missingKeys).toEqual(['0.weight', '2.weight', '2.bias']);
    expect(r.unexpectedKeys).toEqual(['extra']);
    expect(values(net.getParameter('0.bias'))).toEqual([0, 0, 0]);
    // Bad entries.
    expect(() => net.loadStateDict({ '0.bias': [1, 2, 3] as unknown as Tensor }, { strict: false })).toThrow(ArgumentError);
    const gone = zeros([3]);
    gone.dispose();
    expect(() => net.loadStateDict({ '0.bias': gone }, { strict: false })).toThrow(DisposedError);
    // A Map works, and values are cast to the parameter's dtype (int32 -> float32, as copy_).
    const ints = tensor(new Int32Array([1, 2, 3]));
    net.loadStateDict(new Map([['0.bias', ints]]), { strict: false });
    expect(net.getParameter('0.bias').dtype).toBe('float32');
    expect(values(net.getParameter('0.bias'))).toEqual([1, 2, 3]);
    dispose([...Object.values(sd), ints]);
    net.dispose();
  });
});

describe('gradients, freezing, disposal', () => {
  it('backward accumulates into each parameter\'s grad; zeroGrad frees them', () => {
    const m = new Linear(3, 2, { seed: 4 });
    const x = ones([5, 3]);
    tidy(() => m.call(x).sum().backward());
    expect(values(m.bias!.grad!)).toEqual([5, 5]);
    tidy(() => m.call(x).sum().backward());
    expect(values(m.bias!.grad!)).toEqual([10, 10]);
    m.zeroGrad();
    expect(m.weight.grad).toBeNull();
    expect(m.bias!.grad).toBeNull();
    x.dispose();
    m.dispose();
  });

  it('requiresGrad_(false) freezes a submodule: its parameters get no gradient, the rest do', () => {
    const net = new Sequential(new Linear(3, 4, { seed: 0 }), new ReLU(), new Linear(4, 2, { seed: 1 }));
    net.at(0).requiresGrad_(false);
    expect(net.numParameters({ trainableOnly: true })).toBe(10);
    const x = ones([2, 3]);
    tidy(() => net.call(x).square().sum().backward());
    expect((net.at(0) as Linear).weight.grad).toBeNull();
    expect((net.at(0) as Linear).bias!.grad).toBeNull();
    expect((net.at(2) as Linear).weight.grad).not.toBeNull();
    // Per-parameter: freeze only the last bias.
    net.zeroGrad();
    net.requiresGrad_(true);
    (net.at(2) as Linear).bias!.requiresGrad_(false);
    tidy(() => net.call(x).square().sum().backward());
    expect((net.at(0) as Linear).weight.grad).not.toBeNull();
    expect((net.at(2) as Linear).bias!.grad).toBeNull();
    x.dispose();
    net.dispose();
  });

  it('dispose() returns memory() to its value before the model was built', () => {
    const before = memory();
    const net = new Net();
    const x = ones([2, 1, 5, 5]);
    tidy(() => net.call(x).sum().backward());
    net.eval();
    const y = net.call(x);
    expect(memory().tensors).toBeGreaterThan(before.tensors);
    dispose([x, y]);
    net.dispose();
    expect(memory().tensors).toBe(before.tensors);
    expect(memory().bytes).toBe(before.bytes);
    expect(net.isDisposed).toBe(true);
    expect(net.layer1.isDisposed).toBe(true);
    const x2 = ones([1, 1, 5, 5]);
    expect(() => net.call(x2)).toThrow(DisposedError);
    expect(() => net.call(x2)).toThrow(/Net: the module was disposed/);
    net.dispose(); // idempotent
    x2.dispose();
  });

  it('building a model inside tidy keeps its parameters', () => {
    let m!: Linear;
    tidy(() => { m = new Linear(2, 2, { seed: 0 }); });
    expect(m.weight.isDisposed).toBe(false);
    m.dispose();
  });
});

describe('containers', () => {
  it('Sequential from modules or from named modules; at, append, iteration', () => {
    expectNoLeak(() => {
      const s = new Sequential({ fc1: new Linear(2, 3), act: new ReLU() });
      expect(s.namedParameters().map(([n]) => n)).toEqual(['fc1.weight', 'fc1.bias']);
      s.append(new Linear(3, 1));
      expect(s.length).toBe(3);
      expect(s.namedParameters().map(([n]) => n)).toEqual(['fc1.weight', 'fc1.bias', '2.weight', '2.bias']);
      expect(s.at(-1)).toBeInstanceOf(Linear);
      expect(() => s.at(3)).toThrow(ArgumentError);
      expect([...s].map((m) => m.constructor.name)).toEqual(['Linear', 'ReLU', 'Linear']);
      const one = new Linear(1, 1);
      expect(() => new Sequential(one, 3 as unknown as Linear)).toThrow(/Sequential: layer '1' must be a Module/);
      one.dispose();
      s.dispose();
    });
  });

  it('ModuleList registers its modules by index and has no forward', () => {
    class Stack extends Module {
      readonly blocks = this.module('blocks', new ModuleList([new Linear(2, 2, { seed: 0 }), new Linear(2, 2, { seed: 1 })]));
      forward(x: Tensor): Tensor {
        let y = x;
        for (const b of this.blocks) y = b.call(y);
        return y;
      }
    }
    const s = new Stack();
    expect(s.namedParameters().map(([n]) => n)).toEqual(['blocks.0.weight', 'blocks.0.bias', 'blocks.1.weight', 'blocks.1.bias']);
    s.blocks.extend([new Linear(2, 2)]);
    expect(s.blocks.length).toBe(3);
    expect(s.blocks.at(-1)).toBeInstanceOf(Linear);
    expect(() => s.blocks.forward()).toThrow(ArgumentError);
    const x = ones([1, 2]);
    const y = s.call(x);
    expect(y.shape).toEqual([1, 2]);
    dispose([x, y]);
    s.dispose();
  });

  it('ModuleDict registers its modules by key', () => {
    const d = new ModuleDict({ cls: new Linear(4, 3), box: new Linear(4, 2) });
    expect(d.keys()).toEqual(['cls', 'box']);
    expect(d.get('box')).toBeInstanceOf(Linear);
    expect(d.has('cls')).toBe(true);
    expect(d.size).toBe(2);
    expect(() => d.get('seg')).toThrow(/no module 'seg' \(keys: cls, box\)/);
    d.set('seg', new Linear(4, 1));
    expect(d.namedParameters().map(([n]) => n)).toEqual(['cls.weight', 'cls.bias', 'box.weight', 'box.bias', 'seg.weight', 'seg.bias']);
    expect(d.entries().map(([k]) => k)).toEqual(['cls', 'box', 'seg']);
    expect(d.values()).toHaveLength(3);
    d.dispose();
  });
});
