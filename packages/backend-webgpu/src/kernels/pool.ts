// Pool2D and Pool2DGrad. Window geometry (which taps land inside the input, and the padded
// count PyTorch's count_include_pad divides by) is computed per window in the shader, the way
// backend-js's pool_windows does it. The gradient gathers instead of scattering: each input
// cell sums the share of every window that holds it (max/min: only the window's first extreme).
import type { KernelImpl, PoolAttrs } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { flatIndex, grid1d } from '../program.js';
import type { Uniform } from '../uniforms.js';
import { sizeOf } from './layout.js';

const WG = 256;

const POOL_WGSL = /* wgsl */ `
// Taps [lo, hi) of window o inside [0, size), and the taps inside the padded extent.
fn window(o: i32, size: i32, k: i32, stride: i32, padB: i32, padA: i32, d: i32) -> vec4<i32> {
  let s = o * stride - padB;
  var lo = 0i;
  if (s < 0i) { lo = min(k, (-s + d - 1i) / d); }
  var hi = 0i;
  let last = size - 1i - s;
  if (last >= 0i) { hi = min(k, last / d + 1i); }
  hi = max(lo, hi);
  var padded = 0i;
  let lastP = size + padA - 1i - s;
  if (lastP >= 0i) { padded = min(k, lastP / d + 1i); }
  return vec4<i32>(s, lo, hi, padded);
}
// Flat index (h * W + w) of the first max (sign 1) or min (sign -1) of a window; -1 if empty.
fn extreme(plane: u32, wh: vec4<i32>, ww: vec4<i32>, sign: f32) -> i32 {
  var best = 0.0;
  var idx = -1i;
  for (var ki = wh.y; ki < wh.z; ki = ki + 1i) {
    let row = (wh.x + ki * u.DH) * i32(u.W) + ww.x;
    for (var kj = ww.y; kj < ww.z; kj = kj + 1i) {
      let at = row + kj * u.DW;
      let v = sign * x[plane + u32(at)];
      if (idx < 0i || (!is_nan(best) && (is_nan(v) || v > best))) { best = v; idx = at; }
    }
  }
  return idx;
}
fn count(wh: vec4<i32>, ww: vec4<i32>) -> i32 {
  if (u.INCLUDE_PAD != 0u) { return wh.w * ww.w; }
  return (wh.z - wh.y) * (ww.z - ww.y);
}
fn win_h(oh: i32) -> vec4<i32> { return window(oh, i32(u.H), u.KH, u.SH, u.PT, u.PB, u.DH); }
fn win_w(ow: i32) -> vec4<i32> { return window(ow, i32(u.W), u.KW, u.SW, u.PL, u.PR, u.DW); }
`;

function geometry(x: readonly number[], a: PoolAttrs, n: number): Uniform[] {
  return [
    ['n', 'u32', n], ['H', 'u32', x[2]!], ['W', 'u32', x[3]!], ['OH', 'u32', a.outSize[0]], ['OW', 'u32', a.outSize[1]],
    ['KH', 'i32', a.kernel[0]], ['KW', 'i32', a.kernel[1]], ['SH', 'i32', a.stride[0]], ['SW', 'i32', a.stride[1]],
    ['PT', 'i32', a.pad[0]], ['PB', 'i32', a.pad[1]], ['PL', 'i32', a.pad[2]], ['PR', 'i32', a.pad[3]],
    ['DH', 'i32', a.dilation[0]], ['DW', 'i32', a.dilation[1]], ['INCLUDE_PAD', 'u32', Number(a.countIncludePad)],
  ];
}

/** Whether max/min windows tile the input (stride = kernel, no padding or dilation: LeNet's 2x2 pools). */
const isTiling = (a: PoolAttrs): boolean => a.op !== 'avg' && a.stride[0] === a.kernel[0] && a.stride[1] === a.kernel[1]
  && a.pad.every((p) => p === 0) && a.dilation[0] === 1 && a.dilation[1] === 1;

/**
 * WGSL declaring `best` (sign times the extreme) and `arg` (its flat index in the plane) of the
 * tiling window (oh, ow), its size baked in and its taps unrolled: SwiftShader pays more for a
 * loop's control than for the few loads of a small window. The first tap, (oh * KH, ow * KW),
 * lies inside; later ones may fall past a ceil-mode edge. Ties and NaNs as `extreme`.
 */
function tilingExtreme(kh: number, kw: number, sign: string): string {
  const taps = [...Array(kh * kw).keys()].slice(1);
  return `  let h0 = oh * ${kh}i;
  let w0 = ow * ${kw}i;
  var arg = h0 * i32(u.W) + w0;
  var best = ${sign} * x[plane + u32(arg)];
${taps.map((t) => `  {
    let h = h0 + ${Math.floor(t / kw)}i;
    let w = w0 + ${t % kw}i;
    let tap = min(h, i32(u.H) - 1i) * i32(u.W) + min(w, i32(u.W) - 1i);
    let v = ${sign} * x[plane + u32(tap)];
    let take = h < i32(u.H) && w < i32(u.W) && !is_nan(best) && (is_nan(v) || v > best);
    best = select(best, v, take);
    arg = select(arg, tap, take);
  }`).join('\n')}`;
}

export const pool2d: KernelImpl<'Pool2D', WebGpuBackend> = ({ x }, attrs, backend) => {
  const [nb, c] = x.shape;
  const outShape = [nb!, c!, ...attrs.outSize];
  const dtype = attrs.indices ? 'int32' : 'float32';
  const out = backend.output(outShape, dtype);
  const n = sizeOf(outShape);
  if (n === 0) return out;
  const sign = attrs.op === 'min' ? '-1.0' : '1.0';
  const tiling = isTiling(attrs);
  let body: string;
  if (attrs.op === 'avg') {
    body = attrs.indices ? 'y[idx] = -1i;' : `
var sum = 0.0;
for (var ki = wh.y; ki < wh.z; ki = ki + 1i) {
  let row = (wh.x + ki * u.DH) * i32(u.W) + ww.x;
  for (var kj = ww.y; kj < ww.z; kj = kj + 1i) { sum = sum + x[plane + u32(row + kj * u.DW)]; }
}
let cnt = count(wh, ww);
y[idx] = select(0.0, sum / f32(cnt), cnt > 0i);`;
  } else if (tiling) {
    body = `${tilingExtreme(attrs.kernel[0], attrs.kernel[1], sign)}
y[idx] = ${attrs.indices ? 'arg' : `${sign} * best`};`;
  } else {
    body = attrs.indices
      ? `y[idx] = extreme(plane, wh, ww, ${sign});`
      : `let at = extreme(plane, wh, ww, ${sign});\ny[idx] = select(-(${sign}) * inf_f32(), x[plane + u32(max(at, 0i))], at >= 0i);`;
  }
  backend.run({
    key: `Pool2D:${attrs.op}|${attrs.indices ? 'idx' : 'val'}${tiling ? `|tiling|${attrs.kernel.join('x')}` : ''}`,
    bindings: [
      { name: 'x', type: 'f32', buffer: backend.data(x).buffer },
      { name: 'y', type: attrs.indices ? 'i32' : 'f32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: geometry(x.shape, attrs, n),
    workgroupSize: [WG, 1, 1],
    dispatch: grid1d(n, WG),
    wgsl: () => ({
      decls: POOL_WGSL,
      main: `
let idx = ${flatIndex(WG)};
if (idx >= u.n) { return; }
let ow = i32(idx % u.OW);
let oh = i32((idx / u.OW) % u.OH);
let plane = (idx / (u.OW * u.OH)) * u.H * u.W;
${tiling ? '' : 'let wh = win_h(oh);\nlet ww = win_w(ow);'}
${body}`,
    }),
  });
  return out;
};

/** The range [first, last] of window indices along an axis whose windows may hold input index i. */
const CANDIDATES = /* wgsl */ `
fn first_win(i: i32, k: i32, stride: i32, padB: i32, d: i32) -> i32 {
  // o * stride - padB + kk * d = i for some kk in [0, k): o >= (i + padB - (k - 1) d) / stride.
  let t = i + padB - (k - 1i) * d;
  if (t <= 0i) { return 0i; }
  return (t + stride - 1i) / stride;
}
`;

export const pool2dGrad: KernelImpl<'Pool2DGrad', WebGpuBackend> = ({ x, dy }, attrs, backend) => {
  const out = backend.output(x.shape.slice(), 'float32');
  const n = sizeOf(x.shape);
  if (n === 0) return out;
  const sign = attrs.op === 'min' ? '-1.0' : '1.0';
  const tiling = isTiling(attrs);
  const share = attrs.op === 'avg'
    ? `let cnt = count(wh, ww);
       if (cnt > 0i && ki >= wh.y && ki < wh.z && kj >= ww.y && kj < ww.z) { acc = acc + g / f32(cnt); }`
    : `if (extreme(plane, wh, ww, ${sign}) == at) { acc = acc + g; }`;
  const loops = `var acc = 0.0;
for (var oh = first_win(ih, u.KH, u.SH, u.PT, u.DH); oh < i32(u.OH); oh = oh + 1i) {
  let th = ih - (oh * u.SH - u.PT);
  if (th < 0i) { break; }
  if (th % u.DH != 0i) { continue; }
  let ki = th / u.DH;
  if (ki >= u.KH) { continue; }
  let wh = win_h(oh);
  for (var ow = first_win(iw, u.KW, u.SW, u.PL, u.DW); ow < i32(u.OW); ow = ow + 1i) {
    let tw = iw - (ow * u.SW - u.PL);
    if (tw < 0i) { break; }
    if (tw % u.DW != 0i) { continue; }
    let kj = tw / u.DW;
    if (kj >= u.KW) { continue; }
    let ww = win_w(ow);
    let g = dy[(p * u.OH + u32(oh)) * u.OW + u32(ow)];
    ${share}
  }
}
`;
  const [kh, kw] = attrs.kernel;
  const direct = `var acc = 0.0;
let oh = ih / ${kh}i;
let ow = iw / ${kw}i;
if (oh < i32(u.OH) && ow < i32(u.OW)) {
${tilingExtreme(kh, kw, sign)}
  if (arg == at) { acc = dy[(p * u.OH + u32(oh)) * u.OW + u32(ow)]; }
}`;
  backend.run({
    key: `Pool2DGrad:${attrs.op}${tiling ? `|tiling|${attrs.kernel.join('x')}` : ''}`,
    bindings: [
      { name: 'x', type: 'f32', buffer: backend.data(x).buffer },
      { name: 'dy', type: 'f32', buffer: backend.data(dy).buffer },
      { name: 'dx', type: 'f32', buffer: backend.data(out).buffer, write: true },
    ],
    uniforms: geometry(x.shape, attrs, n),
    workgroupSize: [WG, 1, 1],
    dispatch: grid1d(n, WG),
    wgsl: () => ({
      decls: POOL_WGSL + CANDIDATES,
      main: `
let idx = ${flatIndex(WG)};
if (idx >= u.n) { return; }
let iw = i32(idx % u.W);
let ih = i32((idx / u.W) % u.H);
let p = idx / (u.W * u.H);
let plane = p * u.H * u.W;
let at = ih * i32(u.W) + iw;
${tiling ? direct : loops}
dx[idx] = acc;`,
    }),
  });
  return out;
};
