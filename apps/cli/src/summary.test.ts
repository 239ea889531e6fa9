// `tensile summary <model>` as a user runs it (the built command): the totals worked by hand
// for LeNet-5, torchvision's parameter count for resnet18, options, and one-line user errors.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function tensile(...argv: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, 'summary', ...argv], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tensile summary', () => {
  it('lenet5: the table and its totals (worked by hand: 61,706 parameters, 416,520 MACs)', () => {
    const r = tensile('lenet5', '--backend', 'js');
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('lenet5, input [1, 1, 28, 28], on js');
    // conv1: 6·25 + 6 parameters, 6·28·28·25 MACs, 6·28·28·4 bytes, field 5, jump 1.
    expect(lines).toContainEqual(expect.stringMatching(/^│ {4}└─Conv2d \(0\)\s+\[1, 6, 28, 28\]\s+156\s+True\s+18,816\s+117,600\s+5\s+1$/));
    for (const want of [
      'Total params: 61,706', 'Trainable params: 61,706', 'Non-trainable params: 0',
      // 117,600 + 240,000 + 400·120 + 120·84 + 84·10
      'Total MACs: 416,520',
      // 61,706 float32 parameters
      'Params size (MB): 0.25 (246,824 bytes)',
    ]) expect(lines).toContain(want);
  });

  it('resnet18: torchvision\'s 11,689,512 parameters at 3x224x224', () => {
    const r = tensile('resnet18');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^resnet18, input \[1, 3, 224, 224\], on \w+\n/);
    expect(r.stdout.split('\n')).toContain('Total params: 11,689,512');
  }, 60_000);

  it('resnet18 --classes 10 --input 2,1,64,64: the head and the first convolution shrink', () => {
    // fc 512·1000 + 1000 -> 512·10 + 10; conv1 64·3·49 -> 64·1·49.
    const r = tensile('resnet18', '--classes', '10', '--input', '2,1,64,64');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n')).toContain(`Total params: ${(11_689_512 - 513_000 + 5_130 - 64 * 3 * 49 + 64 * 49).toLocaleString('en-US')}`);
    expect(r.stdout).toMatch(/^ResNet\s+\[2, 10\]/m);
  }, 60_000);

  it.each([
    [['nosuch'], 2, "tensile: unknown model 'nosuch' (models: lenet5, lenet5-modern, mlp, alexnet, vgg11, vgg11-bn, vgg16, vgg16-bn, googlenet, resnet18, resnet34, resnet50)"],
    [[], 2, "tensile: summary needs a model name first, e.g. 'tensile summary resnet18'; see 'tensile summary --help'"],
    [['lenet5', '--input', '1,x,28'], 2, "tensile: option --input must be positive integers separated by commas, batch first (e.g. 1,3,224,224), got '1,x,28'"],
    [['lenet5', '--input', '4'], 2, "tensile: option --input needs a batch and a channel axis at least (e.g. 1,1,28,28), got '4'"],
    [['lenet5', '--classes', '0'], 2, "tensile: option --classes must be an integer >= 1, got '0'"],
    [['lenet5', '--input', '1,1,20,20', '--backend', 'js'], 1, 'tensile: summary: LeNet5 cannot run on an input of inputShape [1, 1, 20, 20] (float32): lenet5Classic: x must be [N,1,28,28]'],
  ])('%j: one line on stderr, exit %i', (argv, code, message) => {
    const r = tensile(...argv);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});
