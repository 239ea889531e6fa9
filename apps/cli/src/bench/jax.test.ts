// The jax-js bench cases, shrunk: each runs repeatedly under jax-js's ownership rules (a missing
// `.ref` frees an array the next run uses and throws; an extra one keeps it alive) and frees all.
import { beforeAll, describe, expect, it } from 'vitest';
import { JaxUnsupportedError, buildJax, hasJitVariant, initJax, jaxLiveArrays, type JaxMode } from './jax.js';
import type { Spec } from './workloads.js';

const SMALL: Spec[] = [
  { kind: 'matmul', n: 9 },
  { kind: 'matmul', n: 9, transposeA: true },
  { kind: 'matmul', n: 9, transposeB: true },
  { kind: 'conv2d', batch: 2, cin: 3, size: 9, cout: 4, k: 3, pad: 'same' },
  { kind: 'conv2d', batch: 1, cin: 3, size: 12, cout: 4, k: 7, pad: 3, stride: 2 },
  { kind: 'gradMatmul', n: 9 },
  { kind: 'tiny' },
  { kind: 'add', size: 33 },
  { kind: 'softmax', rows: 5, cols: 7 },
  { kind: 'mlp', batch: 4, sizes: [12, 8, 10] },
  { kind: 'lenet', batch: 2 },
];

const CASES = SMALL.flatMap((spec) => (hasJitVariant(spec) ? ['eager', 'jit'] : ['eager']).map((mode) => ({ spec, mode: mode as JaxMode })));

describe('jax-js bench cases', () => {
  beforeAll(async () => {
    expect(await initJax('wasm')).toMatch(/^jax-js \d+\.\d+\.\d+ wasm/);
  });

  it.each(CASES)('$spec.kind $mode runs three times and frees every array it holds', async ({ spec, mode }) => {
    expect(jaxLiveArrays()).toBe(0);
    const c = buildJax(spec, mode);
    for (let i = 0; i < 3; i++) await c.run();
    expect(jaxLiveArrays()).toBeGreaterThan(0);
    c.dispose();
    expect(jaxLiveArrays()).toBe(0);
  });

  it.each([
    { kind: 'lenetFit', images: 64, batch: 64 },
    { kind: 'lstm', batch: 2, seq: 3, features: 4, hidden: 5 },
  ] as Spec[])('says why it cannot run $kind', (spec) => {
    expect(() => buildJax(spec)).toThrow(JaxUnsupportedError);
  });
});
