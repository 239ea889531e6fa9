// Forward hooks: order (pre-hooks, forward, hooks; registration order; parents around
// children), removal, replacement of inputs and outputs, and hooks that throw leave the module
// and memory as they were.
import { ArgumentError, Tensor, memory, tensor, tidy } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { Linear, Module, ReLU, Sequential, type AnyModule } from '../src/index.js';
import { expectNoLeak, useJs, values } from './helpers.js';

useJs();

/** Calls `m` in a scope of its own, so the input and output are freed. */
const run = (m: AnyModule, x: number[] | number[][] | Tensor): void => tidy(() => void m.call(x instanceof Tensor ? x : tensor(x)));

/** Doubles its input, and records that it ran. */
class Double extends Module {
  readonly log: string[];
  constructor(log: string[]) {
    super();
    this.log = log;
  }
  forward(x: Tensor): Tensor {
    this.log.push('forward');
    return x.mul(2);
  }
}

/** A model with a nested Sequential, to watch the order in which hooks of parents and children run. */
class Outer extends Module {
  readonly body = this.module('body', new Sequential(new Linear(2, 2, { seed: 0 }), new ReLU()));
  readonly head = this.module('head', new Linear(2, 1, { seed: 1 }));
  forward(x: Tensor): Tensor {
    return this.head.call(this.body.call(x));
  }
}

describe('forward hooks', () => {
  it('run pre-hooks, then forward, then hooks, each kind in registration order', () => {
    const log: string[] = [];
    const m = new Double(log);
    m.registerForwardPreHook(() => void log.push('pre 1'));
    m.registerForwardHook(() => void log.push('post 1'));
    m.registerForwardPreHook(() => void log.push('pre 2'));
    m.registerForwardHook(() => void log.push('post 2'));
    expectNoLeak(() => run(m, [1]));
    expect(log).toEqual(['pre 1', 'pre 2', 'forward', 'post 1', 'post 2']);
  });

  it('see the module, the inputs and the output', () => {
    const m = new Double([]);
    const seen: [AnyModule, number[], number[]][] = [];
    m.registerForwardHook((mod, [x], y) => void seen.push([mod, values(x), values(y)]));
    expectNoLeak(() => run(m, [1, 3]));
    expect(seen).toEqual([[m, [1, 3], [2, 6]]]);
  });

  it('in nested modules: each parent\'s pre-hook before its children, its hook after them (execution order)', () => {
    const m = new Outer();
    const log: string[] = [];
    for (const [name, mod] of m.namedModules()) {
      const n = name === '' ? 'root' : name;
      mod.registerForwardPreHook(() => void log.push(`> ${n}`));
      mod.registerForwardHook((_m: AnyModule, _in: unknown[], y: Tensor) => void log.push(`< ${n} [${y.shape.join(',')}]`));
    }
    expectNoLeak(() => run(m, [[1, 2], [3, 4], [5, 6]]));
    expect(log).toEqual([
      '> root', '> body', '> body.0', '< body.0 [3,2]', '> body.1', '< body.1 [3,2]', '< body [3,2]', '> head', '< head [3,1]', '< root [3,1]',
    ]);
  });

  it('stop running once removed; removing twice is harmless; other hooks stay', () => {
    const m = new Double([]);
    const log: string[] = [];
    const a = m.registerForwardHook(() => void log.push('a'));
    m.registerForwardHook(() => void log.push('b'));
    const p = m.registerForwardPreHook(() => void log.push('p'));
    expect(a.id).not.toBe(p.id);
    expectNoLeak(() => run(m, [1]));
    a.remove();
    a.remove();
    p.remove();
    expectNoLeak(() => run(m, [1]));
    expect(log).toEqual(['p', 'a', 'b', 'b']);
  });

  it('a hook that removes itself during a call still lets the others of that call run', () => {
    const m = new Double([]);
    const log: string[] = [];
    const once = m.registerForwardHook(() => {
      log.push('once');
      once.remove();
    });
    m.registerForwardHook(() => void log.push('always'));
    expectNoLeak(() => {
      run(m, [1]);
      run(m, [1]);
    });
    expect(log).toEqual(['once', 'always', 'always']);
  });

  it.each([
    ['a pre-hook returning an array replaces the arguments', (m: Double) => m.registerForwardPreHook((_m, [x]) => [x.add(1)]), [4, 6]],
    ['a pre-hook returning one tensor replaces the single argument', (m: Double) => m.registerForwardPreHook((_m, [x]) => x.neg()), [-2, -4]],
    ['a hook returning a tensor replaces the output', (m: Double) => m.registerForwardHook((_m, _x, y) => y.add(10)), [12, 14]],
    ['hooks returning nothing change nothing', (m: Double) => m.registerForwardHook(() => undefined), [2, 4]],
  ] as const)('%s', (_name, register, want) => {
    const m = new Double([]);
    register(m);
    expectNoLeak(() => tidy(() => void expect(values(m.call(tensor([1, 2])))).toEqual(want)));
  });

  it('tensors a hook makes and does not return are freed with the call\'s scope', () => {
    const m = new Double([]);
    m.registerForwardPreHook((_m, [x]) => void x.mul(100).sum());
    m.registerForwardHook((_m, _x, y) => y.exp().add(1));
    const x = tensor([0]);
    const before = memory().tensors;
    const y = m.call(x);
    expect(memory().tensors).toBe(before + 1);
    expect(values(y)).toEqual([2]);
    y.dispose();
    x.dispose();
  });

  it.each([
    ['pre-hook', (m: Double) => m.registerForwardPreHook((_m, [x]) => {
      x.add(1);
      throw new Error('boom in pre-hook');
    })],
    ['hook', (m: Double) => m.registerForwardHook((_m, _x, y) => {
      y.add(1);
      throw new Error('boom in hook');
    })],
  ] as const)('a %s that throws: the error reaches the caller, nothing leaks, and the module works once it is removed', (kind, register) => {
    const log: string[] = [];
    const m = new Double(log);
    const h = register(m);
    expectNoLeak(() => {
      const x = tensor([1, 2]);
      expect(() => m.call(x)).toThrow(`boom in ${kind}`);
      x.dispose();
    });
    h.remove();
    expectNoLeak(() => {
      const y = tidy(() => m.call(tensor([1, 2])));
      expect(values(y)).toEqual([2, 4]);
      y.dispose();
    });
  });

  it('a throwing hook of a child does not leave its parent half-run: the next call runs every hook once more', () => {
    const m = new Outer();
    const log: string[] = [];
    m.registerForwardHook(() => void log.push('root'));
    let fail = true;
    m.head.registerForwardHook(() => {
      log.push('head');
      if (fail) throw new Error('head hook failed');
    });
    expectNoLeak(() => {
      const x = tensor([[1, 2]]);
      expect(() => m.call(x)).toThrow('head hook failed');
      fail = false;
      run(m, x);
      x.dispose();
    });
    expect(log).toEqual(['head', 'head', 'root']);
  });

  it.each([
    ['registerForwardHook', (m: AnyModule) => m.registerForwardHook(42 as never)],
    ['registerForwardPreHook', (m: AnyModule) => m.registerForwardPreHook('x' as never)],
  ] as const)('%s rejects a non-function, naming the method', (method, register) => {
    const m = new ReLU();
    expect(() => register(m)).toThrow(ArgumentError);
    expect(() => register(m)).toThrow(`ReLU.${method}: the hook must be a function`);
  });
});
