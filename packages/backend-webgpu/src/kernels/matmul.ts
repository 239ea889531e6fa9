// Batched MatMul (and FusedMatMul's bias + activation epilogue): 64x64 output tiles per
// workgroup of 16x16 invocations, each holding a 4x4 register block; A and B tiles of depth 16
// are staged in workgroup memory. Every transpose combination is a load pattern (part of the
// key), so no operand is ever transposed in memory. Batch dims broadcast through strides.
import type { DType, FusedActivation, KernelImpl, FusedKernelImpl, TensorInfo } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { broadcastStrides, elemOf, storeInt, u32s, type Binding } from '../program.js';
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
  const bindings: Binding[] = [
    { name: 'a', type: T, buffer: backend.data(a).buffer },
    { name: 'b', type: T, buffer: backend.data(b).buffer },
    ...(bias ? [{ name: 'bias', type: T, buffer: backend.data(bias).buffer }] : []),
    { name: 'c', type: T, buffer: backend.data(out).buffer, write: true },
  ];
  const key = `MatMul|${dtype}|${transposeA ? 'T' : 'N'}${transposeB ? 'T' : 'N'}|b${live.length}|${bias ? 'bias' : ''}|${activation}`;
  const head = `
var aOff = 0u;
var bOff = 0u;
${decodeCode(live.length, 'b', 'wid.z', 'aOff')}
${decodeCode(live.length, 'c', 'wid.z', 'bOff')}
let cOff = wid.z * u.M * u.N;`;
  const tail = (acc: (i: number) => string): string => [0, 1, 2, 3].map((i) => `
{ let m = row0 + ${i}u;
  if (m < u.M) {
    for (var j = 0u; j < 4u; j = j + 1u) {
      let n = col0 + j;
      if (n < u.N) { let v = ${acc(i)}[j]; c[cOff + m * u.N + n] = ${store}; }
    }
  }
}`).join('');
  if (backend.tiled) {
    const groups = [Math.ceil(N / TILE), Math.ceil(M / TILE), batches] as [number, number, number];
    backend.run({
      key: `${key}|tiled`,
      bindings,
      uniforms,
      workgroupSize: [16, 16, 1],
      dispatch: groups,
      wgsl: () => ({
        decls: `
var<workgroup> As: array<array<${T}, ${TILE}>, ${DEPTH}>;
var<workgroup> Bs: array<array<${T}, ${TILE}>, ${DEPTH}>;`,
        main: `${head}
let row0 = wid.y * ${TILE}u + lid.y * 4u;
let col0 = wid.x * ${TILE}u + lid.x * 4u;
var acc0 = vec4<${T}>(${zero}); var acc1 = acc0; var acc2 = acc0; var acc3 = acc0;
for (var k0 = 0u; k0 < u.K; k0 = k0 + ${DEPTH}u) {
  for (var l = 0u; l < 4u; l = l + 1u) {
    let e = lidx + l * 256u;
    let kk = ${aLoad[0]};
    let mm = ${aLoad[1]};
    let m = wid.y * ${TILE}u + mm;
    let k = k0 + kk;
    var v = ${zero};
    if (m < u.M && k < u.K) { v = a[aOff + ${aAt}]; }
    As[kk][mm] = v;
  }
  for (var l = 0u; l < 4u; l = l + 1u) {
    let e = lidx + l * 256u;
    let kk = ${bLoad[0]};
    let nn = ${bLoad[1]};
    let n = wid.x * ${TILE}u + nn;
    let k = k0 + kk;
    var v = ${zero};
    if (n < u.N && k < u.K) { v = b[bOff + ${bAt}]; }
    Bs[kk][nn] = v;
  }
  workgroupBarrier();
  for (var kk = 0u; kk < ${DEPTH}u; kk = kk + 1u) {
    let br = vec4<${T}>(Bs[kk][lid.x * 4u], Bs[kk][lid.x * 4u + 1u], Bs[kk][lid.x * 4u + 2u], Bs[kk][lid.x * 4u + 3u]);
    acc0 = acc0 + vec4<${T}>(As[kk][lid.y * 4u]) * br;
    acc1 = acc1 + vec4<${T}>(As[kk][lid.y * 4u + 1u]) * br;
    acc2 = acc2 + vec4<${T}>(As[kk][lid.y * 4u + 2u]) * br;
    acc3 = acc3 + vec4<${T}>(As[kk][lid.y * 4u + 3u]) * br;
  }
  workgroupBarrier();
}
${tail((i) => `acc${i}`)}`,
      }),
    });
    return out;
  }
  // Register blocking without workgroup memory (CPU-like adapters such as SwiftShader, where
  // barriers cost more than the loads they save): each invocation owns a 4x4 block and reads
  // its A rows and B columns straight from the buffers, clamped at the edges. Where rows are
  // whole vec4s (float32, K and N multiples of 4), A and B are read four floats per load.
  const WG = 64;
  const tiles = Math.ceil(M / 4) * Math.ceil(N / 4);
  const vec = T === 'f32' && !transposeA && !transposeB && K % 4 === 0 && N % 4 === 0;
  const aIdx = (i: number): string => (transposeA ? `k * u.M + mr${i}` : `mr${i} * u.K + k`);
  const bIdx = (j: number): string => (transposeB ? `nc${j} * u.K + k` : `k * u.N + nc${j}`);
  const scalarLoop = `
for (var k = 0u; k < u.K; k = k + 1u) {
  let br = vec4<${T}>(${[0, 1, 2, 3].map((j) => `b[bOff + ${bIdx(j)}]`).join(', ')});
${[0, 1, 2, 3].map((i) => `  acc${i} = acc${i} + vec4<${T}>(a[aOff + ${aIdx(i)}]) * br;`).join('\n')}
}`;
  const vecLoop = `
let k4 = u.K / 4u;
let n4 = u.N / 4u;
let bBase = bOff / 4u + col0 / 4u;
for (var q = 0u; q < k4; q = q + 1u) {
${[0, 1, 2, 3].map((i) => `  let a${i} = a[aOff / 4u + mr${i} * k4 + q];`).join('\n')}
${[0, 1, 2, 3].map((kk) => `  let b${kk} = b[bBase + (q * 4u + ${kk}u) * n4];`).join('\n')}
${[0, 1, 2, 3].map((i) => `  acc${i} = acc${i} + a${i}.x * b0 + a${i}.y * b1 + a${i}.z * b2 + a${i}.w * b3;`).join('\n')}
}`;
  if (vec) {
    bindings[0]!.type = 'vec4<f32>';
    bindings[1]!.type = 'vec4<f32>';
  }
  backend.run({
    key: `${key}|direct${vec ? '4' : ''}`,
    bindings,
    uniforms: [...uniforms, ['tilesN', 'u32', Math.ceil(N / 4)], ['tiles', 'u32', tiles]],
    workgroupSize: [WG, 1, 1],
    dispatch: [Math.ceil(tiles / WG), 1, batches],
    wgsl: () => ({
      main: `${head}
let t = wid.x * ${WG}u + lid.x;
if (t >= u.tiles) { return; }
let row0 = (t / u.tilesN) * 4u;
let col0 = (t % u.tilesN) * 4u;
${[0, 1, 2, 3].map((i) => `let mr${i} = min(row0 + ${i}u, u.M - 1u);`).join('\n')}
${[0, 1, 2, 3].map((j) => `let nc${j} = min(col0 + ${j}u, u.N - 1u);`).join('\n')}
var acc0 = vec4<${T}>(${zero}); var acc1 = acc0; var acc2 = acc0; var acc3 = acc0;
${vec ? vecLoop : scalarLoop}
${tail((i) => `acc${i}`)}`,
    }),
  });
  return out;
}

export const matMul: KernelImpl<'MatMul', WebGpuBackend> = ({ a, b }, { transposeA, transposeB }, backend) =>
  runMatMul(backend, a, b, transposeA, transposeB, undefined, 'linear');

export const fusedMatMul: FusedKernelImpl<'FusedMatMul', WebGpuBackend> = ({ a, b, bias }, { transposeA, transposeB, activation }, backend) =>
  runMatMul(backend, a, b, transposeA, transposeB, bias, activation);
