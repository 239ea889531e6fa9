// Shape arithmetic shared by core's validation and by every backend's kernels.
import { ShapeError, fmt } from '../errors.js';

/** Number of elements of a shape (1 for rank 0). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a contiguous shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** numpy broadcasting of two shapes; throws ShapeError naming `op` and the arguments. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[], names: [string, string] = ['a', 'b']): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: ${names[0]} ${fmt(a)} and ${names[1]} ${fmt(b)} cannot be broadcast (dim ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides for reading an input of `shape` while iterating an output of `outShape` it
 * broadcasts to: 0 on broadcast dims, aligned to the output's rank.
 */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const st = stridesOf(shape);
  const off = outShape.length - shape.length;
  return outShape.map((_, i) => (i < off || shape[i - off] === 1 ? 0 : st[i - off]!));
}

/** Python-style axis: negative counts from the end; throws ShapeError if out of range. */
export function normalizeAxis(op: string, axis: number, rank: number, arg = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -Math.max(rank, 1) || axis >= Math.max(rank, 1)) {
    throw new ShapeError(`${op}: ${arg} ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + Math.max(rank, 1) : axis;
}

/** Normalizes a list of axes (undefined = all), sorted and unique-checked. */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : [...axes];
  const norm = list.map((a) => normalizeAxis(op, a, rank, 'axes'));
  if (rank === 0) return [];
  const sorted = [...new Set(norm)].sort((x, y) => x - y);
  if (sorted.length !== norm.length) throw new ShapeError(`${op}: axes [${list.join(',')}] contain a repeated axis`);
  return sorted;
}

/** Shape after reducing `axes` (kept as 1 with keepDims). */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/** Spatial output size of a convolution or pooling window along one axis. */
export function windowOutSize(inSize: number, kernel: number, stride: number, padTotal: number, dilation: number, ceil = false): number {
  const eff = dilation * (kernel - 1) + 1;
  const span = inSize + padTotal - eff;
  if (span < 0) return 0;
  return (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The smallest permutation equivalent to `perm` on `shape`, for transpose kernels: size-1 dims
 * dropped, and runs of input dims that stay adjacent and in order in the output merged into one.
 * @example coalescePermutation([2, 3, 4], [1, 2, 0]) // { shape: [2, 12], perm: [1, 0] }
 */
export function coalescePermutation(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const label = new Map<number, number>();
  const kept: number[] = [];
  shape.forEach((d, i) => {
    if (d === 1) return;
    label.set(i, kept.length);
    kept.push(d);
  });
  // Runs of consecutive (relabelled) input dims, in output order.
  const runs: number[][] = [];
  for (const p of perm) {
    const a = label.get(p);
    if (a === undefined) continue;
    const last = runs[runs.length - 1];
    if (last !== undefined && last[last.length - 1] === a - 1) last.push(a);
    else runs.push([a]);
  }
  const inputOrder = runs.map((_, i) => i).sort((i, j) => runs[i]![0]! - runs[j]![0]!);
  const position = new Array<number>(runs.length);
  inputOrder.forEach((r, pos) => (position[r] = pos));
  return {
    shape: inputOrder.map((r) => runs[r]!.reduce((s, a) => s * kept[a]!, 1)),
    perm: runs.map((_, r) => position[r]!),
  };
}
