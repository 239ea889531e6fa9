// Shape bookkeeping shared by the reduction-style kernels.
import { MAX_GROUPS } from '../program.js';

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Splits a shape into kept and reduced dims, merging neighbours of the same role and dropping
 * size-1 dims, so the shader's rank (part of its key) is as small as possible. Strides are
 * the input's; `kept`/`reduced` hold [size, stride] pairs outermost first.
 */
export function splitAxes(shape: readonly number[], axes: readonly number[]): {
  kept: [number, number][];
  reduced: [number, number][];
} {
  const kept: [number, number][] = [];
  const reduced: [number, number][] = [];
  let stride = 1;
  const dims: { size: number; stride: number; red: boolean }[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    dims.unshift({ size: shape[d]!, stride, red: axes.includes(d) });
    stride *= shape[d]!;
  }
  let last: { list: [number, number][]; red: boolean } | undefined;
  for (const d of dims) {
    if (d.size === 1) continue;
    const list = d.red ? reduced : kept;
    // Merge with the previous dim of the same role when contiguous with it.
    const prev = list[list.length - 1];
    if (last && last.red === d.red && prev && prev[1] === d.size * d.stride) {
      prev[0] *= d.size;
      prev[1] = d.stride;
    } else {
      list.push([d.size, d.stride]);
    }
    last = { list, red: d.red };
  }
  return { kept, reduced };
}

/** Products of the sizes after each position: the divisors that decode a flat index. */
export function pitches(sizes: readonly number[]): number[] {
  const p = new Array<number>(sizes.length);
  let acc = 1;
  for (let i = sizes.length - 1; i >= 0; i--) {
    p[i] = acc;
    acc *= sizes[i]!;
  }
  return p;
}

/** WGSL adding to `target` the offset of flat index `idx` over dims with pitches `${p}p*` and strides `${p}s*`. */
export function decodeCode(n: number, prefix: string, idx: string, target: string): string {
  if (n === 0) return '';
  const lines = [`{ var rem_${prefix} = ${idx};`];
  for (let i = 0; i < n; i++) {
    lines.push(`  { let c = rem_${prefix} / u.${prefix}p${i}; rem_${prefix} = rem_${prefix} - c * u.${prefix}p${i}; ${target} = ${target} + c * u.${prefix}s${i}; }`);
  }
  lines.push('}');
  return lines.join('\n');
}

/** A grid of one workgroup per item, folded into y beyond the per-dimension limit. */
export function groupsFor(items: number): [number, number, number] {
  if (items <= MAX_GROUPS) return [Math.max(1, items), 1, 1];
  const y = Math.ceil(items / MAX_GROUPS);
  return [Math.ceil(items / y), y, 1];
}
