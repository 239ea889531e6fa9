import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, dispose, memory, stack, tensor, tidyAsync, type Tensor } from '@tensile/core';
import { DataLoader } from './data_loader.js';
import type { Dataset } from './dataset.js';
import { TensorDataset } from './tensor_dataset.js';
import { compose } from './transforms/transform.js';
import { randomCrop } from './transforms/crop.js';
import { randomHorizontalFlip } from './transforms/flip.js';
import { iota, useBackend } from './test_utils.js';

useBackend();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** n samples [index as a float32 [2] tensor, index as a number], one get() at a time. */
function indexDataset(n: number, log?: string[]): Dataset<[Tensor, number]> {
  return {
    length: n,
    get: (i) => {
      log?.push(`get ${i}`);
      return [tensor([i, -i]), i];
    },
  };
}

/** A TensorDataset of x = [n, 1, 2, 2] (sample i filled with i) and y = i (int32). */
function tensorDataset(n: number): TensorDataset<[Tensor, Tensor]> {
  return new TensorDataset(tensor(iota(n).flatMap((i) => [i, i, i, i]), [n, 1, 2, 2]), tensor(iota(n), [n], 'int32'));
}

/** Runs one epoch, returning each batch's labels; frees every batch. */
async function epoch<B extends unknown[]>(loader: DataLoader<unknown, B> | AsyncIterable<B>, labelsAt = 1): Promise<number[][]> {
  const out: number[][] = [];
  for await (const batch of loader) {
    out.push(Array.from((batch[labelsAt] as Tensor).dataSync()));
    dispose(batch as Tensor[]);
  }
  return out;
}

describe('DataLoader batching', () => {
  it.each([
    [10, 4, false, [4, 4, 2]],
    [10, 4, true, [4, 4]],
    [8, 4, false, [4, 4]],
    [8, 4, true, [4, 4]],
    [3, 5, false, [3]],
    [3, 5, true, []],
    [0, 2, false, []],
    [1, 1, false, [1]],
  ])('%i samples, batchSize %i, dropLast %s -> batches of %j', async (n, batchSize, dropLast, sizes) => {
    for (const ds of [tensorDataset(n), indexDataset(n)] as Dataset<unknown>[]) {
      const loader = new DataLoader(ds as Dataset<[Tensor, number]>, { batchSize, dropLast });
      expect(loader.length).toBe(sizes.length);
      const batches = await epoch(loader);
      expect(batches.map((b) => b.length)).toEqual(sizes);
      expect(batches.flat()).toEqual(iota(sizes.reduce((a, b) => a + b, 0))); // in order without shuffle
      if (ds instanceof TensorDataset) ds.dispose();
    }
  });

  it('yields collated batches of the right shapes and dtypes (getItems and per-sample paths)', async () => {
    const ds = tensorDataset(5);
    for await (const [x, y] of new DataLoader(ds, { batchSize: 2 })) {
      expect([x.shape, x.dtype, y.dtype]).toEqual([[x.shape[0], 1, 2, 2], 'float32', 'int32']);
      dispose([x, y]);
    }
    ds.dispose();
    for await (const [x, i] of new DataLoader(indexDataset(5), { batchSize: 2 })) {
      expect([x.shape.slice(1), x.dtype, i.dtype]).toEqual([[2], 'float32', 'int32']);
      expect(Array.from(x.dataSync()).filter((_, k) => k % 2 === 0)).toEqual(Array.from(i.dataSync()));
      dispose([x, i]);
    }
  });

  it('defaults to batchSize 1 and no shuffle, as PyTorch', async () => {
    const loader = new DataLoader(indexDataset(3));
    expect([loader.batchSize, loader.shuffle, loader.dropLast, loader.prefetch]).toEqual([1, false, false, 1]);
    expect(await epoch(loader)).toEqual([[0], [1], [2]]);
  });
});

describe('DataLoader shuffling', () => {
  it('visits every index exactly once per epoch, in a new order each epoch', async () => {
    const ds = tensorDataset(50);
    const loader = new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 42 });
    const e0 = (await epoch(loader)).flat();
    const e1 = (await epoch(loader)).flat();
    expect(loader.epoch).toBe(2);
    for (const e of [e0, e1]) expect([...e].sort((a, b) => a - b)).toEqual(iota(50));
    expect(e0).not.toEqual(iota(50));
    expect(e1).not.toEqual(e0);
    expect(e0).toEqual(Array.from(loader.indices(0)));
    ds.dispose();
  });

  it('is reproducible from the seed (every epoch), and another seed gives other orders', async () => {
    const ds = tensorDataset(40);
    const run = async (seed: number) => {
      const loader = new DataLoader(ds, { batchSize: 7, shuffle: true, seed });
      return [await epoch(loader), await epoch(loader)];
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
    const resumed = new DataLoader(ds, { batchSize: 7, shuffle: true, seed: 7 });
    resumed.setEpoch(1);
    expect(await epoch(resumed)).toEqual(a[1]);
    ds.dispose();
  });

  it('draws a seed when none is given, and reports it', () => {
    const a = new DataLoader(indexDataset(4), { shuffle: true });
    const b = new DataLoader(indexDataset(4), { shuffle: true, seed: a.seed });
    expect(Number.isInteger(a.seed) && a.seed >= 0).toBe(true);
    expect(Array.from(b.indices(3))).toEqual(Array.from(a.indices(3)));
  });
});

describe('DataLoader collate and transform', () => {
  it('passes the samples of a batch to a custom collate (instead of getItems)', async () => {
    const ds = tensorDataset(5);
    let getItemsCalls = 0;
    const spied = Object.assign(Object.create(ds), { getItems: () => { getItemsCalls++; throw new Error('unused'); } }) as typeof ds;
    const seen: number[] = [];
    const loader = new DataLoader(spied, {
      batchSize: 2,
      collate: (samples) => {
        seen.push(samples.length);
        return { x: stack(samples.map((s) => s[0]), 0), count: samples.length };
      },
    });
    const shapes: number[][] = [];
    for await (const b of loader) {
      shapes.push(b.x.shape);
      b.x.dispose();
    }
    expect(seen).toEqual([2, 2, 1]);
    expect(shapes).toEqual([[2, 1, 2, 2], [2, 1, 2, 2], [1, 1, 2, 2]]);
    expect(getItemsCalls).toBe(0);
    ds.dispose();
  });

  it('applies transform to each collated batch, freeing the intermediates', async () => {
    const ds = tensorDataset(4);
    const loader = new DataLoader(ds, { batchSize: 4, transform: ([x, y]) => [x.mul(2).add(1), y] });
    for await (const [x, y] of loader) {
      expect(Array.from(x.dataSync()).filter((_, k) => k % 4 === 0)).toEqual([1, 3, 5, 7]);
      expect(Array.from(y.dataSync())).toEqual([0, 1, 2, 3]);
      dispose([x, y]);
    }
    ds.dispose();
  });
});

describe('DataLoader prefetch', () => {
  it('prepares batch k+1 while the consumer is still working on batch k', async () => {
    const log: string[] = [];
    const loader = new DataLoader(indexDataset(6, log), { batchSize: 2 });
    let k = 0;
    for await (const [x, i] of loader) {
      log.push(`start ${k}`);
      await sleep(5); // the consumer awaits (a readback, a GPU step)
      log.push(`end ${k++}`);
      dispose([x, i]);
    }
    // The first get of batch k+1 (index 2k+2) happens before the consumer ends batch k.
    for (const b of [0, 1]) expect(log.indexOf(`get ${2 * b + 2}`)).toBeLessThan(log.indexOf(`end ${b}`));
    expect(log.indexOf('get 2')).toBeGreaterThan(log.indexOf('start 0')); // on a later task, not before batch 0 is out
  });

  it('with prefetch 0 makes each batch only when asked', async () => {
    const log: string[] = [];
    let k = 0;
    for await (const batch of new DataLoader(indexDataset(6, log), { batchSize: 2, prefetch: 0 })) {
      await sleep(2);
      log.push(`end ${k++}`);
      dispose(batch);
    }
    expect(log).toEqual(['get 0', 'get 1', 'end 0', 'get 2', 'get 3', 'end 1', 'get 4', 'get 5', 'end 2']);
  });

  it('overlaps an asynchronous dataset with the consumer, and keeps the order', async () => {
    const log: string[] = [];
    const ds: Dataset<[Tensor, number]> = {
      length: 6,
      get: async (i) => {
        log.push(`get ${i}`);
        await sleep(6 - i); // later samples resolve first: order must not change
        return [tensor([i]), i];
      },
    };
    const loader = new DataLoader(ds, { batchSize: 2, prefetch: 2 });
    const seen: number[][] = [];
    let k = 0;
    for await (const [x, i] of loader) {
      seen.push(Array.from(i.dataSync()));
      await sleep(10);
      log.push(`end ${k++}`);
      dispose([x, i]);
    }
    expect(seen).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(log.indexOf('get 4')).toBeLessThan(log.indexOf('end 0')); // two batches ahead
  });
});

describe('DataLoader memory: the consumer owns each batch', () => {
  it('leaves memory() as it was after a full epoch with augmentation, when batches are disposed', async () => {
    const ds = tensorDataset(37);
    const aug = compose([randomCrop(2, { padding: 1, seed: 1 }), randomHorizontalFlip({ seed: 2 })]);
    const loader = new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 3, transform: ([x, y]) => [aug(x), y] });
    const before = memory();
    let held = 0;
    for await (const [x, y] of loader) {
      held = Math.max(held, memory().tensors - before.tensors);
      dispose([x, y]);
    }
    expect(held).toBeLessThanOrEqual(4); // this batch and the one prefetched: 2 tensors each
    expect(memory().tensors).toBe(before.tensors);
    expect(memory().bytes).toBe(before.bytes);
    ds.dispose();
  });

  it('frees the prefetched batch when the consumer breaks out', async () => {
    const ds = tensorDataset(20);
    const before = memory().tensors;
    for await (const [x, y] of new DataLoader(ds, { batchSize: 4, prefetch: 3 })) {
      await sleep(2); // let the prefetch run
      dispose([x, y]);
      break;
    }
    expect(memory().tensors).toBe(before);
    ds.dispose();
  });

  it('batches survive the consumer\'s tidy scopes (they are kept); only dispose frees them', async () => {
    const ds = tensorDataset(8);
    const it = new DataLoader(ds, { batchSize: 4 })[Symbol.asyncIterator]();
    await tidyAsync(async () => {
      const first = await it.next();
      dispose(first.value!);
      await sleep(5); // batch 1 is made now, inside this scope
    });
    const second = await it.next();
    if (second.done) throw new Error('expected a second batch');
    expect(second.value.every((t) => !t.isDisposed)).toBe(true);
    expect(Array.from(second.value[1].dataSync())).toEqual([4, 5, 6, 7]);
    dispose(second.value);
    expect((await it.next()).done).toBe(true);
    ds.dispose();
  });

  it('surfaces an error of the dataset at next(), freeing what was prepared', async () => {
    const failing: Dataset<[Tensor, number]> = {
      length: 10,
      get: (i) => {
        if (i === 5) throw new ArgumentError('boom at 5');
        return [tensor([i]), i];
      },
    };
    const got: number[][] = [];
    const run = async () => {
      for await (const [x, i] of new DataLoader(failing, { batchSize: 2, prefetch: 2 })) {
        got.push(Array.from(i.dataSync()));
        dispose([x, i]);
      }
    };
    await expect(run()).rejects.toThrow('boom at 5');
    expect(got).toEqual([[0, 1], [2, 3]]);
  });

  it('surfaces a collate error (mismatched sample shapes) as the ShapeError it is', async () => {
    const ragged: Dataset<Tensor> = { length: 2, get: (i) => tensor(iota(i + 1)) };
    const run = async () => { for await (const b of new DataLoader(ragged, { batchSize: 2 })) b.dispose(); };
    await expect(run()).rejects.toThrow(ShapeError);
    await expect(run()).rejects.toThrow(/defaultCollate: sample 1 has shape \[2\] but sample 0 has \[1\]/);
  });
});

describe('DataLoader bad inputs', () => {
  const ds = indexDataset(4);
  it.each([
    [{ batchSize: 0 }, /DataLoader: batchSize must be an integer >= 1, got 0/],
    [{ batchSize: -2 }, /DataLoader: batchSize must be an integer >= 1, got -2/],
    [{ batchSize: 1.5 }, /DataLoader: batchSize must be an integer >= 1, got 1.5/],
    [{ batchSize: '4' }, /DataLoader: batchSize must be an integer >= 1, got "4"/],
    [{ prefetch: -1 }, /DataLoader: prefetch must be an integer >= 0, got -1/],
    [{ shuffle: 'yes' }, /DataLoader: shuffle must be a boolean, got "yes"/],
    [{ dropLast: 1 }, /DataLoader: dropLast must be a boolean, got 1/],
    [{ seed: -1 }, /DataLoader: seed must be an integer >= 0, got -1/],
    [{ seed: 0.5 }, /DataLoader: seed must be an integer >= 0, got 0.5/],
    [{ collate: 'stack' }, /DataLoader: collate must be a function, got "stack"/],
    [{ transform: 3 }, /DataLoader: transform must be a function, got 3/],
    ['fast', /DataLoader: options must be an object, got "fast"/],
  ])('rejects options %j with ArgumentError', (options, message) => {
    expect(() => new DataLoader(ds, options as never)).toThrow(ArgumentError);
    expect(() => new DataLoader(ds, options as never)).toThrow(message);
  });

  it.each([
    [null, /DataLoader: dataset must be an object with a length and a get\(index\) method, got null/],
    [[1, 2, 3], /DataLoader: dataset must be an object with a length and a get\(index\) method, got \[1, 2, 3\]/],
    [{ length: -1, get: () => 0 }, /DataLoader: dataset.length must be a non-negative integer, got -1/],
    [{ length: 2.5, get: () => 0 }, /DataLoader: dataset.length must be a non-negative integer, got 2.5/],
  ])('rejects dataset %j with ArgumentError', (dataset, message) => {
    expect(() => new DataLoader(dataset as never)).toThrow(ArgumentError);
    expect(() => new DataLoader(dataset as never)).toThrow(message);
  });

  it('rejects a bad epoch', () => {
    const loader = new DataLoader(ds);
    expect(() => loader.setEpoch(-1)).toThrow(/DataLoader.setEpoch: epoch must be an integer in \[0, 1048576\], got -1/);
    expect(() => loader.indices(1.5)).toThrow(ArgumentError);
  });
});
