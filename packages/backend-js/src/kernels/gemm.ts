// Single-precision GEMM in plain JS, under MatMul, pointwise and Winograd convolutions and the
// strided input gradient.
// Goto-style blocking: B is packed into KC x NR panels and A into MR x KC panels (Float64,
// so the micro-kernel loads need no float32 -> float64 conversion), and an 8x8 micro-kernel
// keeps its 64 accumulators in locals. Strided views make transposes free: only packing
// reads the operands, whatever their layout. Measured ~5 GFLOP/s on one 2.6 GHz core, the
// scalar (no SIMD in JS) peak of two floating-point operations per cycle.

/** A strided matrix: element (i, j) is `data[offset + i * rowStride + j * colStride]`. */
export interface MatrixView {
  data: Float32Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

const MR = 8;
const NR = 8;
const KC = 256;
const MC = 128;
const NC = 4096;

// Packing buffers and the tile scratch are reused across calls (JS is single-threaded).
let packA = new Float64Array(0);
let packB = new Float64Array(0);
const tile = new Float64Array(MR * NR);
let rowBuf = new Float64Array(0);

/**
 * C = A · B, or C += A · B when `accumulate`: A is m x k, B is k x n, C is row-major with
 * leading dimension `ldc` starting at `cOffset`.
 */
export function gemm(
  m: number, n: number, k: number, A: MatrixView, B: MatrixView,
  C: Float32Array, cOffset: number, ldc: number, accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) for (let i = 0; i < m; i++) C.fill(0, cOffset + i * ldc, cOffset + i * ldc + n);
    return;
  }
  // One or two rows would waste most of an 8-row micro-kernel: dot products or row updates instead.
  if (m <= 2) {
    gemmFewRows(m, n, k, A, B, C, cOffset, ldc, accumulate);
    return;
  }
  const kcMax = Math.min(KC, k);
  const needA = kcMax * roundUp(Math.min(MC, m), MR);
  const needB = kcMax * roundUp(Math.min(NC, n), NR);
  if (packA.length < needA) packA = new Float64Array(needA);
  if (packB.length < needB) packB = new Float64Array(needB);
  const pa = packA, pb = packB;

  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      // Later K blocks add onto what the first one wrote.
      const acc = accumulate || pc > 0;
      packPanels(pb, B.data, B.offset + pc * B.rowStride + jc * B.colStride, B.colStride, B.rowStride, nc, kc, NR);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanels(pa, A.data, A.offset + ic * A.rowStride + pc * A.colStride, A.rowStride, A.colStride, mc, kc, MR);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(kc, pa, ir * kc, pb, jr * kc);
            storeTile(C, cOffset + (ic + ir) * ldc + jc + jr, ldc, Math.min(MR, mc - ir), nr, acc);
          }
        }
      }
    }
  }
}

/** The m <= 2 case: dot products when B's columns are contiguous in k, else row updates. */
function gemmFewRows(
  m: number, n: number, k: number, A: MatrixView, B: MatrixView,
  C: Float32Array, cOffset: number, ldc: number, accumulate: boolean,
): void {
  const a = A.data, b = B.data, brs = B.rowStride, bcs = B.colStride, acs = A.colStride;
  for (let i = 0; i < m; i++) {
    const ai = A.offset + i * A.rowStride;
    const ci = cOffset + i * ldc;
    if (brs === 1) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0, ap = ai, bp = B.offset + j * bcs; p < k; p++) {
          s += a[ap] * b[bp];
          ap += acs;
          bp += 1;
        }
        C[ci + j] = accumulate ? C[ci + j] + s : s;
      }
    } else {
      const row = rowScratch(n);
      for (let p = 0; p < k; p++) {
        const ap = a[ai + p * acs];
        for (let j = 0, bp = B.offset + p * brs; j < n; j++) {
          row[j] += ap * b[bp];
          bp += bcs;
        }
      }
      for (let j = 0; j < n; j++) C[ci + j] = accumulate ? C[ci + j] + row[j] : row[j];
    }
  }
}

/** A zeroed Float64 row of at least n elements, reused across calls. */
function rowScratch(n: number): Float64Array {
  if (rowBuf.length < n) rowBuf = new Float64Array(n);
  rowBuf.fill(0, 0, n);
  return rowBuf;
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/**
 * Packs `count` lines (stride `lineStride`) of `depth` elements (stride `depthStride`) into
 * panels of `width` lines: panel p holds, for each depth d, its `width` lines' elements
 * contiguously; lines past `count` are zero so the micro-kernel never branches.
 */
function packPanels(
  dst: Float64Array, src: Float32Array, offset: number, lineStride: number, depthStride: number,
  count: number, depth: number, width: number,
): void {
  for (let l0 = 0; l0 < count; l0 += width) {
    const lines = Math.min(width, count - l0);
    let o = l0 * depth;
    let s = offset + l0 * lineStride;
    for (let d = 0; d < depth; d++) {
      let l = 0;
      for (let si = s; l < lines; l++) {
        dst[o + l] = src[si];
        si += lineStride;
      }
      for (; l < width; l++) dst[o + l] = 0;
      s += depthStride;
      o += width;
    }
  }
}

/** Writes the micro-kernel's tile (the valid mr x nr corner) into C. */
function storeTile(C: Float32Array, o: number, ldc: number, mr: number, nr: number, acc: boolean): void {
  const t = tile;
  for (let r = 0; r < mr; r++, o += ldc) {
    const tr = r * NR;
    if (acc) for (let q = 0; q < nr; q++) C[o + q] += t[tr + q];
    else for (let q = 0; q < nr; q++) C[o + q] = t[tr + q];
  }
}

/** tile = (MR-row panel of A at `ao`) · (NR-column panel of B at `bo`) over `kc` steps. */
function microKernel(kc: number, pa: Float64Array, ao: number, pb: Float64Array, bo: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c04 = 0, c05 = 0, c06 = 0, c07 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c24 = 0, c25 = 0, c26 = 0, c27 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0, c34 = 0, c35 = 0, c36 = 0, c37 = 0;
  let c40 = 0, c41 = 0, c42 = 0, c43 = 0, c44 = 0, c45 = 0, c46 = 0, c47 = 0;
  let c50 = 0, c51 = 0, c52 = 0, c53 = 0, c54 = 0, c55 = 0, c56 = 0, c57 = 0;
  let c60 = 0, c61 = 0, c62 = 0, c63 = 0, c64 = 0, c65 = 0, c66 = 0, c67 = 0;
  let c70 = 0, c71 = 0, c72 = 0, c73 = 0, c74 = 0, c75 = 0, c76 = 0, c77 = 0;
  // Offsets advance at the end of the body: V8 compiled the same loop ~20% slower with
  // them in the for-update clause.
  for (let p = 0; p < kc; p++) {
    const b0 = pb[bo], b1 = pb[bo + 1], b2 = pb[bo + 2], b3 = pb[bo + 3];
    const b4 = pb[bo + 4], b5 = pb[bo + 5], b6 = pb[bo + 6], b7 = pb[bo + 7];
    let a = pa[ao];
    c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3; c04 += a * b4; c05 += a * b5; c06 += a * b6; c07 += a * b7;
    a = pa[ao + 1];
    c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3; c14 += a * b4; c15 += a * b5; c16 += a * b6; c17 += a * b7;
    a = pa[ao + 2];
    c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3; c24 += a * b4; c25 += a * b5; c26 += a * b6; c27 += a * b7;
    a = pa[ao + 3];
    c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3; c34 += a * b4; c35 += a * b5; c36 += a * b6; c37 += a * b7;
    a = pa[ao + 4];
    c40 += a * b0; c41 += a * b1; c42 += a * b2; c43 += a * b3; c44 += a * b4; c45 += a * b5; c46 += a * b6; c47 += a * b7;
    a = pa[ao + 5];
    c50 += a * b0; c51 += a * b1; c52 += a * b2; c53 += a * b3; c54 += a * b4; c55 += a * b5; c56 += a * b6; c57 += a * b7;
    a = pa[ao + 6];
    c60 += a * b0; c61 += a * b1; c62 += a * b2; c63 += a * b3; c64 += a * b4; c65 += a * b5; c66 += a * b6; c67 += a * b7;
    a = pa[ao + 7];
    c70 += a * b0; c71 += a * b1; c72 += a * b2; c73 += a * b3; c74 += a * b4; c75 += a * b5; c76 += a * b6; c77 += a * b7;
    ao += MR;
    bo += NR;
  }
  const t = tile;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03; t[4] = c04; t[5] = c05; t[6] = c06; t[7] = c07;
  t[8] = c10; t[9] = c11; t[10] = c12; t[11] = c13; t[12] = c14; t[13] = c15; t[14] = c16; t[15] = c17;
  t[16] = c20; t[17] = c21; t[18] = c22; t[19] = c23; t[20] = c24; t[21] = c25; t[22] = c26; t[23] = c27;
  t[24] = c30; t[25] = c31; t[26] = c32; t[27] = c33; t[28] = c34; t[29] = c35; t[30] = c36; t[31] = c37;
  t[32] = c40; t[33] = c41; t[34] = c42; t[35] = c43; t[36] = c44; t[37] = c45; t[38] = c46; t[39] = c47;
  t[40] = c50; t[41] = c51; t[42] = c52; t[43] = c53; t[44] = c54; t[45] = c55; t[46] = c56; t[47] = c57;
  t[48] = c60; t[49] = c61; t[50] = c62; t[51] = c63; t[52] = c64; t[53] = c65; t[54] = c66; t[55] = c67;
  t[56] = c70; t[57] = c71; t[58] = c72; t[59] = c73; t[60] = c74; t[61] = c75; t[62] = c76; t[63] = c77;
}
