// MatMul and FusedMatMul: batch bookkeeping here, one packed SIMD GEMM per matrix pair in Rust.
import { shapeUtil } from '@tensile/core';
import type { FusedKernelImpl, KernelImpl, TensorInfo } from '@tensile/core';
import type { WasmBackend } from '../backend.js';
import { DTYPE_CODE } from '../codes.js';
import { broadcastPlan, forEachRow } from '../plan.js';

/** Geometry of a batched product: output shape, m/n/k, rows per GEMM and (a, b, out) offsets. */
interface Batched {
  shape: number[];
  rows: number;
  n: number;
  k: number;
  offsets: number[];
}

/** Plans a (broadcast-)batched product of a and b. */
function planMatMul(a: TensorInfo, b: TensorInfo, ta: boolean, tb: boolean): Batched {
  const ra = a.shape.length, rb = b.shape.length;
  const m = ta ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = ta ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const n = tb ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const batchA = a.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  const batch = shapeUtil.broadcastShapes('matMul', batchA, batchB);
  const shape = [...batch, m, n];
  // One shared right-hand matrix and untransposed a: the batch is just more rows of a.
  if (shapeUtil.sizeOf(batchB) === 1 && !ta) return { shape, rows: shapeUtil.sizeOf(batchA) * m, n, k, offsets: [0, 0, 0] };
  const offsets: number[] = [];
  const plan = broadcastPlan(batch, [batchA, batchB]);
  const inner = plan.shape[plan.shape.length - 1]!;
  const [sa, sb] = plan.strides.map((s) => s[s.length - 1]!) as [number, number];
  forEachRow(plan, (o, [ia, ib]) => {
    for (let t = 0; t < inner; t++) offsets.push((ia! + t * sa) * m * k, (ib! + t * sb) * k * n, (o + t) * m * n);
  });
  return { shape, rows: m, n, k, offsets };
}

/** The MatMul kernel (float32 through the SIMD GEMM, int32 with wrapping arithmetic). */
export const matMul: KernelImpl<'MatMul', WasmBackend> = ({ a, b }, { transposeA, transposeB }, backend) => {
  const p = planMatMul(a, b, transposeA, transposeB);
  const [out, o] = backend.output(p.shape, a.dtype);
  if (shapeUtil.sizeOf(p.shape) === 0) return out;
  const at = backend.params(p.offsets);
  backend.wasm.tk_matmul(
    DTYPE_CODE[a.dtype], backend.ptr(a), backend.ptr(b), o, p.rows, p.n, p.k, Number(transposeA), Number(transposeB),
    at, p.offsets.length / 3,
  );
  return out;
};

/** The FusedMatMul kernel: the GEMM, then bias and ReLU in one SIMD pass over the output. */
export const fusedMatMul: FusedKernelImpl<'FusedMatMul', WasmBackend> = ({ a, b, bias }, { transposeA, transposeB, activation }, backend) => {
  const p = planMatMul(a, b, transposeA, transposeB);
  const [out, o] = backend.output(p.shape, 'float32');
  const size = shapeUtil.sizeOf(p.shape);
  if (size === 0) return out;
  const at = backend.params(p.offsets);
  backend.wasm.tk_fused_matmul(
    backend.ptr(a), backend.ptr(b), bias ? backend.ptr(bias) : 0, o, p.rows, p.n, p.k, Number(transposeA),
    Number(transposeB), at, p.offsets.length / 3, size / p.n, activation === 'relu' ? 1 : 0,
  );
  return out;
};
