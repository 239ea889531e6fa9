// The benchmark workloads, described once as data; each library builds them in its own layout.

export type Spec =
  | { kind: 'matmul'; n: number }
  | { kind: 'conv2d'; batch: number; cin: number; size: number; cout: number; k: number; pad: 'same' | number }
  | { kind: 'add'; size: number }
  | { kind: 'softmax'; rows: number; cols: number }
  | { kind: 'lenet'; batch: number }
  | { kind: 'mlp'; batch: number; sizes: number[] };

export interface Workload {
  label: string;
  spec: Spec;
  /** Required speedup over tfjs (tfjs ms / tensile ms), when the workload has one. */
  target?: number;
}

/** A built workload: `run` does the work and reads the result back; `dispose` frees its tensors. */
export interface Case {
  run(): Promise<void>;
  dispose(): void;
}

/** Learning rate of the SGD step in the training workloads. */
export const BENCH_LR = 0.01;

export const WORKLOADS: Workload[] = [
  { label: 'matmul 256x256', spec: { kind: 'matmul', n: 256 }, target: 5 },
  { label: 'matmul 512x512', spec: { kind: 'matmul', n: 512 }, target: 5 },
  { label: 'matmul 1024x1024', spec: { kind: 'matmul', n: 1024 }, target: 5 },
  { label: 'conv2d 1x64x56x56 -> 64 3x3 same', spec: { kind: 'conv2d', batch: 1, cin: 64, size: 56, cout: 64, k: 3, pad: 'same' }, target: 5 },
  { label: 'conv2d 64x1x28x28 -> 6 5x5 pad 2', spec: { kind: 'conv2d', batch: 64, cin: 1, size: 28, cout: 6, k: 5, pad: 2 }, target: 5 },
  { label: 'add 1M', spec: { kind: 'add', size: 1_000_000 } },
  { label: 'softmax 1000x1000', spec: { kind: 'softmax', rows: 1000, cols: 1000 }, target: 20 },
  { label: 'LeNet-5 train step b64', spec: { kind: 'lenet', batch: 64 }, target: 30 },
  { label: 'MLP 784-256-256-10 train step b128', spec: { kind: 'mlp', batch: 128, sizes: [784, 256, 256, 10] } },
];

/** Integer class labels 0..classes-1 for a batch, the same for both libraries. */
export function labelsFor(batch: number, classes: number): Int32Array {
  return Int32Array.from({ length: batch }, (_, i) => (i * 7 + 3) % classes);
}
