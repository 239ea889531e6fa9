// `tensile train --backend webgpu`: the main job's model (LeNet-5 with BatchNorm on Fashion-MNIST)
// trains on the WebGPU backend (Dawn; SwiftShader where there is no GPU, which is slow, hence a
// small subset and one epoch), reading the loss asynchronously and leaking nothing.
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
  it('trains LeNet-5 on a Fashion-MNIST subset far above chance on WebGPU', async () => {
    const before = memory().tensors;
    const lines: string[] = [];
    // 640 images / batch 64 = 10 steps; chance is 10%, and 500 test images make 40% impossible without learning.
    const r = await train({
      backend: 'webgpu', epochs: 1, trainSize: 640, testSize: 500, logEvery: 5, progress: false,
      log: (l) => lines.push(l), out: join(tmp, 'lenet5.safetensors'),
    });
    expect(lines[0]).toBe('backend: webgpu');
    expect(r.losses).toHaveLength(2);
    expect(r.losses[1]!).toBeLessThan(r.losses[0]!);
    expect(r.testAccuracy).toBeGreaterThan(0.4);
    expect(memory().tensors).toBe(before);
    expect(memory().perBackend.webgpu?.buffers).toBe(0);
  }, 300_000);
});
