// The same workloads on @jax-js/jax (NCHW activations, OIHW filters, as Tensile), eager and
// jit-compiled. jax-js counts references: every function consumes its array arguments, `.ref`
// adds one, `data()` consumes the array it reads. The cases pass `.ref` of what they keep and
// hand every result to `data()` or to the next step, so nothing waits for a garbage collector.
import {
  blockUntilReady, defaultDevice, grad, init, jit, lax, nn, numpy as np, random, tree, valueAndGrad, type Device,
} from '@jax-js/jax';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BENCH_LR, labelsFor, type Case, type Spec } from './workloads.js';

/** How jax-js runs a workload: op by op (its lazy eager mode), or traced and fused by `jit`. */
export type JaxMode = 'eager' | 'jit';

/** Thrown for a workload jax-js cannot express; the message is the table's footnote. */
export class JaxUnsupportedError extends Error {
  override name = 'JaxUnsupportedError';
}

/**
 * Arrays the bench holds (inputs, parameters). jax-js exposes no count of live buffers, so the
 * leak check counts these: `dispose` must free each, which fails if a run took a `.ref` too many.
 */
const held = new Set<np.Array>();

function hold(a: np.Array): np.Array {
  held.add(a);
  return a;
}

/** Arrays the jax-js workloads hold that are not yet freed (0 between workloads). */
export function jaxLiveArrays(): number {
  for (const a of held) if (a.refCount === 0) held.delete(a);
  return held.size;
}

/**
 * Starts jax-js's `device` and makes it the default; returns a description. In Node 20 there is
 * no global `Worker`, so its wasm device runs on one thread (it spawns Web Workers only).
 */
export async function initJax(device: Device): Promise<string> {
  const ready = await init(device);
  if (!ready.includes(device)) throw new Error(`jax-js: device '${device}' is not available`);
  defaultDevice(device);
  const workers = (globalThis as { Worker?: unknown }).Worker !== undefined;
  const threads = device === 'wasm' ? (workers ? ', Web Workers' : ', 1 thread') : '';
  return `jax-js ${jaxVersion()} ${device}${threads}`;
}

/** The installed version, read from the package (its exports do not include package.json). */
function jaxVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@jax-js/jax');
  const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Whether `spec` has a jit-compiled variant worth timing (several ops that jit can fuse). */
export function hasJitVariant(spec: Spec): boolean {
  return spec.kind === 'gradMatmul' || spec.kind === 'mlp' || spec.kind === 'lenet';
}

/** Builds `spec` on jax-js's default device; throws JaxUnsupportedError where jax-js cannot express it. */
export function buildJax(spec: Spec, mode: JaxMode = 'eager'): Case {
  switch (spec.kind) {
    case 'matmul': {
      const a = normal([spec.n, spec.n], 1), b = normal([spec.n, spec.n], 2);
      // transpose() is a strided view in jax-js, so the matmul reads the operand transposed.
      return forwardCase([a, b], () => np.matmul(spec.transposeA ? a.ref.transpose() : a.ref, spec.transposeB ? b.ref.transpose() : b.ref));
    }
    case 'conv2d': {
      const x = normal([spec.batch, spec.cin, spec.size, spec.size], 1);
      const w = normal([spec.cout, spec.cin, spec.k, spec.k], 2);
      const s = spec.stride ?? 1;
      return forwardCase([x, w], () => lax.conv(x.ref, w.ref, [s, s], padding(spec.pad)));
    }
    case 'gradMatmul': {
      const a = normal([spec.n, spec.n], 1), b = normal([spec.n, spec.n], 2);
      const g = grad((x: np.Array, y: np.Array) => np.matmul(x, y).sum(), { argnums: [0, 1] });
      const f = mode === 'jit' ? jit(g) : undefined;
      return {
        async run() {
          const [da, db] = f ? f(a.ref, b.ref) : g(a.ref, b.ref);
          await Promise.all([da.data(), db.data()]);
        },
        dispose: () => {
          f?.dispose();
          a.dispose();
          b.dispose();
        },
      };
    }
    case 'tiny': {
      const a = hold(np.array([1, 2, 3, 4])), b = hold(np.array([5, 6, 7, 8]));
      return forwardCase([a, b], () => a.ref.add(b.ref));
    }
    case 'add': {
      const a = normal([spec.size], 1), b = normal([spec.size], 2);
      return forwardCase([a, b], () => a.ref.add(b.ref));
    }
    case 'softmax': {
      const x = normal([spec.rows, spec.cols], 1);
      return forwardCase([x], () => nn.softmax(x.ref, -1));
    }
    case 'mlp':
      return trainCase(spec.batch, [spec.batch, spec.sizes[0]!], denseParams(spec.sizes), mlpForward, mode);
    case 'lenet':
      return trainCase(spec.batch, [spec.batch, 1, 28, 28], lenetParams(), lenetForward, mode);
    case 'lenetFit':
      throw new JaxUnsupportedError('jax-js has no layers, fit() loop or data loader (it is a NumPy/JAX-level library)');
    case 'lstm':
      throw new JaxUnsupportedError('jax-js has no LSTM layer');
  }
}

/** Standard-normal values of `shape` (times `std`), drawn on the default device and held. */
function normal(shape: number[], seed: number, std = 1): np.Array {
  const z = random.normal(random.key(seed), shape);
  return hold(std === 1 ? z : z.mul(std));
}

function padding(pad: 'same' | number): lax.PaddingType {
  return pad === 'same' ? 'SAME' : [[pad, pad], [pad, pad]];
}

function forwardCase(inputs: np.Array[], f: () => np.Array): Case {
  return {
    async run() {
      await f().data();
    },
    dispose: () => inputs.forEach((a) => a.dispose()),
  };
}

type Forward = (x: np.Array, params: np.Array[]) => np.Array;

/**
 * One step: forward, loss, backward (valueAndGrad) and the SGD update, then reads the loss and
 * waits for every updated parameter (jax-js is lazy: an update nobody reads would stay pending).
 */
function trainCase(batch: number, xShape: number[], init: np.Array[], net: Forward, mode: JaxMode): Case {
  const x = normal(xShape, 3);
  const y = hold(nn.oneHot(np.array(labelsFor(batch, 10), { dtype: np.int32 }), 10));
  // Cross-entropy from logits against one-hot labels, as the tfjs case computes it.
  const loss = (ps: np.Array[], xs: np.Array, ys: np.Array): np.Array =>
    nn.logSoftmax(net(xs, ps), -1).mul(ys).sum(-1).mean().neg();
  const lossAndGrad = valueAndGrad(loss);
  const step = (ps: np.Array[], xs: np.Array, ys: np.Array): [np.Array, np.Array[]] => {
    const [value, grads] = lossAndGrad(tree.ref(ps), xs, ys);
    return [value, ps.map((p, i) => p.sub(grads[i]!.mul(BENCH_LR)))];
  };
  const compiled = mode === 'jit' ? jit(step) : undefined;
  let params = init;
  return {
    async run() {
      const [value, next] = compiled ? compiled(params, x.ref, y.ref) : step(params, x.ref, y.ref);
      params = next.map(hold);
      await blockUntilReady(params);
      await value.data();
    },
    dispose: () => {
      compiled?.dispose();
      tree.dispose(params);
      x.dispose();
      y.dispose();
    },
  };
}

/** He-normal weight of `shape` with `fanIn` inputs per output. */
function weight(shape: number[], fanIn: number, seed: number): np.Array {
  return normal(shape, seed, Math.sqrt(2 / fanIn));
}

function denseParams(sizes: number[], seed = 20): np.Array[] {
  return sizes.slice(1).flatMap((out, i) => [weight([sizes[i]!, out], sizes[i]!, seed + i), hold(np.zeros([out]))]);
}

function lenetParams(): np.Array[] {
  return [
    weight([6, 1, 5, 5], 25, 10), hold(np.zeros([6])), weight([16, 6, 5, 5], 150, 11), hold(np.zeros([16])),
    ...denseParams([400, 120, 84, 10], 12),
  ];
}

function mlpForward(x: np.Array, ps: np.Array[]): np.Array {
  let h = x;
  for (let i = 0; i < ps.length; i += 2) {
    h = np.matmul(h, ps[i]!).add(ps[i + 1]!);
    if (i + 2 < ps.length) h = nn.relu(h);
  }
  return h;
}

/** 2x2 max pooling, stride 2 (even sizes): jax-js has no pooling op, so a reshape and a max. */
function maxPool2(h: np.Array): np.Array {
  const [n, c, height, width] = h.shape as [number, number, number, number];
  return h.reshape([n, c, height / 2, 2, width / 2, 2]).max([3, 5]);
}

function lenetForward(x: np.Array, ps: np.Array[]): np.Array {
  const [c1, b1, c2, b2, ...dense] = ps as [np.Array, np.Array, np.Array, np.Array, ...np.Array[]];
  const block = (h: np.Array, w: np.Array, b: np.Array, pad: lax.PaddingType) =>
    maxPool2(nn.relu(lax.conv(h, w, [1, 1], pad).add(b.reshape([1, -1, 1, 1]))));
  const h2 = block(block(x, c1, b1, [[2, 2], [2, 2]]), c2, b2, 'VALID');
  return mlpForward(h2.reshape([h2.shape[0]!, -1]), dense);
}
