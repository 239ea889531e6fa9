// Random: Philox-4x32-10 exactly as core's philox.ts specifies. One invocation per counter
// block of four words; 32x32->64-bit products are built from 16-bit halves (WGSL has no u64).
import type { KernelImpl } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { flatIndex, grid1d } from '../program.js';
import { EXACT_MATH_WGSL } from './exact_math.js';
import { sizeOf } from './layout.js';

const WG = 256;
const TWO_32 = 4294967296;

const PHILOX_WGSL = /* wgsl */ `
fn mulhi(a: u32, b: u32) -> u32 {
  let aL = a & 0xffffu; let aH = a >> 16u; let bL = b & 0xffffu; let bH = b >> 16u;
  let ll = aL * bL; let lh = aL * bH; let hl = aH * bL; let hh = aH * bH;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return hh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
}
fn philox(ctr: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = ctr;
  var k = key;
  for (var r = 0u; r < 10u; r = r + 1u) {
    let hi0 = mulhi(0xd2511f53u, c.x); let lo0 = 0xd2511f53u * c.x;
    let hi1 = mulhi(0xcd9e8d57u, c.z); let lo1 = 0xcd9e8d57u * c.z;
    c = vec4<u32>(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
    k = k + vec2<u32>(0x9e3779b9u, 0xbb67ae85u);
  }
  return c;
}
`;

export const random: KernelImpl<'Random', WebGpuBackend> = (_inputs, { dist, shape, seed, offset }, backend) => {
  const out = backend.output(shape.slice(), 'float32');
  const n = sizeOf(shape);
  if (n === 0) return out;
  const blocks = Math.ceil(n / 4);
  const write = dist === 'uniform'
    ? `for (var j = 0u; j < 4u; j = j + 1u) { if (e + j < u.n) { out[e + j] = f32(w[j] >> 8u) * 5.9604644775390625e-8; } }`
    : `for (var p = 0u; p < 2u; p = p + 1u) {
  let u1 = f32((w[2u * p] >> 8u) + 1u) * 5.9604644775390625e-8;
  let u2 = f32(w[2u * p + 1u] >> 8u) * 5.9604644775390625e-8;
  let r = sqrt(-2.0 * log_(u1));
  let t = 6.283185307179586 * u2;
  if (e + 2u * p < u.n) { out[e + 2u * p] = r * cos_(t); }
  if (e + 2u * p + 1u < u.n) { out[e + 2u * p + 1u] = r * sin_(t); }
}`;
  backend.run({
    key: `Random:${dist}`,
    bindings: [{ name: 'out', type: 'f32', buffer: backend.data(out).buffer, write: true }],
    uniforms: [
      ['n', 'u32', n], ['blocks', 'u32', blocks],
      ['offLo', 'u32', offset >>> 0], ['offHi', 'u32', Math.floor(offset / TWO_32) >>> 0],
      ['k0', 'u32', seed >>> 0], ['k1', 'u32', Math.floor(seed / TWO_32) >>> 0],
    ],
    workgroupSize: [WG, 1, 1],
    dispatch: grid1d(blocks, WG),
    wgsl: () => ({
      decls: PHILOX_WGSL + EXACT_MATH_WGSL,
      main: `
let b = ${flatIndex(WG)};
if (b >= u.blocks) { return; }
let lo = u.offLo + b;
let hi = u.offHi + select(0u, 1u, lo < u.offLo);
let w = philox(vec4<u32>(lo, hi, 0u, 0u), vec2<u32>(u.k0, u.k1));
let e = b * 4u;
${write}`,
    }),
  });
  return out;
};
