// Data movement: Transpose and Slice read through strides (the elementwise path with custom
// strides), Pad writes the fill value outside the source box, and Concat copies each input
// into its slab of the output with one strided dispatch per input.
import type { KernelImpl } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { elemOf, flatGuard, grid1d, stridesOf, u32s } from '../program.js';
import { runElementwise } from './elementwise.js';
import { sizeOf } from './layout.js';

const WG = 256;

export const transpose: KernelImpl<'Transpose', WebGpuBackend> = ({ x }, { perm }, backend) => {
  const st = stridesOf(x.shape);
  const shape = perm.map((p) => x.shape[p]!);
  return runElementwise(backend, 'Transpose', [{ name: 'x', operand: x, dtype: x.dtype, strides: perm.map((p) => st[p]!) }],
    shape, x.dtype, 'out[idx] = v_x;');
};

export const slice: KernelImpl<'Slice', WebGpuBackend> = ({ x }, { begin, size, step }, backend) => {
  const st = stridesOf(x.shape);
  const offset = begin.reduce((acc, b, d) => acc + b * st[d]!, 0);
  return runElementwise(backend, 'Slice', [{ name: 'x', operand: x, dtype: x.dtype, strides: st.map((s, d) => s * step[d]!), offset }],
    size.slice(), x.dtype, 'out[idx] = v_x;');
};

export const pad: KernelImpl<'Pad', WebGpuBackend> = ({ x }, { pads, value }, backend) => {
  const shape = x.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  const out = backend.output(shape, x.dtype);
  const n = sizeOf(shape);
  if (n === 0) return out;
  const rank = shape.length;
  const T = elemOf(x.dtype);
  const inSt = stridesOf(x.shape);
  const check: string[] = [];
  for (let d = 0; d < rank; d++) {
    check.push(`{ let c = i32(rem / u.os${d}) - i32(u.lo${d}); rem = rem % u.os${d};
  if (c < 0i || c >= i32(u.sz${d})) { inside = false; } else { off = off + u32(c) * u.is${d}; } }`);
  }
  backend.run({
    key: `Pad|${T}|r${rank}`,
    bindings: [
      { name: 'x', type: T, buffer: backend.data(x).buffer },
      { name: 'out', type: T, buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: [
      ['n', 'u32', n], ['v', T, x.dtype === 'bool' ? Number(value !== 0) : value],
      ...u32s('os', stridesOf(shape)), ...u32s('lo', pads.map((p) => p[0])), ...u32s('sz', x.shape), ...u32s('is', inSt),
    ],
    workgroupSize: [WG, 1, 1],
    dispatch: grid1d(n, WG),
    wgsl: () => ({
      main: `
${flatGuard(WG)}
var rem = idx;
var off = 0u;
var inside = true;
${check.join('\n')}
if (inside) { out[idx] = x[off]; } else { out[idx] = u.v; }`,
    }),
  });
  return out;
};

export const concat: KernelImpl<'Concat', WebGpuBackend> = ({ xs }, { axis }, backend) => {
  const first = xs[0]!;
  const shape = first.shape.slice();
  shape[axis] = xs.reduce((a, t) => a + t.shape[axis]!, 0);
  const out = backend.output(shape, first.dtype);
  if (sizeOf(shape) === 0) return out;
  const T = elemOf(first.dtype);
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const rowOut = shape[axis]! * inner;
  let at = 0;
  for (const t of xs) {
    const rowIn = t.shape[axis]! * inner;
    const n = outer * rowIn;
    if (n > 0) {
      if (outer === 1) {
        // One contiguous slab: a plain buffer copy.
        backend.copy(backend.data(t).buffer, 0, backend.data(out).buffer, at * 4, n * 4);
      } else {
        backend.run({
          key: `Concat|${T}`,
          bindings: [
            { name: 'x', type: T, buffer: backend.data(t).buffer },
            { name: 'out', type: T, buffer: backend.data(out).buffer, write: true },
          ],
          uniforms: [['n', 'u32', n], ['rowIn', 'u32', rowIn], ['rowOut', 'u32', rowOut], ['at', 'u32', at]],
          workgroupSize: [WG, 1, 1],
          dispatch: grid1d(n, WG),
          wgsl: () => ({
            main: `
${flatGuard(WG)}
let o = idx / u.rowIn;
out[o * u.rowOut + u.at + (idx - o * u.rowIn)] = x[idx];`,
          }),
        });
      }
    }
    at += rowIn;
  }
  return out;
};
