// Implicit-GEMM convolution: the products of im2col + gemm without building the column
// matrix. Each image's channel group is copied once into a zero-padded Float64 buffer; a
// column of the virtual column matrix is then "a base offset + a tap offset" into it, so
// the micro-kernels read the input directly. One kernel shape serves both directions:
//   forward:     out[o, pos] = sum_tap  w[o, tap]  * x[base(pos) + off(tap)]
//   filter grad: dw[o, tap]  = sum_pos  dy[o, pos] * x[base(pos) + off(tap)]
// i.e. acc[r][q] = sum_k a[k][r] * x[col_q + iter_k] with (col, iter) = (base, off) or
// (off, base). Rows are output channels in panels of 8 (or 6, so LeNet's 6 filters waste
// nothing), columns come 8 at a time.

const NR = 8;
const tile = new Float64Array(8 * NR);

/** A convolution's geometry, as the implicit GEMM sees it. */
export interface ConvSpec {
  n: number;
  inC: number;
  h: number;
  w: number;
  outC: number;
  groups: number;
  kh: number;
  kw: number;
  stride: readonly [number, number];
  dilation: readonly [number, number];
  /** Where input row/column 0 lands in the padded image (negative crops). */
  padTop: number;
  padLeft: number;
  outH: number;
  outW: number;
}

/**
 * Reads the filter: output channel `o` (global), input channel `c` within its group, tap
 * (ki, kj). A function, so the input gradient can run a flipped, transposed filter.
 */
export type FilterReader = (o: number, c: number, ki: number, kj: number) => number;

/**
 * The micro-kernels, for R = 8 or 6 rows: for each column j < nCols, 8 at a time,
 *   out[oo + r * ld + j] += sum_{k < len} ap[ao + k * R + r] * xp[cols[j] + iter[k]]
 * for r < rows. `cols` is padded to a multiple of 8 with valid offsets. Accumulating into
 * a zeroed output keeps one store path.
 */
type Kernel = (
  len: number, ap: Float64Array, ao: number, iter: Int32Array, xp: Float64Array,
  cols: Int32Array, nCols: number, out: Float32Array, oo: number, ld: number, rows: number,
) => void;

/** Rows per panel for m output channels: 6 when that tiles m exactly and 8 does not. */
function panelRows(m: number): number {
  return m % 8 !== 0 && m % 6 === 0 ? 6 : 8;
}

/** Adds the valid rows x cols corner of the tile into out (partial blocks). */
function addTile(out: Float32Array, o: number, ld: number, rows: number, cols: number): void {
  const t = tile;
  for (let r = 0; r < rows; r++, o += ld) {
    for (let q = 0; q < cols; q++) out[o + q] += t[r * NR + q];
  }
}

/** `values` padded to a multiple of 8 by repeating its last entry (a valid offset). */
function padToBlock(values: Int32Array): Int32Array {
  const out = new Int32Array(Math.ceil(values.length / NR) * NR);
  out.set(values);
  out.fill(values[values.length - 1] ?? 0, values.length);
  return out;
}

/** Padded-image geometry: the extent the output needs, tap offsets and position bases. */
function layout(s: ConvSpec) {
  const [sh, sw] = s.stride;
  const [dh, dw] = s.dilation;
  const hp = (s.outH - 1) * sh + (s.kh - 1) * dh + 1;
  const wp = (s.outW - 1) * sw + (s.kw - 1) * dw + 1;
  const cpg = s.inC / s.groups;
  const taps = cpg * s.kh * s.kw;
  const tapOff = new Int32Array(taps);
  for (let c = 0, t = 0; c < cpg; c++) {
    for (let ki = 0; ki < s.kh; ki++) {
      for (let kj = 0; kj < s.kw; kj++, t++) tapOff[t] = (c * hp + ki * dh) * wp + kj * dw;
    }
  }
  const hw = s.outH * s.outW;
  const base = new Int32Array(hw);
  for (let oh = 0, p = 0; oh < s.outH; oh++) {
    for (let ow = 0; ow < s.outW; ow++, p++) base[p] = oh * sh * wp + ow * sw;
  }
  return { hp, wp, cpg, opg: s.outC / s.groups, taps, tapOff, hw, base, xp: new Float64Array(cpg * hp * wp) };
}

/**
 * Copies `channels` planes (h x w) from src at `off` into xp as hp x wp planes shifted by
 * (top, left); everything else in xp is 0.
 */
export function padPlanes(
  src: Float32Array, off: number, channels: number, h: number, w: number,
  xp: Float64Array, hp: number, wp: number, top: number, left: number,
): void {
  xp.fill(0);
  const j0 = Math.max(0, -left), j1 = Math.min(w, wp - left);
  for (let c = 0; c < channels; c++) {
    for (let i = Math.max(0, -top); i < Math.min(h, hp - top); i++) {
      const s = off + (c * h + i) * w, d = (c * hp + i + top) * wp + left;
      for (let j = j0; j < j1; j++) xp[d + j] = src[s + j];
    }
  }
}

/** Rows of one group as zero-padded panels: ap[(panel * len + k) * R + r] = value(panel * R + r, k). */
function packPanels(rows: number, len: number, R: number, value: (row: number, k: number) => number, ap: Float64Array): void {
  const panels = Math.ceil(rows / R);
  for (let p = 0; p < panels; p++) {
    for (let k = 0; k < len; k++) {
      const o = (p * len + k) * R;
      for (let r = 0; r < R; r++) ap[o + r] = p * R + r < rows ? value(p * R + r, k) : 0;
    }
  }
}

/** packPanels for rows of a row-major matrix at `off` (the hot case: no callback per element). */
function packMatrix(src: Float32Array, off: number, rows: number, len: number, R: number, ap: Float64Array): void {
  const panels = Math.ceil(rows / R);
  ap.fill(0, 0, panels * len * R);
  for (let row = 0; row < rows; row++) {
    const r = row % R;
    let o = Math.floor(row / R) * len * R + r;
    const start = off + row * len;
    for (let k = 0; k < len; k++) {
      ap[o] = src[start + k];
      o += R;
    }
  }
}

/** Runs spec's convolution of x [n, inC, h, w] with `weight` into out [n, outC, outH, outW]. */
export function implicitConv(x: Float32Array, s: ConvSpec, weight: FilterReader, out: Float32Array): void {
  if (out.length === 0) return;
  const L = layout(s);
  const { cpg, opg, taps, tapOff, hw, base, xp } = L;
  const R = panelRows(opg);
  const kernel: Kernel = R === 8 ? kernel8 : kernel6;
  const panels = Math.ceil(opg / R);
  const wts = new Float64Array(panels * taps * R);
  const bases = padToBlock(base);
  const kk = s.kh * s.kw;
  for (let g = 0; g < s.groups; g++) {
    packPanels(opg, taps, R, (o, t) => weight(g * opg + o, Math.floor(t / kk), Math.floor((t % kk) / s.kw), t % s.kw), wts);
    for (let i = 0; i < s.n; i++) {
      padPlanes(x, (i * s.inC + g * cpg) * s.h * s.w, cpg, s.h, s.w, xp, L.hp, L.wp, s.padTop, s.padLeft);
      for (let p = 0; p < panels; p++) {
        const rows = Math.min(R, opg - p * R);
        kernel(taps, wts, p * taps * R, tapOff, xp, bases, hw, out, (i * s.outC + g * opg + p * R) * hw, hw, rows);
      }
    }
  }
}

/**
 * Gradient of spec's convolution with respect to its filter: x [n, inC, h, w] and
 * dy [n, outC, outH, outW] -> dw [outC, inC / groups, kh, kw].
 */
export function implicitFilterGrad(x: Float32Array, dy: Float32Array, s: ConvSpec, dw: Float32Array): void {
  if (dw.length === 0 || s.outH * s.outW === 0) return; // no output positions: dw stays 0
  const L = layout(s);
  const { cpg, opg, taps, tapOff, hw, base, xp } = L;
  const R = panelRows(opg);
  const kernel: Kernel = R === 8 ? kernel8 : kernel6;
  const panels = Math.ceil(opg / R);
  const grads = new Float64Array(panels * hw * R);
  const offsets = padToBlock(tapOff);
  for (let g = 0; g < s.groups; g++) {
    for (let i = 0; i < s.n; i++) {
      padPlanes(x, (i * s.inC + g * cpg) * s.h * s.w, cpg, s.h, s.w, xp, L.hp, L.wp, s.padTop, s.padLeft);
      const dyOff = (i * s.outC + g * opg) * hw;
      packMatrix(dy, dyOff, opg, hw, R, grads);
      for (let p = 0; p < panels; p++) {
        const rows = Math.min(R, opg - p * R);
        kernel(hw, grads, p * hw * R, base, xp, offsets, taps, dw, (g * opg + p * R) * taps, taps, rows);
      }
    }
  }
}

/** The 8-row micro-kernel (see `Kernel`). */
function kernel8(
  len: number, ap: Float64Array, ao: number, iter: Int32Array, xp: Float64Array,
  cols: Int32Array, nCols: number, out: Float32Array, oo: number, ld: number, rows: number,
): void {
  for (let j = 0; j < nCols; j += 8) {
    const c0 = cols[j], c1 = cols[j + 1], c2 = cols[j + 2], c3 = cols[j + 3];
    const c4 = cols[j + 4], c5 = cols[j + 5], c6 = cols[j + 6], c7 = cols[j + 7];
    let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s04 = 0, s05 = 0, s06 = 0, s07 = 0;
    let s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0, s16 = 0, s17 = 0;
    let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s24 = 0, s25 = 0, s26 = 0, s27 = 0;
    let s30 = 0, s31 = 0, s32 = 0, s33 = 0, s34 = 0, s35 = 0, s36 = 0, s37 = 0;
    let s40 = 0, s41 = 0, s42 = 0, s43 = 0, s44 = 0, s45 = 0, s46 = 0, s47 = 0;
    let s50 = 0, s51 = 0, s52 = 0, s53 = 0, s54 = 0, s55 = 0, s56 = 0, s57 = 0;
    let s60 = 0, s61 = 0, s62 = 0, s63 = 0, s64 = 0, s65 = 0, s66 = 0, s67 = 0;
    let s70 = 0, s71 = 0, s72 = 0, s73 = 0, s74 = 0, s75 = 0, s76 = 0, s77 = 0;
    let a = ao;
    for (let k = 0; k < len; k++) {
      const i = iter[k];
      const x0 = xp[c0 + i], x1 = xp[c1 + i], x2 = xp[c2 + i], x3 = xp[c3 + i];
      const x4 = xp[c4 + i], x5 = xp[c5 + i], x6 = xp[c6 + i], x7 = xp[c7 + i];
      const a0 = ap[a + 0];
      s00 += a0 * x0; s01 += a0 * x1; s02 += a0 * x2; s03 += a0 * x3; s04 += a0 * x4; s05 += a0 * x5; s06 += a0 * x6; s07 += a0 * x7;
      const a1 = ap[a + 1];
      s10 += a1 * x0; s11 += a1 * x1; s12 += a1 * x2; s13 += a1 * x3; s14 += a1 * x4; s15 += a1 * x5; s16 += a1 * x6; s17 += a1 * x7;
      const a2 = ap[a + 2];
      s20 += a2 * x0; s21 += a2 * x1; s22 += a2 * x2; s23 += a2 * x3; s24 += a2 * x4; s25 += a2 * x5; s26 += a2 * x6; s27 += a2 * x7;
      const a3 = ap[a + 3];
      s30 += a3 * x0; s31 += a3 * x1; s32 += a3 * x2; s33 += a3 * x3; s34 += a3 * x4; s35 += a3 * x5; s36 += a3 * x6; s37 += a3 * x7;
      const a4 = ap[a + 4];
      s40 += a4 * x0; s41 += a4 * x1; s42 += a4 * x2; s43 += a4 * x3; s44 += a4 * x4; s45 += a4 * x5; s46 += a4 * x6; s47 += a4 * x7;
      const a5 = ap[a + 5];
      s50 += a5 * x0; s51 += a5 * x1; s52 += a5 * x2; s53 += a5 * x3; s54 += a5 * x4; s55 += a5 * x5; s56 += a5 * x6; s57 += a5 * x7;
      const a6 = ap[a + 6];
      s60 += a6 * x0; s61 += a6 * x1; s62 += a6 * x2; s63 += a6 * x3; s64 += a6 * x4; s65 += a6 * x5; s66 += a6 * x6; s67 += a6 * x7;
      const a7 = ap[a + 7];
      s70 += a7 * x0; s71 += a7 * x1; s72 += a7 * x2; s73 += a7 * x3; s74 += a7 * x4; s75 += a7 * x5; s76 += a7 * x6; s77 += a7 * x7;
      a += 8;
    }
    if (rows === 8 && j + 8 <= nCols) {
      let o = oo + j; out[o + 0] += s00; out[o + 1] += s01; out[o + 2] += s02; out[o + 3] += s03; out[o + 4] += s04; out[o + 5] += s05; out[o + 6] += s06; out[o + 7] += s07;
      o += ld; out[o + 0] += s10; out[o + 1] += s11; out[o + 2] += s12; out[o + 3] += s13; out[o + 4] += s14; out[o + 5] += s15; out[o + 6] += s16; out[o + 7] += s17;
      o += ld; out[o + 0] += s20; out[o + 1] += s21; out[o + 2] += s22; out[o + 3] += s23; out[o + 4] += s24; out[o + 5] += s25; out[o + 6] += s26; out[o + 7] += s27;
      o += ld; out[o + 0] += s30; out[o + 1] += s31; out[o + 2] += s32; out[o + 3] += s33; out[o + 4] += s34; out[o + 5] += s35; out[o + 6] += s36; out[o + 7] += s37;
      o += ld; out[o + 0] += s40; out[o + 1] += s41; out[o + 2] += s42; out[o + 3] += s43; out[o + 4] += s44; out[o + 5] += s45; out[o + 6] += s46; out[o + 7] += s47;
      o += ld; out[o + 0] += s50; out[o + 1] += s51; out[o + 2] += s52; out[o + 3] += s53; out[o + 4] += s54; out[o + 5] += s55; out[o + 6] += s56; out[o + 7] += s57;
      o += ld; out[o + 0] += s60; out[o + 1] += s61; out[o + 2] += s62; out[o + 3] += s63; out[o + 4] += s64; out[o + 5] += s65; out[o + 6] += s66; out[o + 7] += s67;
      o += ld; out[o + 0] += s70; out[o + 1] += s71; out[o + 2] += s72; out[o + 3] += s73; out[o + 4] += s74; out[o + 5] += s75; out[o + 6] += s76; out[o + 7] += s77;
    } else {
      const t = tile;
      t[0] = s00; t[1] = s01; t[2] = s02; t[3] = s03; t[4] = s04; t[5] = s05; t[6] = s06; t[7] = s07;
      t[8] = s10; t[9] = s11; t[10] = s12; t[11] = s13; t[12] = s14; t[13] = s15; t[14] = s16; t[15] = s17;
      t[16] = s20; t[17] = s21; t[18] = s22; t[19] = s23; t[20] = s24; t[21] = s25; t[22] = s26; t[23] = s27;
      t[24] = s30; t[25] = s31; t[26] = s32; t[27] = s33; t[28] = s34; t[29] = s35; t[30] = s36; t[31] = s37;
      t[32] = s40; t[33] = s41; t[34] = s42; t[35] = s43; t[36] = s44; t[37] = s45; t[38] = s46; t[39] = s47;
      t[40] = s50; t[41] = s51; t[42] = s52; t[43] = s53; t[44] = s54; t[45] = s55; t[46] = s56; t[47] = s57;
      t[48] = s60; t[49] = s61; t[50] = s62; t[51] = s63; t[52] = s64; t[53] = s65; t[54] = s66; t[55] = s67;
      t[56] = s70; t[57] = s71; t[58] = s72; t[59] = s73; t[60] = s74; t[61] = s75; t[62] = s76; t[63] = s77;
      addTile(out, oo + j, ld, rows, Math.min(8, nCols - j));
    }
  }
}


/** The 6-row micro-kernel (see `Kernel`). */
function kernel6(
  len: number, ap: Float64Array, ao: number, iter: Int32Array, xp: Float64Array,
  cols: Int32Array, nCols: number, out: Float32Array, oo: number, ld: number, rows: number,
): void {
  for (let j = 0; j < nCols; j += 8) {
    const c0 = cols[j], c1 = cols[j + 1], c2 = cols[j + 2], c3 = cols[j + 3];
    const c4 = cols[j + 4], c5 = cols[j + 5], c6 = cols[j + 6], c7 = cols[j + 7];
    let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s04 = 0, s05 = 0, s06 = 0, s07 = 0;
    let s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0, s16 = 0, s17 = 0;
    let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s24 = 0, s25 = 0, s26 = 0, s27 = 0;
    let s30 = 0, s31 = 0, s32 = 0, s33 = 0, s34 = 0, s35 = 0, s36 = 0, s37 = 0;
    let s40 = 0, s41 = 0, s42 = 0, s43 = 0, s44 = 0, s45 = 0, s46 = 0, s47 = 0;
    let s50 = 0, s51 = 0, s52 = 0, s53 = 0, s54 = 0, s55 = 0, s56 = 0, s57 = 0;
    let a = ao;
    for (let k = 0; k < len; k++) {
      const i = iter[k];
      const x0 = xp[c0 + i], x1 = xp[c1 + i], x2 = xp[c2 + i], x3 = xp[c3 + i];
      const x4 = xp[c4 + i], x5 = xp[c5 + i], x6 = xp[c6 + i], x7 = xp[c7 + i];
      const a0 = ap[a + 0];
      s00 += a0 * x0; s01 += a0 * x1; s02 += a0 * x2; s03 += a0 * x3; s04 += a0 * x4; s05 += a0 * x5; s06 += a0 * x6; s07 += a0 * x7;
      const a1 = ap[a + 1];
      s10 += a1 * x0; s11 += a1 * x1; s12 += a1 * x2; s13 += a1 * x3; s14 += a1 * x4; s15 += a1 * x5; s16 += a1 * x6; s17 += a1 * x7;
      const a2 = ap[a + 2];
      s20 += a2 * x0; s21 += a2 * x1; s22 += a2 * x2; s23 += a2 * x3; s24 += a2 * x4; s25 += a2 * x5; s26 += a2 * x6; s27 += a2 * x7;
      const a3 = ap[a + 3];
      s30 += a3 * x0; s31 += a3 * x1; s32 += a3 * x2; s33 += a3 * x3; s34 += a3 * x4; s35 += a3 * x5; s36 += a3 * x6; s37 += a3 * x7;
      const a4 = ap[a + 4];
      s40 += a4 * x0; s41 += a4 * x1; s42 += a4 * x2; s43 += a4 * x3; s44 += a4 * x4; s45 += a4 * x5; s46 += a4 * x6; s47 += a4 * x7;
      const a5 = ap[a + 5];
      s50 += a5 * x0; s51 += a5 * x1; s52 += a5 * x2; s53 += a5 * x3; s54 += a5 * x4; s55 += a5 * x5; s56 += a5 * x6; s57 += a5 * x7;
      a += 6;
    }
    if (rows === 6 && j + 8 <= nCols) {
      let o = oo + j; out[o + 0] += s00; out[o + 1] += s01; out[o + 2] += s02; out[o + 3] += s03; out[o + 4] += s04; out[o + 5] += s05; out[o + 6] += s06; out[o + 7] += s07;
      o += ld; out[o + 0] += s10; out[o + 1] += s11; out[o + 2] += s12; out[o + 3] += s13; out[o + 4] += s14; out[o + 5] += s15; out[o + 6] += s16; out[o + 7] += s17;
      o += ld; out[o + 0] += s20; out[o + 1] += s21; out[o + 2] += s22; out[o + 3] += s23; out[o + 4] += s24; out[o + 5] += s25; out[o + 6] += s26; out[o + 7] += s27;
      o += ld; out[o + 0] += s30; out[o + 1] += s31; out[o + 2] += s32; out[o + 3] += s33; out[o + 4] += s34; out[o + 5] += s35; out[o + 6] += s36; out[o + 7] += s37;
      o += ld; out[o + 0] += s40; out[o + 1] += s41; out[o + 2] += s42; out[o + 3] += s43; out[o + 4] += s44; out[o + 5] += s45; out[o + 6] += s46; out[o + 7] += s47;
      o += ld; out[o + 0] += s50; out[o + 1] += s51; out[o + 2] += s52; out[o + 3] += s53; out[o + 4] += s54; out[o + 5] += s55; out[o + 6] += s56; out[o + 7] += s57;
    } else {
      const t = tile;
      t[0] = s00; t[1] = s01; t[2] = s02; t[3] = s03; t[4] = s04; t[5] = s05; t[6] = s06; t[7] = s07;
      t[8] = s10; t[9] = s11; t[10] = s12; t[11] = s13; t[12] = s14; t[13] = s15; t[14] = s16; t[15] = s17;
      t[16] = s20; t[17] = s21; t[18] = s22; t[19] = s23; t[20] = s24; t[21] = s25; t[22] = s26; t[23] = s27;
      t[24] = s30; t[25] = s31; t[26] = s32; t[27] = s33; t[28] = s34; t[29] = s35; t[30] = s36; t[31] = s37;
      t[32] = s40; t[33] = s41; t[34] = s42; t[35] = s43; t[36] = s44; t[37] = s45; t[38] = s46; t[39] = s47;
      t[40] = s50; t[41] = s51; t[42] = s52; t[43] = s53; t[44] = s54; t[45] = s55; t[46] = s56; t[47] = s57;
      addTile(out, oo + j, ld, rows, Math.min(8, nCols - j));
    }
  }
}
