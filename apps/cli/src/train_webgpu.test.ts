// `tensile train --backend webgpu`: the main job's model (LeNet-5 with BatchNorm on Fashion-MNIST)
// trains on the WebGPU backend (Dawn; SwiftShader where there is no GPU, which is slow, hence a
// small subset and one epoch) the way it trains on backend-js, the reference: the same losses
// and test accuracy up to float32 summation order, and nothing leaked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory, setBackend } from '@tensile/core';
import { afterAll, describe, expect, it } from 'vitest';
import { train } from './train.js';

const tmp = mkdtempSync(join(tmpdir(), 'tensile-train-webgpu-'));
afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await setBackend('js');
});

describe('train --backend webgpu', () => {
  it('trains LeNet-5 on a Fashion-MNIST subset as backend-js does', async () => {
    const before = memory().tensors;
    const lines: string[] = [];
    // 384 images / batch 64 = 6 steps, the loss read after steps 3 and 6.
    const opts = { epochs: 1, trainSize: 384, testSize: 200, logEvery: 3, progress: false } as const;
    const ref = await train({ ...opts, backend: 'js', log: () => {}, out: join(tmp, 'lenet5-js.safetensors') });
    const r = await train({ ...opts, backend: 'webgpu', log: (l) => lines.push(l), out: join(tmp, 'lenet5.safetensors') });
    expect(lines[0]).toBe('backend: webgpu');
    expect(r.losses).toHaveLength(2);
    expect(r.losses[1]!).toBeLessThan(r.losses[0]! * 0.95);
    // Same seed, same data order, same Philox streams: only float32 summation order differs.
    r.losses.forEach((l, i) => expect(Math.abs(l - ref.losses[i]!)).toBeLessThan(1e-3 * ref.losses[i]!));
    expect(Math.abs(r.testAccuracy - ref.testAccuracy)).toBeLessThanOrEqual(0.02);
    expect(memory().tensors).toBe(before);
    expect(memory().perBackend.webgpu?.buffers).toBe(0);
  }, 300_000);
});
