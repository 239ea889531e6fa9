// Batched MatMul (and FusedMatMul's bias + activation epilogue). On GPUs: 64x64 output tiles
// per workgroup of 16x16 invocations, each holding a 4x4 register block; A and B tiles of depth
// 16 are staged in workgroup memory. On CPU adapters: no workgroup memory, up to 16x16 register
// blocks per invocation, the 4 lanes of a subgroup quad sharing their loads (directMatMul).
// Every transpose combination is a load pattern (part of the key), so no operand is ever
// transposed in memory. Batch dims broadcast through strides, and the grid is flat, so any
// number of batches fits the dispatch limits.
import type { DType, FusedActivation, KernelImpl, FusedKernelImpl, TensorInfo } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { broadcastStrides, elemOf, flatIndex, grid1d, storeInt, u32s, type Binding } from '../program.js';
import type { Uniform } from '../uniforms.js';
import { decodeCode, groupsFor, pitches, sizeOf } from './layout.js';

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
  // Batches beyond the per-dimension workgroup limit (65535): the grid is flat, folded into x
  // and y, and the shader decodes the batch from the flat index (`flat`: a workgroup's or an
  // invocation's, after `prelude` has returned those past the end).
  const head = (prelude: string): string => `${prelude}
var aOff = 0u;
var bOff = 0u;
${decodeCode(live.length, 'b', 'batch', 'aOff')}
${decodeCode(live.length, 'c', 'batch', 'bOff')}
let cOff = batch * u.M * u.N;`;
  if (backend.tiled) {
    const gx = Math.ceil(N / TILE);
    const perBatch = gx * Math.ceil(M / TILE);
    const tail = [0, 1, 2, 3].map((i) => `
{ let m = row0 + ${i}u;
  if (m < u.M) {
    for (var j = 0u; j < 4u; j = j + 1u) {
      let n = col0 + j;
      if (n < u.N) { let v = acc${i}[j]; c[cOff + m * u.N + n] = ${store}; }
    }
  }
}`).join('');
    backend.run({
      key: `${key}|tiled`,
      bindings,
      uniforms: [...uniforms, ['groups', 'u32', perBatch * batches], ['gpb', 'u32', perBatch], ['gx', 'u32', gx]],
      workgroupSize: [16, 16, 1],
      dispatch: groupsFor(perBatch * batches),
      wgsl: () => ({
        decls: `
var<workgroup> As: array<array<${T}, ${TILE}>, ${DEPTH}>;
var<workgroup> Bs: array<array<${T}, ${TILE}>, ${DEPTH}>;`,
        // The early return depends on workgroup ids and uniforms only: uniform control flow.
        main: `${head(`
let gi = wid.x + wid.y * nwg.x;
if (gi >= u.groups) { return; }
let batch = gi / u.gpb;
let gib = gi % u.gpb;`)}
let tx = gib % u.gx;
let ty = gib / u.gx;
let row0 = ty * ${TILE}u + lid.y * 4u;
let col0 = tx * ${TILE}u + lid.x * 4u;
var acc0 = vec4<${T}>(${zero}); var acc1 = acc0; var acc2 = acc0; var acc3 = acc0;
for (var k0 = 0u; k0 < u.K; k0 = k0 + ${DEPTH}u) {
  for (var l = 0u; l < 4u; l = l + 1u) {
    let e = lidx + l * 256u;
    let kk = ${aLoad[0]};
    let mm = ${aLoad[1]};
    let m = ty * ${TILE}u + mm;
    let k = k0 + kk;
    var v = ${zero};
    if (m < u.M && k < u.K) { v = a[aOff + ${aAt}]; }
    As[kk][mm] = v;
  }
  for (var l = 0u; l < 4u; l = l + 1u) {
    let e = lidx + l * 256u;
    let kk = ${bLoad[0]};
    let nn = ${bLoad[1]};
    let n = tx * ${TILE}u + nn;
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
${tail}`,
      }),
    });
    return out;
  }
  directMatMul(backend, { M, N, K, batches, T, transposeA, transposeB, store, key, bindings, uniforms, head });
  return out;
}

/**
 * Rows (or columns) of an invocation's register block for a dimension of `n`: `most`, or all of
 * a short one (rounded up to 4). 16 x 16 blocks are the fastest in steady state, but SwiftShader
 * takes seconds to compile each such shader (a LeNet training step's first call went from 5 s to
 * 35 s), so they are kept for products big enough to repay it.
 */
const blockFor = (n: number, most: number): number => Math.min(most, Math.ceil(n / 4) * 4);
/** Multiply-adds from which a product gets 16 x 16 blocks (512^3: 2.05x jax-js steady there in one run, 1.58x with 8 x 8 in the run before), else 8 x 8. */
const BIG_BLOCK_MACS = 2 ** 27;

/**
 * Register blocking without workgroup memory, for CPU-like adapters such as SwiftShader (which
 * run a workgroup's invocations as SIMD lanes, one workgroup per thread, and where barriers
 * cost more than the loads they save). Each invocation owns a BM x BN block of C (up to 16 x
 * 16 for big products, 8 x 8 otherwise) and walks K four at a time, reading A and B straight from the buffers: every load there
 * is a per-lane gather with bounds checks, so loads per multiply-add is what the block size
 * buys down (a 4 x 4 block makes one load per two multiply-adds, 16 x 16 one per eight).
 * Operands whose contiguous axis is a multiple of 4 (float32) are bound as vec4 arrays and read
 * four floats per load along that axis, whatever the transposition; block rows and columns past
 * the edge are clamped (computed on repeated data, never stored).
 *
 * Where the device has subgroups, the lanes of each quad (4 SIMD lanes on SwiftShader) take a
 * 2 x 2 arrangement of blocks: the two lanes of a row of blocks need the same rows of A, the two
 * of a column the same columns of B, so each loads half of them and gets the other half from
 * its partner with quadSwapX / quadSwapY, a register shuffle: half the loads for the same
 * multiply-adds (1.4-1.5x faster at 256-1024 on SwiftShader). A lane's block rows (columns) are
 * kept in the order own half first, so that the code is the same for every lane; only the
 * rows and columns it stores to differ (rowOf, colOf).
 */
function directMatMul(backend: WebGpuBackend, p: {
  M: number; N: number; K: number; batches: number; T: 'f32' | 'i32'; transposeA: boolean; transposeB: boolean; store: string;
  key: string; bindings: Binding[]; uniforms: Uniform[]; head: (prelude: string) => string;
}): void {
  const { M, N, K, T, transposeA, transposeB, store, bindings, head } = p;
  const most = M * N * K * p.batches >= BIG_BLOCK_MACS ? 16 : 8;
  const BM = blockFor(M, most), BN = blockFor(N, most);
  // Quads of lanes share loads (see the header) where blocks split into halves of whole quads.
  const share = (backend.subgroups?.minSize ?? 0) >= 4 && BM % 8 === 0 && BN % 8 === 0;
  const span = share ? 2 : 1; // blocks along each axis of a quad's tile
  const tilesN = Math.ceil(N / (BN * span));
  const tiles = Math.ceil(M / (BM * span)) * tilesN;
  // One invocation per (batch, tile): many small products share workgroups. Few tiles in all
  // (a small or thin product): smaller workgroups, so that both CPU threads get some.
  const total = tiles * p.batches * span * span;
  const WG = total >= 128 ? 64 : 16;
  // vec4 along each operand's contiguous axis: A's K (or M when transposed), B's N (or K).
  const vecA = T === 'f32' && (transposeA ? M : K) % 4 === 0;
  const vecB = T === 'f32' && (transposeB ? K : N) % 4 === 0;
  if (vecA) bindings[0]!.type = 'vec4<f32>';
  if (vecB) bindings[1]!.type = 'vec4<f32>';
  const rows = [...Array(BM).keys()], cols = [...Array(BN).keys()], quads = [...Array(BN / 4).keys()], kq = [0, 1, 2, 3];
  const V = `vec4<${T}>`;
  const q4 = (buf: string, flat: string): string => `${V}(${kq.map((e) => `${buf}[${flat} + ${e}u]`).join(', ')})`;
  // Row (column) of C of block row i (column j): with sharing, a lane's first half is the one it
  // loads (from rOwn / cOwn), its second half the one its partner loads (rPeer / cPeer).
  const hm = BM / 2, hn = BN / 2;
  const rowOf = (i: number): string => (share ? (i < hm ? `rOwn + ${i}u` : `rPeer + ${i - hm}u`) : `row0 + ${i}u`);
  const colOf = (j: number): string => (share ? (j < hn ? `cOwn + ${j}u` : `cPeer + ${j - hn}u`) : `col0 + ${j}u`);
  // Item i of n (a block row or quad of rows of A, a column or quad of columns of B) past the
  // lane's own half comes from its partner's own item i - n/2: the lane beside it (X) shares
  // its rows of A, the one above or below (Y) its columns of B.
  const shared = (swap: 'X' | 'Y', i: number, n: number, load: () => string, own: (i: number) => string): string =>
    (share && i >= n / 2 ? `quadSwap${swap}(${own(i - n / 2)})` : load());
  const fromA = (i: number, n: number, load: () => string, own: (i: number) => string): string => shared('X', i, n, load, own);
  const fromB = (j: number, n: number, load: () => string, own: (j: number) => string): string => shared('Y', j, n, load, own);
  // Per quad of k (k0 = 4q): A(i, kk) as a scalar expression and B(kk, n quad j) as a vec4,
  // after `loads` has read what they use into lets.
  const loads: string[] = [];
  let aAt: (i: number, kk: number) => string;
  let bAt: (kk: number, j: number) => string;
  // The same for one k (the tail, K % 4 != 0).
  let aTail: (i: number) => string;
  let bTail: (j: number) => string;
  const pre: string[] = [];
  if (!transposeA) {
    // A is M x K: a vec4 along k for each block row.
    pre.push(...rows.map((i) => `let ar${i} = aOff + min(${rowOf(i)}, u.M - 1u) * u.K;`));
    loads.push(...rows.map((i) => `  let a${i} = ${fromA(i, BM, () => (vecA ? `a[(ar${i} >> 2u) + q]` : q4('a', `ar${i} + k0`)), (o) => `a${o}`)};`));
    aAt = (i, kk) => `a${i}[${kk}]`;
    aTail = (i) => `a[ar${i} + k]`;
  } else {
    // A is K x M: for each k of the quad, a vec4 along m for each quad of block rows.
    const rq = [...Array(BM / 4).keys()];
    if (vecA) pre.push(...rq.map((r) => `let am${r} = min((${rowOf(4 * r)}) >> 2u, (u.M >> 2u) - 1u);`));
    else pre.push(...rows.map((i) => `let am${i} = min(${rowOf(i)}, u.M - 1u);`));
    const at = (k: string, r: number): string => (vecA ? `a[((aOff + (${k}) * u.M) >> 2u) + am${r}]`
      : `${V}(${kq.map((e) => `a[aOff + (${k}) * u.M + am${r * 4 + e}]`).join(', ')})`);
    loads.push(...kq.flatMap((kk) => rq.map((r) => `  let a${kk}_${r} = ${fromA(r, BM / 4, () => at(`k0 + ${kk}u`, r), (o) => `a${kk}_${o}`)};`)));
    aAt = (i, kk) => `a${kk}_${i >> 2}[${i & 3}]`;
    aTail = (i) => (vecA ? `${at('k', i >> 2)}[${i & 3}]` : `a[aOff + k * u.M + am${i}]`);
  }
  if (!transposeB) {
    // B is K x N: for each k of the quad, a vec4 along n for each quad of block columns.
    if (vecB) pre.push(...quads.map((j) => `let bn${j} = min((${colOf(4 * j)}) >> 2u, (u.N >> 2u) - 1u);`));
    else pre.push(...cols.map((j) => `let bn${j} = min(${colOf(j)}, u.N - 1u);`));
    const at = (k: string, j: number): string => (vecB ? `b[((bOff + (${k}) * u.N) >> 2u) + bn${j}]`
      : `${V}(${kq.map((e) => `b[bOff + (${k}) * u.N + bn${j * 4 + e}]`).join(', ')})`);
    loads.push(...kq.flatMap((kk) => quads.map((j) => `  let b${kk}_${j} = ${fromB(j, BN / 4, () => at(`k0 + ${kk}u`, j), (o) => `b${kk}_${o}`)};`)));
    bAt = (kk, j) => `b${kk}_${j}`;
    bTail = (j) => at('k', j);
  } else {
    // B is N x K: a vec4 along k for each block column, regrouped into vec4s along n.
    pre.push(...cols.map((j) => `let bc${j} = bOff + min(${colOf(j)}, u.N - 1u) * u.K;`));
    loads.push(...cols.map((j) => `  let b${j} = ${fromB(j, BN, () => (vecB ? `b[(bc${j} >> 2u) + q]` : q4('b', `bc${j} + k0`)), (o) => `b${o}`)};`));
    bAt = (kk, j) => `${V}(${kq.map((e) => `b${j * 4 + e}[${kk}]`).join(', ')})`;
    bTail = (j) => `${V}(${kq.map((e) => `b[bc${j * 4 + e} + k]`).join(', ')})`;
  }
  const acc = (i: number, j: number): string => `acc${i}_${j}`;
  // With sharing, a quad is 4 consecutive invocations (subgroup lanes follow the local index,
  // as on SwiftShader), `lane` its position in the quad. Whole quads past the end compute a
  // clamped tile and store nothing: quad operations need all four lanes, and returning early
  // is non-uniform control flow.
  const prelude = share ? `
let f0 = ${flatIndex(WG)};
let lane = f0 & 3u;
let flat = min(f0 >> 2u, u.total / 4u - 1u);
let batch = flat / u.tiles;
let t = flat % u.tiles;` : `
let flat = ${flatIndex(WG)};
if (flat >= u.total) { return; }
let batch = flat / u.tiles;
let t = flat % u.tiles;`;
  backend.run({
    key: `${p.key}|direct|${BM}x${BN}|${WG}|${vecA ? 'v' : 's'}${vecB ? 'v' : 's'}|k${K % 4 === 0 ? 4 : 1}|${share ? 'quads' : ''}`,
    bindings,
    uniforms: [...p.uniforms, ['tilesN', 'u32', tilesN], ['tiles', 'u32', tiles], ['total', 'u32', total]],
    workgroupSize: [WG, 1, 1],
    dispatch: grid1d(total, WG),
    subgroups: share,
    wgsl: () => ({
      main: `${head(prelude)}
let row0 = (t / u.tilesN) * ${BM * span}u${share ? ` + (lane >> 1u) * ${BM}u` : ''};
let col0 = (t % u.tilesN) * ${BN * span}u${share ? ` + (lane & 1u) * ${BN}u` : ''};
${share ? `let rOwn = row0 + (lane & 1u) * ${hm}u;
let rPeer = row0 + ${hm}u - (lane & 1u) * ${hm}u;
let cOwn = col0 + (lane >> 1u) * ${hn}u;
let cPeer = col0 + ${hn}u - (lane >> 1u) * ${hn}u;` : ''}
${pre.join('\n')}
${rows.flatMap((i) => quads.map((j) => `var ${acc(i, j)} = ${V}(${T === 'f32' ? '0.0' : '0i'});`)).join('\n')}
let quadsK = u.K >> 2u;
for (var q = 0u; q < quadsK; q = q + 1u) {
  let k0 = q << 2u;
${loads.join('\n')}
${rows.flatMap((i) => quads.map((j) => `  ${acc(i, j)} = ${acc(i, j)} + ${kq.map((kk) => `${aAt(i, kk)} * ${bAt(kk, j)}`).join(' + ')};`)).join('\n')}
}
${K % 4 === 0 ? '' : `for (var k = u.K & ~3u; k < u.K; k = k + 1u) {
${rows.map((i) => `  let at${i} = ${aTail(i)};`).join('\n')}
${quads.map((j) => `  let bt${j} = ${bTail(j)};`).join('\n')}
${rows.flatMap((i) => quads.map((j) => `  ${acc(i, j)} = ${acc(i, j)} + at${i} * bt${j};`)).join('\n')}
}`}
${share ? 'if (f0 < u.total) {' : '{'}
${rows.map((i) => `if (${rowOf(i)} < u.M) {
  let cr = cOff + (${rowOf(i)}) * u.N;
${cols.map((j) => `  if (${colOf(j)} < u.N) { let n = ${colOf(j)}; let v = ${acc(i, j >> 2)}[${j & 3}]; c[cr + n] = ${store}; }`).join('\n')}
}`).join('\n')}
}`,
    }),
  });
}

export const matMul: KernelImpl<'MatMul', WebGpuBackend> = ({ a, b }, { transposeA, transposeB }, backend) =>
  runMatMul(backend, a, b, transposeA, transposeB, undefined, 'linear');

export const fusedMatMul: FusedKernelImpl<'FusedMatMul', WebGpuBackend> = ({ a, b, bias }, { transposeA, transposeB, activation }, backend) =>
  runMatMul(backend, a, b, transposeA, transposeB, bias, activation);
