// FusedMatMul: the blocked MatMul, then bias and ReLU applied in place on its output
// (one allocation and one extra pass instead of two more kernels and two more buffers).
import type { FusedKernelImpl } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import { matMulImpl } from './matmul.js';

/** act(a @ b + bias) for float32 inputs; bias has one value per output column. */
export function fusedMatMulImpl(
  a: Float32Array, aShape: readonly number[], b: Float32Array, bShape: readonly number[],
  transposeA: boolean, transposeB: boolean, bias: Float32Array | undefined, relu: boolean,
): { values: Float32Array; shape: number[] } {
  const { values, shape } = matMulImpl(a, aShape, b, bShape, transposeA, transposeB);
  const out = values as Float32Array;
  const n = shape[shape.length - 1]!;
  for (let row = 0; row < out.length; row += n) {
    for (let j = 0; j < n; j++) {
      let v = out[row + j]!;
      if (bias) v += bias[j]!;
      out[row + j] = relu ? (v > 0 ? v : 0) : v;
    }
  }
  return { values: out, shape };
}

/** The FusedMatMul kernel. */
export const fusedMatMul: FusedKernelImpl<'FusedMatMul', JsBackend> = ({ a, b, bias }, { transposeA, transposeB, activation }, backend) => {
  const r = fusedMatMulImpl(
    backend.values(a) as Float32Array, a.shape, backend.values(b) as Float32Array, b.shape, transposeA, transposeB,
    bias && (backend.values(bias) as Float32Array), activation === 'relu',
  );
  return backend.output(r.values, r.shape, 'float32');
};
