// Batched MatMul (and FusedMatMul's bias + activation epilogue): 64x64 output tiles per
// workgroup of 16x16 invocations, each holding a 4x4 register block; A and B tiles of depth 16
// are staged in workgroup memory. Every transpose combination is a load pattern (part of the
// key), so no operand is ever transposed in memory. Batch dims broadcast through strides.
import type { DType, FusedActivation, KernelImpl, FusedKernelImpl, TensorInfo } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { broadcastStrides, elemOf, storeInt, u32s } from '../program.js';
import type { Uniform } from '../uniforms.js';
import { decodeCode, pitches, sizeOf } from './layout.js';

const TILE = 64;
const DEPTH = 16;

function batchShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Queues C = act(op(A) op(B) + bias) for float32 or integer operands. */
export function runMatMul(
  backend: WebGpuBackend, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean,
  bias: TensorInfo | undefined, activation: FusedActivation,
): TensorInfo {
  const M = transposeA ? a.shape[a.shape.length - 1]! : a.shape[a.shape.length - 2]!;
  const K = transposeA ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]!;
  const N = transposeB ? b.shape[b.shape.length - 2]! : b.shape[b.shape.length - 1]!;
  const batch = batchShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const dtype: DType = a.dtype;
  const out = backend.output([...batch, M, N], dtype);
  const batches = sizeOf(batch);
  if (batches * M * N === 0) return out;
  // Batch dims of size 1 in the output carry nothing; drop them from the decode.
  const live = batch.map((d, i) => [d, i] as const).filter(([d]) => d > 1);
  const aStr = broadcastStrides(a.shape.slice(0, -2), batch).map((s) => s * M * K);
  const bStr = broadcastStrides(b.shape.slice(0, -2), batch).map((s) => s * K * N);
  const uniforms: Uniform[] = [
    ['M', 'u32', M], ['N', 'u32', N], ['K', 'u32', K],
    ...u32s('bp', pitches(live.map(([d]) => d))),
    ...u32s('bs', live.map(([, i]) => aStr[i]!)),
    ...u32s('cp', pitches(live.map(([d]) => d))),
    ...u32s('cs', live.map(([, i]) => bStr[i]!)),
  ];
  const T = elemOf(dtype);
  const zero = T === 'f32' ? '0.0' : '0i';
  const aAt = transposeA ? 'k * u.M + m' : 'm * u.K + k';
  const bAt = transposeB ? 'n * u.K + k' : 'k * u.N + n';
  // Loads walk the operand's contiguous axis with consecutive invocations.
  const aLoad = transposeA ? ['e / 64u', 'e % 64u'] : ['e % 16u', 'e / 16u']; // [kk, mm]
  const bLoad = transposeB ? ['e % 16u', 'e / 16u'] : ['e / 64u', 'e % 64u']; // [kk, nn]
  let epilogue = 'v';
  if (bias) epilogue = 'v + bias[n]';
  if (activation === 'relu') epilogue = T === 'f32' ? `select(${epilogue}, 0.0, (${epilogue}) < 0.0)` : `max(${epilogue}, 0i)`;
  const store = T === 'f32' ? epilogue : storeInt(dtype, epilogue);
  const bindings = [
    { name: 'a', type: T, buffer: backend.data(a).buffer },
    { name: 'b', type: T, buffer: backend.data(b).buffer },
    ...(bias ? [{ name: 'bias', type: T, buffer: backend.data(bias).buffer }] : []),
    { name: 'c', type: T, buffer: backend.data(out).buffer, write: true },
  ];
  const groups = [Math.ceil(N / TILE), Math.ceil(M / TILE), batches] as [number, number, number];
  backend.run({
    key: `MatMul|${dtype}|${transposeA ? 'T' : 'N'}${transposeB ? 'T' : 'N'}|b${live.length}|${bias ? 'bias' : ''}|${activation}`,
    bindings,
    uniforms,
    workgroupSize: [16, 16, 1],
    dispatch: groups,
    wgsl: () => ({
      decls: `
var<workgroup> As: array<array<${T}, ${TILE}>, ${DEPTH}>;
var<workgroup> Bs: array<array<${T}, ${TILE}>, ${DEPTH}>;`,
      main: `
var aOff = 0u;
var bOff = 0u;
${decodeCode(live.length, 'b', 'wid.z', 'aOff')}
${decodeCode(live.length, 'c', 'wid.z', 'bOff')}
let cOff = wid.z * u.M * u.N;
let row0 = wid.y * ${TILE}u;
let col0 = wid.x * ${TILE}u;
var acc: array<vec4<${T}>, 4>;
for (var i = 0u; i < 4u; i = i + 1u) { acc[i] = vec4<${T}>(${zero}); }
for (var k0 = 0u; k0 < u.K; k0 = k0 + ${DEPTH}u) {
  for (var l = 0u; l < 4u; l = l + 1u) {
    let e = lidx + l * 256u;
    let kk = ${aLoad[0]};
    let mm = ${aLoad[1]};
    let m = row0 + mm;
    let k = k0 + kk;
    var v = ${zero};
    if (m < u.M && k < u.K) { v = a[aOff + ${aAt}]; }
    As[kk][mm] = v;
  }
  for (var l = 0u; l < 4u; l = l + 1u) {
    let e = lidx + l * 256u;
    let kk = ${bLoad[0]};
    let nn = ${bLoad[1]};
    let n = col0 + nn;
    let k = k0 + kk;
    var v = ${zero};
    if (n < u.N && k < u.K) { v = b[bOff + ${bAt}]; }
    Bs[kk][nn] = v;
  }
  workgroupBarrier();
  for (var kk = 0u; kk < ${DEPTH}u; kk = kk + 1u) {
    let br = vec4<${T}>(Bs[kk][lid.x * 4u], Bs[kk][lid.x * 4u + 1u], Bs[kk][lid.x * 4u + 2u], Bs[kk][lid.x * 4u + 3u]);
    for (var i = 0u; i < 4u; i = i + 1u) {
      acc[i] = acc[i] + vec4<${T}>(As[kk][lid.y * 4u + i]) * br;
    }
  }
  workgroupBarrier();
}
for (var i = 0u; i < 4u; i = i + 1u) {
  let m = row0 + lid.y * 4u + i;
  if (m >= u.M) { continue; }
  for (var j = 0u; j < 4u; j = j + 1u) {
    let n = col0 + lid.x * 4u + j;
    if (n >= u.N) { continue; }
    let v = acc[i][j];
    c[cOff + m * u.N + n] = ${store};
  }
}`,
    }),
  });
  return out;
}

export const matMul: KernelImpl<'MatMul', WebGpuBackend> = ({ a, b }, { transposeA, transposeB }, backend) =>
  runMatMul(backend, a, b, transposeA, transposeB, undefined, 'linear');

export const fusedMatMul: FusedKernelImpl<'FusedMatMul', WebGpuBackend> = ({ a, b, bias }, { transposeA, transposeB, activation }, backend) =>
  runMatMul(backend, a, b, transposeA, transposeB, bias, activation);
