// Reduce (any set of axes) and ArgReduce. Reduce runs one workgroup per output element: each
// invocation folds a strided share of the reduced elements, then the workgroup combines the
// partials in workgroup memory (on CPU adapters with many outputs, one invocation per output). ArgReduce walks its axis in order (first extreme wins).
import type { KernelImpl, ReduceOp } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { elemOf, flatIndex, grid1d, u32s } from '../program.js';
import type { Uniform } from '../uniforms.js';
import { decodeCode, groupsFor, pitches, sizeOf, splitAxes } from './layout.js';

const WG = 64;

interface Fold { init: string; combine: (a: string, b: string) => string; load: (v: string) => string; acc: 'f32' | 'i32' }

function foldOf(op: ReduceOp, isFloat: boolean): Fold {
  const t = isFloat ? 'f32' : 'i32';
  const z = isFloat ? '0.0' : '0i';
  const one = isFloat ? '1.0' : '1i';
  const truthy = (v: string): string => (isFloat ? `select(0i, 1i, (bitcast<u32>(${v}) & 0x7fffffffu) != 0u)` : `select(0i, 1i, ${v} != 0i)`);
  switch (op) {
    case 'sum': return { init: z, combine: (a, b) => `${a} + ${b}`, load: (v) => v, acc: t };
    case 'mean': return { init: '0.0', combine: (a, b) => `${a} + ${b}`, load: (v) => (isFloat ? v : `f32(${v})`), acc: 'f32' };
    case 'prod': return { init: one, combine: (a, b) => `${a} * ${b}`, load: (v) => v, acc: t };
    case 'max': return isFloat
      ? { init: '-inf_f32()', combine: (a, b) => `max_nan(${a}, ${b})`, load: (v) => v, acc: 'f32' }
      : { init: '-2147483647i - 1i', combine: (a, b) => `max(${a}, ${b})`, load: (v) => v, acc: 'i32' };
    case 'min': return isFloat
      ? { init: 'inf_f32()', combine: (a, b) => `min_nan(${a}, ${b})`, load: (v) => v, acc: 'f32' }
      : { init: '2147483647i', combine: (a, b) => `min(${a}, ${b})`, load: (v) => v, acc: 'i32' };
    case 'any': return { init: '0i', combine: (a, b) => `(${a} | ${b})`, load: truthy, acc: 'i32' };
    case 'all': return { init: '1i', combine: (a, b) => `(${a} & ${b})`, load: truthy, acc: 'i32' };
  }
}

export const reduce: KernelImpl<'Reduce', WebGpuBackend> = ({ x }, { op, axes, keepDims }, backend) => {
  const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  const outDType = op === 'any' || op === 'all' ? 'bool' : op === 'mean' ? 'float32' : x.dtype;
  const out = backend.output(outShape, outDType);
  const outer = sizeOf(outShape);
  if (outer === 0) return out;
  const inner = sizeOf(axes.map((a) => x.shape[a]!));
  const { kept, reduced } = splitAxes(x.shape, axes);
  const isFloat = x.dtype === 'float32';
  const f = foldOf(op, isFloat);
  const uniforms: Uniform[] = [
    ['outer', 'u32', outer], ['inner', 'u32', inner],
    ...u32s('kp', pitches(kept.map((k) => k[0]))), ...u32s('ks', kept.map((k) => k[1])),
    ...u32s('rp', pitches(reduced.map((k) => k[0]))), ...u32s('rs', reduced.map((k) => k[1])),
  ];
  const final = op === 'mean' ? 'select(r / f32(u.inner), nan_f32(), u.inner == 0u)' : 'r';
  if (!backend.tiled && outer >= 32) {
    // CPU adapters (SwiftShader), many outputs: one invocation folds each output's elements in
    // order, with no barriers (there, the workgroup tree's seven barriers cost more than the
    // sum; a workgroup's invocations share one CPU thread anyway).
    const wg = outer >= 1024 ? 64 : 16;
    backend.run({
      key: `Reduce:${op}|${x.dtype}|k${kept.length}|r${reduced.length}|direct${wg}`,
      bindings: [
        { name: 'x', type: elemOf(x.dtype), buffer: backend.data(x).buffer },
        { name: 'out', type: elemOf(outDType), buffer: backend.data(out).buffer, write: true },
      ],
      uniforms,
      workgroupSize: [wg, 1, 1],
      dispatch: grid1d(outer, wg),
      wgsl: () => ({
        main: `
let o = ${flatIndex(wg)};
if (o >= u.outer) { return; }
var base = 0u;
${decodeCode(kept.length, 'k', 'o', 'base')}
var acc: ${f.acc} = ${f.init};
for (var i = 0u; i < u.inner; i = i + 1u) {
  var off = base;
  ${decodeCode(reduced.length, 'r', 'i', 'off')}
  let v = x[off];
  acc = ${f.combine('acc', f.load('v'))};
}
let r = acc;
out[o] = ${final};`,
      }),
    });
    return out;
  }
  backend.run({
    key: `Reduce:${op}|${x.dtype}|k${kept.length}|r${reduced.length}`,
    bindings: [
      { name: 'x', type: elemOf(x.dtype), buffer: backend.data(x).buffer },
      { name: 'out', type: elemOf(outDType), buffer: backend.data(out).buffer, write: true },
    ],
    uniforms,
    workgroupSize: [WG, 1, 1],
    dispatch: groupsFor(outer),
    wgsl: () => ({
      decls: `var<workgroup> part: array<${f.acc}, ${WG}>;`,
      main: `
let o = wid.x + wid.y * nwg.x;
if (o >= u.outer) { return; }
var base = 0u;
${decodeCode(kept.length, 'k', 'o', 'base')}
var acc: ${f.acc} = ${f.init};
for (var i = lid.x; i < u.inner; i = i + ${WG}u) {
  var off = base;
  ${decodeCode(reduced.length, 'r', 'i', 'off')}
  let v = x[off];
  acc = ${f.combine('acc', f.load('v'))};
}
part[lid.x] = acc;
workgroupBarrier();
for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
  if (lid.x < s) { part[lid.x] = ${f.combine('part[lid.x]', 'part[lid.x + s]')}; }
  workgroupBarrier();
}
if (lid.x == 0u) { let r = part[0]; out[o] = ${final}; }`,
    }),
  });
  return out;
};

export const argReduce: KernelImpl<'ArgReduce', WebGpuBackend> = ({ x }, { op, axis, keepDims }, backend) => {
  const outShape = keepDims ? x.shape.map((d, i) => (i === axis ? 1 : d)) : x.shape.filter((_, i) => i !== axis);
  const out = backend.output(outShape, 'int32');
  const n = sizeOf(outShape);
  if (n === 0) return out;
  const len = x.shape[axis]!;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const isFloat = x.dtype === 'float32';
  const better = op === 'max' ? '>' : '<';
  const WG1 = 256;
  backend.run({
    key: `ArgReduce:${op}|${x.dtype}`,
    bindings: [
      { name: 'x', type: elemOf(x.dtype), buffer: backend.data(x).buffer },
      { name: 'out', type: 'i32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [['n', 'u32', n], ['len', 'u32', len], ['inner', 'u32', inner]],
    workgroupSize: [WG1, 1, 1],
    dispatch: grid1d(n, WG1),
    wgsl: () => ({
      main: `
let idx = ${flatIndex(WG1)};
if (idx >= u.n) { return; }
let o = idx / u.inner;
let i = idx - o * u.inner;
let base = o * u.len * u.inner + i;
var best = x[base];
var bi = 0u;
for (var k = 1u; k < u.len; k = k + 1u) {
  ${isFloat ? 'if (is_nan(best)) { break; }' : ''}
  let v = x[base + k * u.inner];
  if (${isFloat ? 'is_nan(v) || ' : ''}v ${better} best) { best = v; bi = k; }
}
out[idx] = i32(bi);`,
    }),
  });
  return out;
};
