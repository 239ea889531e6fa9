// DataLoader: batches of a dataset, seeded shuffling, collate, and background prefetch.
import { ArgumentError, Tensor, dispose, keep, tidy, type TensorContainer } from '@tensile/core';
import { checkDataset, type Dataset } from './dataset.js';
import { defaultCollate, type Collated } from './collate.js';
import { checkBool, checkInt, checkOptions, checkSeed, describe } from './check.js';
import { permutation } from './random.js';

/**
 * B itself, written as a homomorphic mapped type so that TypeScript reads an array literal
 * returned by `transform` (`[augment(x), y]`) as a tuple of B's shape, not as an array.
 */
export type SameAs<B> = { [K in keyof B]: B[K] };

export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1, as PyTorch). */
  batchSize?: number;
  /** Visit the samples in a new seeded random order every epoch (default false). */
  shuffle?: boolean;
  /** Seed of the shuffle: epoch e's order is a function of (seed, e). Default: a random seed, see `loader.seed`. */
  seed?: number;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /**
   * Makes a batch from a list of samples (default `defaultCollate`, or the dataset's
   * `getItems` when it has one). Synchronous, and run under `tidy`: it returns new tensors.
   */
  collate?: (samples: T[]) => B;
  /** Applied to each collated batch, e.g. augmentation: `([x, y]) => [augment(x), y]`. Runs under `tidy`. */
  transform?: (batch: B) => SameAs<B>;
  /** Batches prepared ahead, in the background, while the consumer works (default 1; 0 turns prefetch off). */
  prefetch?: number;
}

/**
 * Iterates a dataset in batches: `for await (const [x, y] of loader)`. Each `for await` is one
 * epoch; with `shuffle`, epoch e visits the samples in the order permutation(seed, e), so a
 * run is reproducible from its seed and every epoch has a new order.
 *
 * **Memory: the consumer owns every batch it receives** (as a PyTorch training loop owns the
 * tensors its loader yields) and must free it, e.g. `dispose([x, y])` at the end of the step.
 * A batch is made in the background while the consumer's own `tidy` scopes come and go, so
 * the loader `keep`s it: no tidy scope frees a batch, only `dispose` does. Everything else the
 * loader makes (samples, index tensors, intermediates of collate and transform) it frees
 * itself, and batches prepared ahead but never handed out (after a `break`, or an error) are
 * freed when the iteration ends. A full epoch whose batches are disposed leaves `memory()`
 * where it was.
 *
 * **Prefetch:** when a batch is handed out, the next one is produced on a later task, so it
 * is prepared while the consumer awaits (a readback, a GPU step, file I/O of the dataset).
 * Batches are always produced one after the other, in order, so seeded transforms draw the
 * same numbers whatever the timing.
 * @example
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 64, shuffle: true, seed: 1 });
 * for await (const [xb, yb] of loader) { step(xb, yb); dispose([xb, yb]); }
 */
export class DataLoader<T, B = Collated<T>> implements AsyncIterable<B> {
  readonly dataset: Dataset<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly prefetch: number;
  /** The shuffle's seed (the given one, or the random one drawn when none was given). */
  readonly seed: number;
  private readonly collate?: (samples: T[]) => B;
  private readonly transform?: (batch: B) => SameAs<B>;
  private nextEpoch = 0;

  constructor(dataset: Dataset<T>, options?: DataLoaderOptions<T, B>) {
    const fn = 'DataLoader';
    checkDataset(fn, dataset);
    const o = checkOptions(fn, options);
    this.dataset = dataset;
    this.batchSize = checkInt(fn, 'batchSize', o.batchSize, 1, 1);
    this.shuffle = checkBool(fn, 'shuffle', o.shuffle, false);
    this.dropLast = checkBool(fn, 'dropLast', o.dropLast, false);
    this.prefetch = checkInt(fn, 'prefetch', o.prefetch, 0, 1);
    this.seed = checkSeed(fn, o.seed);
    for (const k of ['collate', 'transform'] as const) {
      if (o[k] !== undefined && typeof o[k] !== 'function') {
        throw new ArgumentError(`${fn}: ${k} must be a function, got ${describe(o[k])}`);
      }
    }
    this.collate = o.collate;
    this.transform = o.transform;
  }

  /**
   * Batches per epoch (PyTorch's `len(loader)`).
   * @example new DataLoader(ds10, { batchSize: 4 }).length // 3 (2 with dropLast)
   */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The epoch the next iteration will run (0 for the first). */
  get epoch(): number {
    return this.nextEpoch;
  }

  /**
   * Sets the epoch the next iteration runs, e.g. to resume a run: its order is the one that
   * epoch had (like DistributedSampler.set_epoch).
   * @example loader.setEpoch(5); for await (const b of loader) { ... } // the 6th epoch's order
   */
  setEpoch(epoch: number): void {
    this.nextEpoch = checkInt('DataLoader.setEpoch', 'epoch', epoch, 0, undefined, 2 ** 20);
  }

  /**
   * The sample indices of `epoch`, in visiting order.
   * @example loader.indices(0) // Int32Array of 0..n-1, permuted when shuffling
   */
  indices(epoch: number): Int32Array {
    checkInt('DataLoader.indices', 'epoch', epoch, 0, undefined, 2 ** 20);
    const n = this.dataset.length;
    return this.shuffle ? permutation(n, this.seed, epoch) : Int32Array.from({ length: n }, (_, i) => i);
  }

  /**
   * One epoch: yields `length` batches, the consumer's to dispose (see the class comment).
   * @example for await (const [x, y] of loader) { ...; dispose([x, y]); }
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<B> {
    const order = this.indices(this.nextEpoch);
    this.nextEpoch++;
    const count = this.length;
    const pending: Promise<B>[] = [];
    let produced = 0;
    let closed = false;
    // Production is a chain: batch k+1 starts once batch k is made, on a later task.
    let chain: Promise<unknown> = Promise.resolve();

    const schedule = (deferred: boolean): void => {
      const k = produced++;
      const idx = order.subarray(k * this.batchSize, Math.min((k + 1) * this.batchSize, order.length));
      // Once the iteration is closed, batches not yet started are skipped (undefined).
      const p = chain.then(() => (deferred ? nextTask() : undefined))
        .then(() => (closed ? (undefined as B) : this.load(idx)));
      p.catch(() => {}); // surfaced by next(); never an unhandled rejection meanwhile
      chain = p.catch(() => {});
      pending.push(p);
    };
    const close = async (): Promise<void> => {
      closed = true;
      const left = pending.splice(0);
      for (const r of await Promise.allSettled(left)) if (r.status === 'fulfilled') dispose(r.value as TensorContainer);
    };

    const iterator: AsyncIterableIterator<B> = {
      next: async (): Promise<IteratorResult<B>> => {
        if (closed) return { done: true, value: undefined };
        if (pending.length === 0) {
          if (produced >= count) {
            closed = true;
            return { done: true, value: undefined };
          }
          schedule(false);
        }
        const p = pending.shift()!;
        while (pending.length < this.prefetch && produced < count) schedule(true);
        let batch: B;
        try {
          batch = await p;
        } catch (err) {
          await close();
          throw err;
        }
        if (closed) { // return() ran while this batch was being made
          dispose(batch as TensorContainer);
          return { done: true, value: undefined };
        }
        return { done: false, value: batch };
      },
      return: async (): Promise<IteratorResult<B>> => {
        await close();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /** Makes the batch of samples `idx`: kept (the consumer's), everything else freed. */
  private async load(idx: Int32Array): Promise<B> {
    const ds = this.dataset;
    let batch: B;
    if (!this.collate && typeof ds.getItems === 'function') {
      batch = tidy(() => this.finish(ds.getItems!(Int32Array.from(idx)) as B)) as B;
    } else {
      const samples = await getSamples(ds, idx);
      try {
        batch = tidy(() => this.finish((this.collate ?? defaultCollate)(samples) as B)) as B;
      } finally {
        // Sample tensors are the loader's (Dataset.get's contract): free all but what the batch reuses.
        const inBatch = new Set<Tensor>();
        forEachTensor(batch!, (t) => inBatch.add(t));
        forEachTensor(samples, (t) => { if (!inBatch.has(t)) t.dispose(); });
      }
    }
    forEachTensor(batch, keep);
    return batch;
  }

  private finish(batch: B): TensorContainer {
    return (this.transform ? this.transform(batch) : batch) as TensorContainer;
  }
}

/** The samples `idx` of `ds`; if one of them fails, the tensors of the others are freed. */
async function getSamples<T>(ds: Dataset<T>, idx: Int32Array): Promise<T[]> {
  const got: (T | Promise<T>)[] = [];
  try {
    for (const i of idx) got.push(ds.get(i));
  } catch (err) {
    for (const r of await Promise.allSettled(got)) if (r.status === 'fulfilled') forEachTensor(r.value, (t) => t.dispose());
    throw err;
  }
  if (!got.some((s) => s instanceof Promise)) return got as T[];
  const settled = await Promise.allSettled(got);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) {
    for (const r of settled) if (r.status === 'fulfilled') forEachTensor(r.value, (t) => t.dispose());
    throw failed.reason;
  }
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** Calls `fn` on every tensor in a value made of tensors, arrays and plain objects. */
function forEachTensor(x: unknown, fn: (t: Tensor) => void): void {
  if (x instanceof Tensor) fn(x);
  else if (Array.isArray(x)) for (const v of x) forEachTensor(v, fn);
  else if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    for (const v of Object.values(x)) forEachTensor(v, fn);
  }
}

/** Resolves on a later task (a macrotask), letting the consumer's pending work run first. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
