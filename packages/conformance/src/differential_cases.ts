// The differential family's cases: every kernel of the contract (and the fused ones) on random
// inputs over many shapes: odd sizes, sizes straddling 4-lane SIMD widths and GEMM tile edges
// (4, 8, 64, 256, 512), numpy broadcasting, rank 0 and empty tensors, every dtype a kernel takes.
import {
  allocate, shapeUtil, type BinaryOp, type DType, type KernelName, type FusedKernelName, type ReduceOp, type UnaryOp,
} from '@tensile/core';
import type { Tol } from './types.js';
import { EXACT } from './tol.js';

/** An input tensor the runner generates: shape, dtype and the range of its random values. */
export interface DiffInput {
  shape: number[];
  dtype: DType;
  /** Values drawn uniformly from [lo, hi) (integers for integer dtypes; bool is 0/1). */
  lo?: number;
  hi?: number;
}

/** One kernel call compared between the backend under test and the reference. */
export interface DiffCase {
  kernel: KernelName | FusedKernelName;
  fused?: boolean;
  name: string;
  /** Input name -> tensor to generate, a JS scalar operand, or a list (Concat's xs). */
  inputs: Record<string, DiffInput | number | DiffInput[] | undefined>;
  attrs: Record<string, unknown>;
  tol: Tol;
}

/** Elementwise float results: two libms, or f32 vs f64 evaluation, differ by a few ulp. */
const ELEMENTWISE: Tol = { rtol: 2e-6, atol: 1e-7, why: 'transcendentals from different libms (or f32 vs f64 evaluation) differ by a few ulp' };
/** Sums of up to ~500 terms of magnitude <= 1 in another order (f32 partial sums vs f64). */
const SUMS: Tol = { rtol: 1e-5, atol: 2e-5, why: 'float32 accumulation in another order: error ~ n * 2^-24 * sum|terms|, n <= ~500' };
/** GEMM/convolution dot products of up to ~600 terms in [-1, 1]. */
const DOTS: Tol = { rtol: 1e-4, atol: 1e-4, why: 'dot products of up to ~600 float32 terms summed in another (blocked) order' };

const f = (shape: number[], lo = -3, hi = 3): DiffInput => ({ shape, dtype: 'float32', lo, hi });
const i = (shape: number[], lo = -6, hi = 7): DiffInput => ({ shape, dtype: 'int32', lo, hi });
const b = (shape: number[]): DiffInput => ({ shape, dtype: 'bool' });
const t = (shape: number[], dtype: DType): DiffInput => ({ shape, dtype, lo: -100, hi: 100 });
const s = (shape: readonly number[]) => `[${shape.join(',')}]`;

/** Shapes for elementwise kernels: empty, rank 0, and sizes around the 4-lane SIMD width. */
const ELEMENTWISE_SHAPES: number[][] = [[0], [], [1], [3], [4], [5], [7], [8], [9], [17], [2, 0, 3], [3, 33], [2, 3, 4, 5]];

const UNARY_OPS: UnaryOp[] = [
  'neg', 'abs', 'sign', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'sin', 'cos', 'tanh',
  'sigmoid', 'softplus', 'relu', 'erf', 'floor', 'ceil', 'round', 'logicalNot', 'isNaN', 'isInf', 'leakyRelu', 'elu',
];
const INT_UNARY: UnaryOp[] = ['neg', 'abs', 'sign', 'square', 'logicalNot', 'relu'];

const ARITH_OPS: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'floorDiv', 'mod', 'pow', 'maximum', 'minimum', 'atan2'];
const COMPARE_OPS: BinaryOp[] = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'];
const LOGICAL_OPS: BinaryOp[] = ['logicalAnd', 'logicalOr', 'logicalXor'];
/** [a, b] shapes: equal, row/column/outer broadcasting, size-0 and rank-0 operands. */
const BROADCASTS: [number[], number[]][] = [
  [[5], [5]], [[4, 7], [7]], [[4, 7], [4, 1]], [[3, 1, 9], [1, 5, 1]], [[2, 3, 4], [2, 1, 4]], [[0, 3], [3]], [[], [6]], [[17], []],
];

function unaryCases(): DiffCase[] {
  const out: DiffCase[] = [];
  for (const op of UNARY_OPS) {
    for (const shape of ELEMENTWISE_SHAPES) {
      out.push({ kernel: 'Unary', name: `${op} float32${s(shape)}`, inputs: { x: f(shape) }, attrs: { op }, tol: ELEMENTWISE });
    }
    out.push({ kernel: 'Unary', name: `${op} float32 alpha 0.3`, inputs: { x: f([13]) }, attrs: { op, alpha: 0.3 }, tol: ELEMENTWISE });
  }
  for (const op of INT_UNARY) {
    for (const dtype of ['int32', 'int8', 'uint8'] as DType[]) {
      out.push({ kernel: 'Unary', name: `${op} ${dtype}[11]`, inputs: { x: t([11], dtype) }, attrs: { op }, tol: EXACT });
    }
  }
  out.push({ kernel: 'Unary', name: 'logicalNot bool[9]', inputs: { x: b([9]) }, attrs: { op: 'logicalNot' }, tol: EXACT });
  return out;
}

function binaryCases(): DiffCase[] {
  const out: DiffCase[] = [];
  const add = (op: BinaryOp, dtype: DType, a: DiffInput | number, bb: DiffInput | number, tol: Tol) => {
    const sa = typeof a === 'number' ? [] : a.shape, sb = typeof bb === 'number' ? [] : bb.shape;
    const shape = shapeUtil.broadcastShapes(op, sa, sb);
    const outDType: DType = COMPARE_OPS.includes(op) || LOGICAL_OPS.includes(op) ? 'bool' : dtype;
    const label = (x: DiffInput | number) => (typeof x === 'number' ? `scalar ${x}` : s(x.shape));
    out.push({ kernel: 'Binary', name: `${op} ${dtype} ${label(a)} ${label(bb)}`, inputs: { a, b: bb }, attrs: { op, shape, dtype: outDType }, tol });
  };
  for (const op of [...ARITH_OPS, ...COMPARE_OPS]) {
    for (const [sa, sb] of BROADCASTS) {
      add(op, 'float32', f(sa), f(sb), ELEMENTWISE);
      if (op !== 'div' && op !== 'atan2') add(op, 'int32', i(sa), i(sb, -4, 5), EXACT);
    }
    add(op, 'float32', f([9]), 1.5, ELEMENTWISE);
    add(op, 'float32', -2, f([2, 5]), ELEMENTWISE);
    if (op !== 'div' && op !== 'atan2') add(op, 'int32', i([10]), 3, EXACT);
  }
  for (const op of ['add', 'sub', 'mul', 'maximum', 'minimum'] as BinaryOp[]) {
    add(op, 'int8', t([3, 5], 'int8'), t([5], 'int8'), EXACT);
    add(op, 'uint8', t([7], 'uint8'), t([7], 'uint8'), EXACT);
  }
  for (const op of [...LOGICAL_OPS, 'add', 'mul', 'equal'] as BinaryOp[]) {
    for (const [sa, sb] of BROADCASTS.slice(0, 5)) add(op, 'bool', b(sa), b(sb), EXACT);
  }
  return out;
}

function whereCastFillCases(): DiffCase[] {
  const out: DiffCase[] = [];
  const shapes: [number[], number[], number[]][] = [
    [[6], [6], [6]], [[3, 1], [1, 4], [3, 4]], [[2, 3, 5], [5], []], [[0, 2], [2], [1, 2]], [[9], [], []],
  ];
  for (const dtype of ['float32', 'int32', 'bool', 'int8'] as DType[]) {
    for (const [sc, sa, sb] of shapes) {
      const shape = shapeUtil.broadcastShapes('where', shapeUtil.broadcastShapes('where', sc, sa), sb);
      const gen = (sh: number[]) => (dtype === 'bool' ? b(sh) : t(sh, dtype));
      out.push({ kernel: 'Where', name: `${dtype} ${s(sc)} ${s(sa)} ${s(sb)}`, inputs: { cond: b(sc), a: gen(sa), b: gen(sb) }, attrs: { shape, dtype }, tol: EXACT });
    }
    out.push({ kernel: 'Where', name: `${dtype} scalar operands`, inputs: { cond: b([7]), a: 1, b: 0 }, attrs: { shape: [7], dtype }, tol: EXACT });
  }
  const all: DType[] = ['float32', 'int32', 'bool', 'int8', 'uint8'];
  for (const from of all) {
    for (const to of all) {
      const x: DiffInput = from === 'bool' ? b([13]) : { shape: [13], dtype: from, lo: -300, hi: 300 };
      out.push({ kernel: 'Cast', name: `${from} -> ${to}`, inputs: { x }, attrs: { dtype: to }, tol: EXACT });
    }
    for (const value of [0, 1, -2.5, 300]) {
      // The value as core's fill passes it: already stored as `from` (bool 0/1, int8 wrapped).
      const stored = from === 'bool' ? Number(value !== 0) : allocate(from, 1).fill(value)[0]!;
      out.push({ kernel: 'Fill', name: `${from} ${value}`, inputs: {}, attrs: { shape: [3, 7], dtype: from, value: stored }, tol: EXACT });
    }
  }
  out.push({ kernel: 'Fill', name: 'empty', inputs: {}, attrs: { shape: [0, 4], dtype: 'float32', value: 1 }, tol: EXACT });
  for (const [from, to] of [[[3], [4, 3]], [[4, 1], [4, 9]], [[1, 5, 1], [2, 5, 3]], [[], [2, 2]], [[0], [3, 0]], [[2, 1, 3], [2, 17, 3]]] as [number[], number[]][]) {
    for (const dtype of ['float32', 'int8'] as DType[]) {
      out.push({ kernel: 'BroadcastTo', name: `${dtype} ${s(from)} -> ${s(to)}`, inputs: { x: t(from, dtype) }, attrs: { shape: to }, tol: EXACT });
    }
  }
  return out;
}

function reduceCases(): DiffCase[] {
  const out: DiffCase[] = [];
  const layouts: [number[], number[][]][] = [
    [[17], [[0]]], [[3, 4, 5], [[0], [1], [2], [0, 2], [1, 2], [0, 1, 2]]], [[33, 9], [[0], [1]]], [[0, 4], [[0], [1]]], [[], [[]]],
    [[2, 1, 257], [[2], [0, 1]]],
  ];
  const ops: ReduceOp[] = ['sum', 'mean', 'max', 'min', 'prod', 'any', 'all'];
  for (const [shape, axesList] of layouts) {
    for (const axes of axesList) {
      // max/min over an empty axis never reach a kernel: core raises a ShapeError (torch.amax).
      const empty = axes.some((a) => shape[a] === 0);
      for (const op of ops.filter((o) => !(empty && (o === 'max' || o === 'min')))) {
        // prod of hundreds of values in [-3, 3) overflows; keep them near 1.
        const x = op === 'prod' ? f(shape, 0.5, 1.5) : f(shape);
        for (const keepDims of [false, true]) {
          out.push({ kernel: 'Reduce', name: `${op} float32${s(shape)} axes ${s(axes)}${keepDims ? ' keepDims' : ''}`, inputs: { x }, attrs: { op, axes, keepDims }, tol: SUMS });
        }
        if (op !== 'mean') out.push({ kernel: 'Reduce', name: `${op} int32${s(shape)} axes ${s(axes)}`, inputs: { x: i(shape, -2, 3) }, attrs: { op, axes, keepDims: false }, tol: op === 'sum' || op === 'prod' ? EXACT : EXACT });
      }
      for (const op of ['any', 'all'] as ReduceOp[]) {
        out.push({ kernel: 'Reduce', name: `${op} bool${s(shape)} axes ${s(axes)}`, inputs: { x: b(shape) }, attrs: { op, axes, keepDims: false }, tol: EXACT });
      }
    }
  }
  for (const [shape, axis] of [[[9], 0], [[3, 4, 5], 0], [[3, 4, 5], 1], [[3, 4, 5], 2], [[2, 0, 3], 0], [[], 0]] as [number[], number][]) {
    for (const op of ['max', 'min'] as const) {
      for (const dtype of ['float32', 'int32'] as DType[]) {
        const x = dtype === 'float32' ? f(shape) : i(shape, -3, 3);
        out.push({ kernel: 'ArgReduce', name: `arg${op} ${dtype}${s(shape)} axis ${axis}`, inputs: { x }, attrs: { op, axis, keepDims: false }, tol: EXACT });
      }
    }
  }
  for (const [shape, axis] of [[[7], 0], [[4, 9], 1], [[4, 9], 0], [[2, 3, 17], 1], [[3, 257], 1], [[0, 5], 1], [[5, 0], 1]] as [number[], number][]) {
    for (const log of [false, true]) {
      out.push({ kernel: 'Softmax', name: `${log ? 'logSoftmax' : 'softmax'} ${s(shape)} axis ${axis}`, inputs: { x: f(shape, -20, 20) }, attrs: { axis, log }, tol: SUMS });
    }
  }
  return out;
}

function matmulCases(): DiffCase[] {
  const out: DiffCase[] = [];
  // [batchA, batchB, m, k, n]: tile edges of a 4x8 micro-kernel, 64-row and 256-deep blocks, 512-column panels.
  const dims: [number[], number[], number, number, number][] = [
    [[], [], 1, 1, 1], [[], [], 3, 5, 7], [[], [], 4, 8, 8], [[], [], 5, 9, 9], [[], [], 63, 17, 65], [[], [], 65, 255, 33],
    [[], [], 9, 257, 11], [[], [], 7, 3, 513], [[], [], 0, 4, 5], [[], [], 3, 0, 5], [[2], [], 5, 6, 7], [[2, 1], [3], 4, 5, 6],
    [[3], [3], 6, 17, 9],
  ];
  for (const [ba, bb, m, k, n] of dims) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const a = f([...ba, ...(ta ? [k, m] : [m, k])], -1, 1);
      const bm = f([...bb, ...(tb ? [n, k] : [k, n])], -1, 1);
      const name = `${s(a.shape)}${ta ? 'ᵀ' : ''} @ ${s(bm.shape)}${tb ? 'ᵀ' : ''}`;
      out.push({ kernel: 'MatMul', name: `float32 ${name}`, inputs: { a, b: bm }, attrs: { transposeA: ta, transposeB: tb }, tol: DOTS });
      if (m * n > 0 && k < 100) {
        const bias = f([n], -1, 1);
        for (const activation of ['linear', 'relu']) {
          out.push({ kernel: 'FusedMatMul', fused: true, name: `${activation} bias ${name}`, inputs: { a, b: bm, bias }, attrs: { transposeA: ta, transposeB: tb, activation }, tol: DOTS });
        }
        out.push({ kernel: 'FusedMatMul', fused: true, name: `relu no bias ${name}`, inputs: { a, b: bm }, attrs: { transposeA: ta, transposeB: tb, activation: 'relu' }, tol: DOTS });
      }
    }
    if (k < 100) {
      out.push({ kernel: 'MatMul', name: `int32 [${m},${k}] @ [${k},${n}]`, inputs: { a: i([...ba, m, k], -3, 4), b: i([...bb, k, n], -3, 4) }, attrs: { transposeA: false, transposeB: false }, tol: EXACT });
    }
  }
  return out;
}

/**
 * Conv geometries: [n, c, h, w, o, kh, kw, stride, pad [t,b,l,r], dilation, groups]. Rows of
 * 23 and 28 outputs give windows side by side that lie wholly inside the input, at strides 1
 * and 2, as well as at its borders and across output rows (backend-wasm packs each kind its way).
 * The two with 16+ channels are 3x3 at stride 1 (backend-wasm's Winograd path), with partial
 * tiles and asymmetric padding. LeNet-5's two convs (5x5, 1 -> 6 channels with padding 2, and
 * 6 -> 16) have the few channels backend-webgpu's row kernel blocks whole or in two.
 */
const CONVS: [number, number, number, number, number, number, number, [number, number], [number, number, number, number], [number, number], number][] = [
  [1, 1, 5, 5, 1, 3, 3, [1, 1], [0, 0, 0, 0], [1, 1], 1],
  [2, 3, 9, 7, 5, 3, 3, [1, 1], [1, 1, 1, 1], [1, 1], 1],
  [1, 4, 8, 8, 6, 3, 3, [2, 2], [0, 1, 0, 1], [1, 1], 2],
  [2, 2, 6, 5, 3, 1, 1, [1, 1], [0, 0, 0, 0], [1, 1], 1],
  [1, 3, 11, 10, 4, 5, 3, [2, 1], [2, 2, 1, 1], [1, 2], 1],
  [1, 2, 7, 7, 4, 2, 2, [3, 3], [1, 0, 0, 1], [2, 2], 2],
  [3, 1, 28, 28, 6, 5, 5, [1, 1], [2, 2, 2, 2], [1, 1], 1],
  [2, 6, 14, 14, 16, 5, 5, [1, 1], [0, 0, 0, 0], [1, 1], 1],
  [1, 3, 17, 17, 8, 7, 7, [2, 2], [3, 3, 3, 3], [1, 1], 1],
  [1, 2, 23, 45, 4, 3, 3, [2, 2], [1, 1, 1, 1], [1, 1], 1],
  [2, 16, 9, 11, 17, 3, 3, [1, 1], [1, 1, 1, 1], [1, 1], 1],
  [1, 16, 12, 21, 16, 3, 3, [1, 1], [2, 0, 1, 2], [1, 1], 1],
  [0, 2, 4, 4, 3, 3, 3, [1, 1], [1, 1, 1, 1], [1, 1], 1],
];

function convCases(): DiffCase[] {
  const out: DiffCase[] = [];
  for (const [n, c, h, w, o, kh, kw, stride, pad, dilation, groups] of CONVS) {
    const outH = shapeUtil.windowOutSize(h, kh, stride[0], pad[0] + pad[1], dilation[0]);
    const outW = shapeUtil.windowOutSize(w, kw, stride[1], pad[2] + pad[3], dilation[1]);
    const attrs = { stride, pad, dilation, groups };
    const name = `x[${n},${c},${h},${w}] w[${o},${c / groups},${kh},${kw}] s${stride} p${pad} d${dilation} g${groups}`;
    const x = f([n, c, h, w], -1, 1), wt = f([o, c / groups, kh, kw], -1, 1), dy = f([n, o, outH, outW], -1, 1);
    out.push({ kernel: 'Conv2D', name, inputs: { x, w: wt }, attrs: { ...attrs, outSize: [outH, outW] }, tol: DOTS });
    out.push({ kernel: 'Conv2DBackpropInput', name, inputs: { dy, w: wt }, attrs: { ...attrs, inputShape: [n, c, h, w] }, tol: DOTS });
    out.push({ kernel: 'Conv2DBackpropFilter', name, inputs: { x, dy }, attrs: { ...attrs, filterShape: [o, c / groups, kh, kw] }, tol: DOTS });
  }
  return out;
}

function poolCases(): DiffCase[] {
  const out: DiffCase[] = [];
  const pools: [number[], [number, number], [number, number], [number, number, number, number], [number, number], boolean][] = [
    [[1, 1, 4, 4], [2, 2], [2, 2], [0, 0, 0, 0], [1, 1], false],
    [[2, 3, 9, 7], [3, 3], [2, 2], [1, 1, 1, 1], [1, 1], false],
    [[1, 2, 8, 9], [3, 2], [1, 2], [1, 0, 0, 1], [2, 1], false],
    [[1, 2, 7, 7], [2, 2], [2, 2], [0, 0, 0, 0], [1, 1], true],
    [[2, 6, 28, 28], [2, 2], [2, 2], [0, 0, 0, 0], [1, 1], false],
    [[1, 1, 5, 5], [3, 3], [3, 3], [1, 1, 1, 1], [1, 1], true],
  ];
  for (const [shape, kernel, stride, pad, dilation, ceilMode] of pools) {
    const outSize: [number, number] = [0, 1].map((d) => shapeUtil.windowOutSize(shape[2 + d]!, kernel[d]!, stride[d]!, pad[2 * d]! + pad[2 * d + 1]!, dilation[d]!, ceilMode)) as [number, number];
    for (const op of ['max', 'avg', 'min'] as const) {
      for (const countIncludePad of op === 'avg' ? [false, true] : [false]) {
        const attrs = { op, kernel, stride, pad, dilation, outSize, countIncludePad };
        const name = `${op} ${s(shape)} k${kernel} s${stride} p${pad} d${dilation}${ceilMode ? ' ceil' : ''}${countIncludePad ? ' countIncludePad' : ''}`;
        out.push({ kernel: 'Pool2D', name, inputs: { x: f(shape) }, attrs: { ...attrs, indices: false }, tol: SUMS });
        if (op !== 'avg') out.push({ kernel: 'Pool2D', name: `${name} indices`, inputs: { x: f(shape) }, attrs: { ...attrs, indices: true }, tol: EXACT });
        out.push({ kernel: 'Pool2DGrad', name, inputs: { x: f(shape), dy: f([shape[0]!, shape[1]!, ...outSize]) }, attrs, tol: SUMS });
      }
    }
  }
  return out;
}

function movementCases(): DiffCase[] {
  const out: DiffCase[] = [];
  const perms: [number[], number[]][] = [
    [[3, 4], [1, 0]], [[33, 65], [1, 0]], [[3, 4, 5], [2, 0, 1]], [[3, 4, 5], [0, 2, 1]], [[2, 1, 7, 9], [3, 1, 0, 2]],
    [[0, 3], [1, 0]], [[], []], [[2, 3, 4, 5], [0, 1, 2, 3]],
  ];
  for (const dtype of ['float32', 'int32', 'bool', 'int8'] as DType[]) {
    const gen = (shape: number[]) => (dtype === 'bool' ? b(shape) : t(shape, dtype));
    for (const [shape, perm] of perms) out.push({ kernel: 'Transpose', name: `${dtype}${s(shape)} perm ${s(perm)}`, inputs: { x: gen(shape) }, attrs: { perm }, tol: EXACT });
    const slices: [number[], number[], number[], number[]][] = [
      [[10], [1], [5], [2]], [[5, 9], [1, 2], [3, 7], [1, 1]], [[4, 6, 5], [0, 1, 4], [2, 3, 1], [2, 2, 1]], [[6], [2], [0], [1]], [[], [], [], []],
    ];
    for (const [shape, begin, size, step] of slices) out.push({ kernel: 'Slice', name: `${dtype}${s(shape)} begin ${s(begin)} size ${s(size)} step ${s(step)}`, inputs: { x: gen(shape) }, attrs: { begin, size, step }, tol: EXACT });
    for (const [shapes, axis] of [[[[2, 3], [2, 5]], 1], [[[1, 4], [3, 4], [0, 4]], 0], [[[2, 3, 4], [2, 1, 4]], 1], [[[7], [9]], 0]] as [number[][], number][]) {
      out.push({ kernel: 'Concat', name: `${dtype} ${shapes.map(s).join(' ++ ')} axis ${axis}`, inputs: { xs: shapes.map(gen) }, attrs: { axis }, tol: EXACT });
    }
    for (const [shape, pads] of [[[3], [[1, 2]]], [[2, 3], [[0, 1], [2, 0]]], [[2, 0, 3], [[1, 1], [1, 1], [0, 0]]], [[], []], [[4, 5], [[0, 0], [0, 0]]]] as [number[], [number, number][]][]) {
      out.push({ kernel: 'Pad', name: `${dtype}${s(shape)} pads ${JSON.stringify(pads)}`, inputs: { x: gen(shape) }, attrs: { pads, value: 2 }, tol: EXACT });
    }
    for (const [shape, idx, axis] of [[[5], [4], 0], [[4, 3], [2, 3], 0], [[2, 5, 3], [7], 1], [[3, 4], [0], 1], [[6, 17], [5], 1]] as [number[], number[], number][]) {
      out.push({ kernel: 'Gather', name: `${dtype}${s(shape)} indices ${s(idx)} axis ${axis}`, inputs: { x: gen(shape), indices: i(idx, -shape[axis]! - 2, shape[axis]! + 2) }, attrs: { axis }, tol: EXACT });
    }
  }
  for (const dtype of ['float32', 'int32'] as DType[]) {
    for (const [upd, idx, axis, size] of [[[6], [6], 0, 4], [[2, 5, 3], [5], 1, 3], [[4, 2, 3], [4, 2], 0, 5], [[0, 3], [0], 0, 2]] as [number[], number[], number, number][]) {
      out.push({ kernel: 'ScatterAdd', name: `${dtype} updates ${s(upd)} indices ${s(idx)} axis ${axis} size ${size}`, inputs: { updates: dtype === 'float32' ? f(upd) : i(upd), indices: i(idx, -size - 1, size + 1) }, attrs: { axis, size }, tol: SUMS });
    }
  }
  for (const dtype of ['float32', 'int32', 'bool', 'uint8'] as DType[]) {
    for (const shape of [[5], [2, 3], [0]]) {
      out.push({ kernel: 'OneHot', name: `${dtype} indices ${s(shape)}`, inputs: { indices: i(shape, -2, 6) }, attrs: { depth: 4, on: 1, off: 0, dtype }, tol: EXACT });
    }
  }
  return out;
}

function randomCases(): DiffCase[] {
  const out: DiffCase[] = [];
  for (const shape of [[0], [1], [3], [4], [5], [3, 17]]) {
    for (const [seed, offset] of [[0, 0], [42, 7], [2 ** 40 + 3, 2 ** 33]]) {
      out.push({ kernel: 'Random', name: `uniform ${s(shape)} seed ${seed} offset ${offset}`, inputs: {}, attrs: { dist: 'uniform', shape, seed, offset }, tol: EXACT });
      out.push({
        kernel: 'Random', name: `normal ${s(shape)} seed ${seed} offset ${offset}`, inputs: {}, attrs: { dist: 'normal', shape, seed, offset },
        tol: { rtol: 1e-5, atol: 1e-5, why: "Box-Muller's log, sqrt, cos and sin from different libms (core's philox.ts NORMAL tolerance)" },
      });
    }
  }
  return out;
}

/** Every differential case, grouped by kernel family. */
export const DIFFERENTIAL_CASES: readonly (readonly [family: string, cases: readonly DiffCase[]])[] = [
  ['Unary', unaryCases()],
  ['Binary', binaryCases()],
  ['Where, Cast, Fill, BroadcastTo', whereCastFillCases()],
  ['Reduce, ArgReduce, Softmax', reduceCases()],
  ['MatMul, FusedMatMul', matmulCases()],
  ['Conv2D and its backprops', convCases()],
  ['Pool2D, Pool2DGrad', poolCases()],
  ['Transpose, Slice, Concat, Pad, Gather, ScatterAdd, OneHot', movementCases()],
  ['Random', randomCases()],
];
