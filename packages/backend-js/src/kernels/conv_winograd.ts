// Winograd F(2x2, 3x3) for stride-1, undilated 3x3 convolutions (Lavin & Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2016): each 2x2 output tile costs 16
// multiplies per (filter, channel) pair instead of 36, as 16 independent gemms
//   M[xi] = U[xi] (filters x channels) · V[xi] (channels x tiles),
// between a transform of 4x4 input tiles (V = B^T d B) and of the filters (U = G g G^T) and
// one back to 2x2 outputs (Y = A^T M A). The transforms' coefficients are 0, ±1 and ±1/2,
// so the result stays within a few float32 ulps of the direct sum.
import type { ConvSpec, FilterReader } from './conv_implicit.js';
import { padPlanes } from './conv_implicit.js';
import { gemm } from './gemm.js';

/** Whether Winograd applies and pays off: 3x3, stride 1, no dilation, enough channels to amortise the transforms. */
export function useWinograd(s: ConvSpec): boolean {
  const cpg = s.inC / s.groups, opg = s.outC / s.groups;
  return s.kh === 3 && s.kw === 3 && s.stride[0] === 1 && s.stride[1] === 1 &&
    s.dilation[0] === 1 && s.dilation[1] === 1 && cpg >= 16 && opg >= 16;
}

/** U[xi][o][c] = (G g G^T)[xi] for the group's filters. */
function transformFilters(weight: FilterReader, g: number, opg: number, cpg: number, u: Float32Array): void {
  const plane = opg * cpg;
  const gg = new Float64Array(12); // G g, 4 x 3
  for (let o = 0; o < opg; o++) {
    for (let c = 0; c < cpg; c++) {
      for (let kj = 0; kj < 3; kj++) {
        const f = g * opg + o;
        const g0 = weight(f, c, 0, kj), g1 = weight(f, c, 1, kj), g2 = weight(f, c, 2, kj);
        gg[kj] = g0;
        gg[3 + kj] = (g0 + g1 + g2) / 2;
        gg[6 + kj] = (g0 - g1 + g2) / 2;
        gg[9 + kj] = g2;
      }
      // (G g) G^T, row by row.
      for (let r = 0; r < 4; r++) {
        const a = gg[3 * r], b = gg[3 * r + 1], d = gg[3 * r + 2];
        const at = (xi: number) => xi * plane + o * cpg + c;
        u[at(4 * r)] = a;
        u[at(4 * r + 1)] = (a + b + d) / 2;
        u[at(4 * r + 2)] = (a - b + d) / 2;
        u[at(4 * r + 3)] = d;
      }
    }
  }
}

/** V[xi][c][col0 + tile] = (B^T d B)[xi] for every 4x4 tile d of the padded planes xp. */
function transformInput(
  xp: Float64Array, cpg: number, hp: number, wp: number, tr: number, tc: number,
  v: Float32Array, ld: number, col0: number,
): void {
  const xiStride = cpg * ld;
  for (let c = 0; c < cpg; c++) {
    let o = c * ld + col0;
    for (let ty = 0; ty < tr; ty++) {
      for (let tx = 0; tx < tc; tx++, o++) {
        let s = (c * hp + 2 * ty) * wp + 2 * tx;
        const d00 = xp[s], d01 = xp[s + 1], d02 = xp[s + 2], d03 = xp[s + 3];
        s += wp;
        const d10 = xp[s], d11 = xp[s + 1], d12 = xp[s + 2], d13 = xp[s + 3];
        s += wp;
        const d20 = xp[s], d21 = xp[s + 1], d22 = xp[s + 2], d23 = xp[s + 3];
        s += wp;
        const d30 = xp[s], d31 = xp[s + 1], d32 = xp[s + 2], d33 = xp[s + 3];
        // B^T d: rows (d0 - d2, d1 + d2, d2 - d1, d1 - d3).
        const t00 = d00 - d20, t01 = d01 - d21, t02 = d02 - d22, t03 = d03 - d23;
        const t10 = d10 + d20, t11 = d11 + d21, t12 = d12 + d22, t13 = d13 + d23;
        const t20 = d20 - d10, t21 = d21 - d11, t22 = d22 - d12, t23 = d23 - d13;
        const t30 = d10 - d30, t31 = d11 - d31, t32 = d12 - d32, t33 = d13 - d33;
        // (B^T d) B: the same combination of columns.
        let q = o;
        v[q] = t00 - t02; v[(q += xiStride)] = t01 + t02; v[(q += xiStride)] = t02 - t01; v[(q += xiStride)] = t01 - t03;
        v[(q += xiStride)] = t10 - t12; v[(q += xiStride)] = t11 + t12; v[(q += xiStride)] = t12 - t11; v[(q += xiStride)] = t11 - t13;
        v[(q += xiStride)] = t20 - t22; v[(q += xiStride)] = t21 + t22; v[(q += xiStride)] = t22 - t21; v[(q += xiStride)] = t21 - t23;
        v[(q += xiStride)] = t30 - t32; v[(q += xiStride)] = t31 + t32; v[(q += xiStride)] = t32 - t31; v[(q += xiStride)] = t31 - t33;
      }
    }
  }
}

/** Y = A^T M A for each tile of one image, written to out (2x2 per tile, clipped at the edges). */
function transformOutput(
  m: Float32Array, opg: number, ld: number, col0: number, tr: number, tc: number,
  out: Float32Array, outOff: number, outH: number, outW: number,
): void {
  const xiStride = opg * ld;
  const hw = outH * outW;
  for (let f = 0; f < opg; f++) {
    let q0 = f * ld + col0;
    for (let ty = 0; ty < tr; ty++) {
      for (let tx = 0; tx < tc; tx++, q0++) {
        let q = q0;
        const m00 = m[q], m01 = m[(q += xiStride)], m02 = m[(q += xiStride)], m03 = m[(q += xiStride)];
        const m10 = m[(q += xiStride)], m11 = m[(q += xiStride)], m12 = m[(q += xiStride)], m13 = m[(q += xiStride)];
        const m20 = m[(q += xiStride)], m21 = m[(q += xiStride)], m22 = m[(q += xiStride)], m23 = m[(q += xiStride)];
        const m30 = m[(q += xiStride)], m31 = m[(q += xiStride)], m32 = m[(q += xiStride)], m33 = m[(q += xiStride)];
        // A^T M: rows (m0 + m1 + m2, m1 - m2 - m3); then the same on columns.
        const a0 = m00 + m10 + m20, a1 = m01 + m11 + m21, a2 = m02 + m12 + m22, a3 = m03 + m13 + m23;
        const b0 = m10 - m20 - m30, b1 = m11 - m21 - m31, b2 = m12 - m22 - m32, b3 = m13 - m23 - m33;
        const oy = 2 * ty, ox = 2 * tx;
        const o = outOff + f * hw + oy * outW + ox;
        const right = ox + 1 < outW, down = oy + 1 < outH;
        out[o] = a0 + a1 + a2;
        if (right) out[o + 1] = a1 - a2 - a3;
        if (down) {
          out[o + outW] = b0 + b1 + b2;
          if (right) out[o + outW + 1] = b1 - b2 - b3;
        }
      }
    }
  }
}

/** Runs spec's (3x3, stride 1) convolution of x with `weight` into out, as Winograd F(2x2, 3x3). */
export function winogradConv(x: Float32Array, s: ConvSpec, weight: FilterReader, out: Float32Array): void {
  const cpg = s.inC / s.groups, opg = s.outC / s.groups;
  const tr = Math.ceil(s.outH / 2), tc = Math.ceil(s.outW / 2), tiles = tr * tc;
  if (out.length === 0 || tiles === 0) return;
  const hp = 2 * tr + 2, wp = 2 * tc + 2;
  const xp = new Float64Array(cpg * hp * wp);
  // Images per batch of tiles, bounded to ~16 MB for V and for M.
  const nb = Math.max(1, Math.min(s.n, Math.floor((1 << 22) / (16 * Math.max(cpg, opg) * tiles))));
  const u = new Float32Array(16 * opg * cpg);
  const v = new Float32Array(16 * cpg * nb * tiles);
  const m = new Float32Array(16 * opg * nb * tiles);
  for (let g = 0; g < s.groups; g++) {
    transformFilters(weight, g, opg, cpg, u);
    for (let n0 = 0; n0 < s.n; n0 += nb) {
      const cur = Math.min(nb, s.n - n0);
      const ld = cur * tiles;
      for (let t = 0; t < cur; t++) {
        padPlanes(x, ((n0 + t) * s.inC + g * cpg) * s.h * s.w, cpg, s.h, s.w, xp, hp, wp, s.padTop, s.padLeft);
        transformInput(xp, cpg, hp, wp, tr, tc, v, ld, t * tiles);
      }
      for (let xi = 0; xi < 16; xi++) {
        const U = { data: u, offset: xi * opg * cpg, rowStride: cpg, colStride: 1 };
        const V = { data: v, offset: xi * cpg * ld, rowStride: ld, colStride: 1 };
        gemm(opg, ld, cpg, U, V, m, xi * opg * ld, ld, false);
      }
      for (let t = 0; t < cur; t++) {
        transformOutput(m, opg, ld, t * tiles, tr, tc, out, ((n0 + t) * s.outC + g * opg) * s.outH * s.outW, s.outH, s.outW);
      }
    }
  }
}
