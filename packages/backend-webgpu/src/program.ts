/// <reference types="@webgpu/types" preserve="true" />
// A program is data: the shader's cache key, its WGSL, the buffers it binds, its uniforms and
// its dispatch. The backend turns it into a queued dispatch; pipelines are cached by key, so
// the WGSL text is only generated the first time a key is seen.
import type { DType } from '@tensile/core';
import { uniformStruct, type Uniform } from './uniforms.js';

/** WGSL element type of a dtype's storage: float32 as f32, every other dtype one per i32 word. */
export type ElemType = 'f32' | 'i32';
export const elemOf = (dtype: DType): ElemType => (dtype === 'float32' ? 'f32' : 'i32');

/** A storage binding of a program: a name in the shader, its element type, read or write. */
export interface Binding {
  name: string;
  /** Element type; vec4<f32> for shaders that load four floats at once (aligned data). */
  type: ElemType | 'vec4<f32>';
  buffer: GPUBuffer;
  write?: boolean;
}

/** One dispatch, described as data. */
export interface Program {
  /** Identifies the WGSL: every shape or type specialisation that changes the text is in it. */
  key: string;
  /** Storage bindings, in binding order (after the uniform struct at binding 0). */
  bindings: Binding[];
  uniforms: Uniform[];
  workgroupSize: [number, number, number];
  dispatch: [number, number, number];
  /** Declarations and the body of `main` (the header of bindings and builtins is generated). */
  wgsl: () => { decls?: string; main: string };
  /**
   * The shader calls WGSL subgroup builtins: it enables the extension and `main` gets `sgid`,
   * the subgroup_invocation_id (only where the backend has `subgroups`).
   */
  subgroups?: boolean;
}

/** Helpers every shader may call: NaN/Inf tests on the bits (compilers may fold `x != x`). */
export const PRELUDE = /* wgsl */ `
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
// Through a var: a constant NaN or infinity is a WGSL compile error.
fn nan_f32() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
fn inf_f32() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }
fn max_nan(a: f32, b: f32) -> f32 { if (is_nan(a) || is_nan(b)) { return nan_f32(); } return max(a, b); }
fn min_nan(a: f32, b: f32) -> f32 { if (is_nan(a) || is_nan(b)) { return nan_f32(); } return min(a, b); }
`;

/** The full WGSL of a program. */
export function shaderSource(p: Program): string {
  const { decls = '', main } = p.wgsl();
  const binds = p.bindings.map((b, i) =>
    `@group(0) @binding(${i + 1}) var<storage, ${b.write ? 'read_write' : 'read'}> ${b.name}: array<${b.type}>;`);
  const [x, y, z] = p.workgroupSize;
  return `${p.subgroups ? 'enable subgroups;\n' : ''}${PRELUDE}
${uniformStruct(p.uniforms)}
@group(0) @binding(0) var<uniform> u: Uniforms;
${binds.join('\n')}
${decls}
@compute @workgroup_size(${x}, ${y}, ${z})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lidx: u32${p.subgroups ? ', @builtin(subgroup_invocation_id) sgid: u32' : ''}) {
${main}
}`;
}

/** Largest workgroup count per dispatch dimension (WebGPU's default limit). */
export const MAX_GROUPS = 65535;

/**
 * A 1-D grid of `n` invocations in workgroups of `wg`, folded into x and y when it exceeds
 * the per-dimension limit. Shaders recover the flat index with `FLAT_INDEX`.
 */
export function grid1d(n: number, wg = 256): [number, number, number] {
  const groups = Math.max(1, Math.ceil(n / wg));
  if (groups <= MAX_GROUPS) return [groups, 1, 1];
  const y = Math.ceil(groups / MAX_GROUPS);
  return [Math.ceil(groups / y), y, 1];
}

/** WGSL for the flat invocation index of a `grid1d` dispatch with workgroups of `wg`. */
export const flatIndex = (wg = 256): string => `gid.x + gid.y * nwg.x * ${wg}u`;

/** WGSL declaring `idx`, the flat index of a `grid1d` dispatch, and returning past `u.n` elements. */
export const flatGuard = (wg = 256): string => `let idx = ${flatIndex(wg)};
if (idx >= u.n) { return; }`;

/**
 * WGSL splitting `idx` over an [outer, len, inner] view of a row-major shape (an axis and the
 * dims around it): declares `o`, `${axis}` (the coordinate along the axis) and `i`.
 */
export const axisCoords = (len: string, inner: string, axis = 'j'): string => `let i = idx % ${inner};
let ${axis} = (idx / ${inner}) % ${len};
let o = idx / (${inner} * ${len});`;

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Strides of `inShape` read at the coordinates of `outShape` (numpy broadcasting: 0 on repeated dims). */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const st = stridesOf(inShape);
  const off = outShape.length - inShape.length;
  return outShape.map((_, d) => (d < off || inShape[d - off] === 1 ? 0 : st[d - off]!));
}

/** Uniforms `${prefix}0..` holding a list of u32 values (shapes, strides). */
export const u32s = (prefix: string, values: readonly number[]): Uniform[] =>
  values.map((v, i) => [`${prefix}${i}`, 'u32', v] as const);

/**
 * WGSL that turns the flat output index `idx` into offsets of inputs read with strides held in
 * uniforms `${p}0..` (one prefix per input), given output strides in `os0..`. Declares `off_${p}`.
 */
export function offsetsCode(rank: number, prefixes: readonly string[], idx = 'idx'): string {
  const lines = prefixes.map((p) => `var off_${p} = 0u;`);
  if (rank === 0 || prefixes.length === 0) return lines.join('\n');
  lines.push(`var rem = ${idx};`);
  for (let d = 0; d < rank; d++) {
    lines.push(`{ let c = rem / u.os${d}; rem = rem - c * u.os${d};`);
    for (const p of prefixes) lines.push(`  off_${p} = off_${p} + c * u.${p}${d};`);
    lines.push('}');
  }
  return lines.join('\n');
}

/** WGSL converting an i32 expression to the stored form of `dtype` (8-bit wrap, bool 0/1). */
export function storeInt(dtype: DType, expr: string): string {
  switch (dtype) {
    case 'bool': return `select(0i, 1i, (${expr}) != 0i)`;
    case 'int8': return `(((${expr}) << 24u) >> 24u)`;
    case 'uint8': return `((${expr}) & 255i)`;
    default: return `(${expr})`;
  }
}
