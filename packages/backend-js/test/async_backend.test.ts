// What only an asynchronous backend shows: uploads counted per op, flush before reads, no
// hidden synchronous read, and device loss with re-creation.
import * as T from '@tensile/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createJsBackend } from '../src/index.js';
import { createAsyncTestBackend, type AsyncTestBackend } from './async_backend.js';

const active = (): AsyncTestBackend => T.getBackend() as AsyncTestBackend;

beforeAll(async () => {
  T.registerBackend('js', createJsBackend);
  T.registerBackend('gpu-like', () => createAsyncTestBackend('gpu-like'));
});

afterEach(async () => {
  await T.setBackend('gpu-like').catch(() => undefined);
  await T.setBackend('js');
  T.dispose(T.liveTensors());
});

describe('an asynchronous backend', () => {
  it('pays no upload for JS scalars, constants, broadcasts or their gradients', async () => {
    await T.setBackend('gpu-like');
    const x = T.tensor([1, 2, 3, 4], [2, 2]);
    const c = T.tensor([true, false]);
    const start = active().stats.writes;
    const outs = [
      x.mul(2), x.add(1.5), T.sub(10, x), x.greater(2), T.where(c, x, 0), T.where(c, 1, 0),
      T.zeros([3]), T.ones([2], 'int32'), T.full([2], 7), T.zerosLike(x), T.onesLike(x),
      x.broadcastTo([3, 2, 2]), x.clip(1.5, 3),
      ...T.grad((v: T.Tensor) => T.sum(T.mul(T.max(v, 1), v.pow(2))))(x),
    ];
    expect(active().stats.writes - start, 'write() calls for scalars and constants').toBe(0);
    expect(Array.from(await outs[0]!.data())).toEqual([2, 4, 6, 8]);
    expect(Array.from(await outs[2]!.data())).toEqual([9, 8, 7, 6]);
    expect(Array.from(await outs[5]!.data())).toEqual([1, 0]);
    T.dispose([x, c, ...outs]);
  });

  it('flushes before every read and reads on a later task', async () => {
    await T.setBackend('gpu-like');
    const x = T.tensor([1, 2]);
    const before = active().stats.flushes;
    let settled = false;
    const read = x.data().then((v) => { settled = true; return v; });
    await Promise.resolve();
    expect(settled, 'the read resolved within the same task').toBe(false);
    expect(Array.from(await read)).toEqual([1, 2]);
    expect(active().stats.flushes - before).toBe(1);
    x.dispose();
  });

  it('never reads synchronously behind the user\'s back: a lazy move off it names `await toBackend`', async () => {
    await T.setBackend('js');
    const t = T.tensor([1, 2]);
    await T.toBackend(t, 'gpu-like');
    expect(T.backendOf(t)).toBe('gpu-like');
    expect(() => T.add(t, 1)).toThrow(T.BackendError);
    expect(() => T.add(t, 1)).toThrow("await toBackend(t, 'js')");
    await T.toBackend(t);
    expect(Array.from(await T.add(t, 1).data())).toEqual([2, 3]);
  });

  it('device loss: its tensors fail with a DeviceLostError naming it, setBackend re-creates it', async () => {
    T.registerBackend('lossy', () => createAsyncTestBackend('lossy'));
    await T.setBackend('lossy');
    const first = active();
    const t = T.tensor([1, 2, 3]);
    first.loseDevice('the GPU was reset');
    await new Promise((r) => setTimeout(r, 0));
    expect(() => T.add(t, 1)).toThrow(T.DeviceLostError);
    expect(() => T.add(t, 1)).toThrow(/'lossy' was lost \(the GPU was reset\)/);
    await expect(t.data()).rejects.toThrow(T.DeviceLostError);
    expect(() => T.zeros([2])).toThrow(/setBackend/);
    t.dispose(); // nothing to free on a lost device, and no error
    await T.setBackend('lossy');
    expect(active()).not.toBe(first);
    const u = T.tensor([4]);
    expect(Array.from(await u.add(1).data())).toEqual([5]);
    u.dispose();
    // the registry can remove it and take another registration under the same name
    await T.setBackend('js');
    T.dispose(T.liveTensors());
    T.removeBackend('lossy');
    expect(T.listBackends()).not.toContain('lossy');
    T.registerBackend('lossy', () => createAsyncTestBackend('lossy'));
    await T.setBackend('lossy');
    expect(T.getBackendName()).toBe('lossy');
    await T.setBackend('js');
    T.removeBackend('lossy');
  });

  it('removeBackend refuses while tensors hold data on it', async () => {
    T.registerBackend('busy', () => createAsyncTestBackend('busy'));
    await T.setBackend('busy');
    const t = T.tensor([1]);
    await T.setBackend('js'); // moves t off (busy has no readSync)
    const u = T.tensor([2]);
    await T.toBackend(u, 'busy');
    expect(() => T.removeBackend('busy')).toThrow(/still holds 1 buffer/);
    await T.toBackend(u, 'js');
    T.removeBackend('busy');
    expect(Array.from(await t.data())).toEqual([1]);
    T.dispose([t, u]);
  });

  it('setBackend moves every live tensor off it before it resolves, values intact', async () => {
    await T.setBackend('gpu-like');
    const a = T.tensor([1, 2, 3]);
    const i = T.tensor(new Int32Array([7, -8]));
    await T.setBackend('js');
    expect(T.backendOf(a)).toBe('js');
    expect(Array.from(a.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(i.dataSync())).toEqual([7, -8]);
    T.dispose([a, i]);
  });
});
