// MatMul: batched matrix products with numpy-broadcast batch dims.
import { shapeUtil } from '@tensile/core';
import type { KernelImpl, TypedArray } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import { broadcastPlan, forEachRow } from './broadcast.js';
import { gemm } from './gemm.js';
import type { Computed } from './types.js';

/** int32 product of one matrix pair, wrapping like int32 (Math.imul, then |0 on each add). */
function intMatMul(
  a: Int32Array, aOff: number, ars: number, acs: number, b: Int32Array, bOff: number, brs: number, bcs: number,
  out: Int32Array, oOff: number, m: number, n: number, k: number,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s = (s + Math.imul(a[aOff + i * ars + p * acs], b[bOff + p * brs + j * bcs])) | 0;
      out[oOff + i * n + j] = s;
    }
  }
}

/**
 * a [..., M, K] (or [..., K, M] when transposeA) times b [..., K, N] (or [..., N, K]);
 * float32 goes through the blocked gemm, int32 through a wrapping loop.
 */
export function matMulImpl(
  a: TypedArray, aShape: readonly number[], b: TypedArray, bShape: readonly number[],
  transposeA: boolean, transposeB: boolean,
): Computed {
  const ra = aShape.length, rb = bShape.length;
  const m = transposeA ? aShape[ra - 1] : aShape[ra - 2];
  const k = transposeA ? aShape[ra - 2] : aShape[ra - 1];
  const n = transposeB ? bShape[rb - 2] : bShape[rb - 1];
  const batchA = aShape.slice(0, -2), batchB = bShape.slice(0, -2);
  const batch = shapeUtil.broadcastShapes('matMul', batchA, batchB);
  const shape = [...batch, m, n];
  const isInt = a instanceof Int32Array;
  const out = isInt ? new Int32Array(shapeUtil.sizeOf(shape)) : new Float32Array(shapeUtil.sizeOf(shape));
  if (out.length === 0) return { values: out, shape };

  // Row and column strides of one stored matrix, reading it as its logical (transposed) self.
  const ars = transposeA ? 1 : k, acs = transposeA ? m : 1;
  const brs = transposeB ? 1 : n, bcs = transposeB ? k : 1;
  const multiply = (aOff: number, bOff: number, oOff: number, rows: number): void => {
    if (out instanceof Int32Array) {
      intMatMul(a as Int32Array, aOff, ars, acs, b as Int32Array, bOff, brs, bcs, out, oOff, rows, n, k);
    } else {
      const A = { data: a as Float32Array, offset: aOff, rowStride: ars, colStride: acs };
      const B = { data: b as Float32Array, offset: bOff, rowStride: brs, colStride: bcs };
      gemm(rows, n, k, A, B, out, oOff, n, false);
    }
  };

  // One shared right-hand matrix and untransposed a: the batch is just more rows of a.
  if (shapeUtil.sizeOf(batchB) === 1 && !transposeA) {
    multiply(0, 0, 0, shapeUtil.sizeOf(batchA) * m);
    return { values: out, shape };
  }
  const plan = broadcastPlan(batch, [batchA, batchB]);
  const inner = plan.shape[plan.shape.length - 1];
  const [sa, sb] = plan.strides.map((s) => s[s.length - 1]);
  forEachRow(plan, (o, [ia, ib]) => {
    for (let t = 0; t < inner; t++) multiply((ia + t * sa) * m * k, (ib + t * sb) * k * n, (o + t) * m * n, m);
  });
  return { values: out, shape };
}

/** The MatMul kernel: `matMulImpl` on the backend's buffers. */
export const matMul: KernelImpl<'MatMul', JsBackend> = ({ a, b }, { transposeA, transposeB }, backend) => {
  const { values, shape } = matMulImpl(backend.values(a), a.shape, backend.values(b), b.shape, transposeA, transposeB);
  return backend.output(values, shape, a.dtype);
};
