//! MatMul: a packed, register-blocked SIMD GEMM (Goto/BLIS loop order). Operands are read
//! through (row stride, column stride), so a transposed operand only changes how it is
//! packed: all four transpose combinations run the same micro-kernel at the same speed.
use crate::simd::F4;
use crate::memory::Scratch;
use crate::threads::{self, Shared};

/// Rows of A per micro-tile.
pub const MR: usize = 4;
/// Columns of B per micro-tile (two F4 vectors).
pub const NR: usize = 8;
/// Depth of one packed block (A block MC x KC stays in L2, a B micro-panel KC x NR in L1).
/// Chosen by a sweep of matmul 1024 on one Zen 3 core (KC 128-512, MC 16-128, NC 256-1024).
const KC: usize = 256;
const MC: usize = 32;
const NC: usize = 512;

/// A read-only matrix view: element (i, j) at ptr[i * rs + j * cs].
#[derive(Clone, Copy)]
pub struct Mat {
    pub ptr: *const f32,
    pub rs: usize,
    pub cs: usize,
}

/// Packs rows [i0, i0+mc) x depth [p0, p0+kc) of A into MR-row panels, k-major, zero-padded,
/// each value stored four times: the micro-kernel then reads a ready splat with one v128 load
/// at a constant offset (V8 folds no offset into a load-splat's address, so `f32x4.splat` of a
/// scalar load costs an extra instruction per row and step).
unsafe fn pack_a(a: Mat, i0: usize, mc: usize, p0: usize, kc: usize, d: *mut f32) {
    unsafe {
        let mut o = 0;
        let mut ir = 0;
        while ir < mc {
            let rows = MR.min(mc - ir);
            // Row starts (padding rows repeat the last real row; their values are replaced by 0).
            let mut row = [a.ptr; MR];
            for r in 0..MR {
                row[r] = a.ptr.add((i0 + ir + r.min(rows - 1)) * a.rs + p0 * a.cs);
            }
            for p in 0..kc {
                for r in 0..MR {
                    let v = if r < rows { *row[r].add(p * a.cs) } else { 0.0 };
                    F4::splat(v).store(d.add(o + (p * MR + r) * 4));
                }
            }
            o += MR * kc * 4;
            ir += MR;
        }
    }
}

/// The GEMM's B operand as the micro-kernel sees it: KC x NR panels, packed on demand. A plain
/// strided matrix is one source; a convolution's column matrix, never stored, is another.
pub trait PackB: Copy {
    /// Packs depth [p0, p0+kc) x columns [j0, j0+nc) into NR-column panels (each kc x NR,
    /// row-major), zero-padded to a multiple of NR columns.
    unsafe fn pack(&self, p0: usize, kc: usize, j0: usize, nc: usize, dst: *mut f32);
    /// The same operand without its first `j0` columns.
    unsafe fn skip_cols(self, j0: usize) -> Self;
}

impl PackB for Mat {
    unsafe fn pack(&self, p0: usize, kc: usize, j0: usize, nc: usize, dst: *mut f32) {
        let b = *self;
        unsafe {
            let mut o = 0;
            let mut jr = 0;
            while jr < nc {
                let cols = NR.min(nc - jr);
                if b.cs == 1 && cols == NR {
                    for p in 0..kc {
                        let src = b.ptr.add((p0 + p) * b.rs + j0 + jr);
                        F4::load(src).store(dst.add(o + p * NR));
                        F4::load(src.add(4)).store(dst.add(o + p * NR + 4));
                    }
                } else {
                    // Column starts (padding columns repeat the last real one; their values become 0).
                    // Walking p outermost reads NR columns side by side, each sequentially when B
                    // is transposed (rs == 1).
                    let mut col = [b.ptr; NR];
                    for c in 0..NR {
                        col[c] = b.ptr.add(p0 * b.rs + (j0 + jr + c.min(cols - 1)) * b.cs);
                    }
                    for p in 0..kc {
                        for c in 0..NR {
                            *dst.add(o + p * NR + c) = if c < cols { *col[c].add(p * b.rs) } else { 0.0 };
                        }
                    }
                }
                o += NR * kc;
                jr += NR;
            }
        }
    }
    unsafe fn skip_cols(self, j0: usize) -> Mat {
        Mat { ptr: unsafe { self.ptr.add(j0 * self.cs) }, ..self }
    }
}

/// The MR x NR micro-kernel on a full tile: C (+)= sum_p A[:, p] B[p, :]. Never inlined, so
/// V8 allocates its registers for this loop alone (12 of its 15 xmm registers stay live).
#[inline(never)]
unsafe fn micro_full(kc: usize, pa: *const f32, pb: *const f32, c: *mut f32, ldc: usize, add: bool) {
    unsafe {
        let mut acc = [[F4::zero(); 2]; MR];
        for p in 0..kc {
            let b0 = F4::load(pb.add(p * NR));
            let b1 = F4::load(pb.add(p * NR + 4));
            let ap = pa.add(p * MR * 4);
            for r in 0..MR {
                let a = F4::load(ap.add(r * 4));
                acc[r][0] = a.mul_add(b0, acc[r][0]);
                acc[r][1] = a.mul_add(b1, acc[r][1]);
            }
        }
        for r in 0..MR {
            let cr = c.add(r * ldc);
            if add {
                F4::load(cr).add(acc[r][0]).store(cr);
                F4::load(cr.add(4)).add(acc[r][1]).store(cr.add(4));
            } else {
                acc[r][0].store(cr);
                acc[r][1].store(cr.add(4));
            }
        }
    }
}

/// One micro-tile of C: the full kernel in place, or, at an edge, into a scratch tile whose
/// valid `rows` x `cols` corner then goes to C.
unsafe fn micro(kc: usize, pa: *const f32, pb: *const f32, c: *mut f32, ldc: usize, rows: usize, cols: usize, add: bool) {
    unsafe {
        if rows == MR && cols == NR {
            return micro_full(kc, pa, pb, c, ldc, add);
        }
        let mut tile = [0f32; MR * NR];
        micro_full(kc, pa, pb, tile.as_mut_ptr(), NR, false);
        for r in 0..rows {
            for j in 0..cols {
                let d = c.add(r * ldc + j);
                *d = if add { *d + tile[r * NR + j] } else { tile[r * NR + j] };
            }
        }
    }
}

/// Multiply-adds below which a GEMM stays on one thread (waking workers costs more).
pub const PARALLEL_MIN: usize = 1 << 18;

/// C[m, n] (row stride ldc) = A[m, k] B[k, n], or += when `accumulate`. Large products are
/// split over the threads by panels of NR columns (or MR rows when C is narrow); every element
/// of C is still summed in the same order, so the result does not depend on the thread count.
pub unsafe fn sgemm<B: PackB>(m: usize, n: usize, k: usize, a: Mat, b: B, c: *mut f32, ldc: usize, accumulate: bool) {
    let t = threads::threads();
    if t <= 1 || m.saturating_mul(n).saturating_mul(k) < PARALLEL_MIN {
        return unsafe { sgemm_serial(m, n, k, a, b, c, ldc, accumulate) };
    }
    // The closure must be Sync; raw pointers are not, and each task writes its own part of C.
    let (a, b, c) = (Shared(a), Shared(b), Shared(c));
    let (col_panels, row_panels) = (n.div_ceil(NR), m.div_ceil(MR));
    let by_cols = col_panels >= 2 * t || col_panels >= row_panels;
    let panels = if by_cols { col_panels } else { row_panels };
    // Two tasks per thread, so a thread slowed by other work does not hold up the rest.
    let per = panels.div_ceil(2 * t).max(1);
    let tasks = panels.div_ceil(per);
    threads::parallel_for(tasks, &|task| unsafe {
        let lo = task * per;
        if by_cols {
            let (j0, j1) = (lo * NR, ((lo + per) * NR).min(n));
            sgemm_serial(m, j1 - j0, k, a.get(), b.get().skip_cols(j0), c.get().add(j0), ldc, accumulate);
        } else {
            let (i0, i1) = (lo * MR, ((lo + per) * MR).min(m));
            let am = a.get();
            let am = Mat { ptr: am.ptr.add(i0 * am.rs), ..am };
            sgemm_serial(i1 - i0, n, k, am, b.get(), c.get().add(i0 * ldc), ldc, accumulate);
        }
    });
}

/// `sgemm` on the calling thread.
unsafe fn sgemm_serial<B: PackB>(m: usize, n: usize, k: usize, a: Mat, b: B, c: *mut f32, ldc: usize, accumulate: bool) {
    unsafe {
        if m == 0 || n == 0 {
            return;
        }
        if k == 0 {
            if !accumulate {
                for i in 0..m {
                    core::slice::from_raw_parts_mut(c.add(i * ldc), n).fill(0.0);
                }
            }
            return;
        }
        // Depth blocks of equal size (576 = 3 x 192, not 256 + 256 + 64): a short last block
        // would pay a full pass over C for few multiply-adds.
        let kc_max = k.div_ceil(k.div_ceil(KC));
        let nc_max = NC.min(n).next_multiple_of(NR);
        let mc_max = MC.min(m).next_multiple_of(MR);
        let mut pb = Scratch::new(kc_max * nc_max);
        let mut pa = Scratch::new(kc_max * mc_max * 4);
        let mut j0 = 0;
        while j0 < n {
            let nc = NC.min(n - j0);
            let mut p0 = 0;
            while p0 < k {
                let kc = kc_max.min(k - p0);
                let add = accumulate || p0 > 0;
                b.pack(p0, kc, j0, nc, pb.ptr());
                let mut i0 = 0;
                while i0 < m {
                    let mc = MC.min(m - i0);
                    pack_a(a, i0, mc, p0, kc, pa.ptr());
                    let mut jr = 0;
                    while jr < nc {
                        let cols = NR.min(nc - jr);
                        let pbp = pb.ptr().add((jr / NR) * NR * kc);
                        let mut ir = 0;
                        while ir < mc {
                            let rows = MR.min(mc - ir);
                            micro(kc, pa.ptr().add((ir / MR) * MR * kc * 4), pbp, c.add((i0 + ir) * ldc + j0 + jr), ldc, rows, cols, add);
                            ir += MR;
                        }
                        jr += NR;
                    }
                    i0 += MC;
                }
                p0 += kc_max;
            }
            j0 += NC;
        }
    }
}

/// Batched float32 MatMul: for each of `count` (a_off, b_off, out_off) element offsets, one
/// GEMM of `rows` x n x k. a is [rows, k] (or [k, rows] when `ta`), b [k, n] (or [n, k]).
pub unsafe fn matmul_f32(
    a: *const f32, b: *const f32, out: *mut f32, rows: usize, n: usize, k: usize, ta: bool, tb: bool, offsets: &[usize],
) {
    let (ars, acs) = if ta { (1, rows) } else { (k, 1) };
    let (brs, bcs) = if tb { (1, k) } else { (n, 1) };
    unsafe {
        for t in offsets.chunks_exact(3) {
            let am = Mat { ptr: a.add(t[0]), rs: ars, cs: acs };
            let bm = Mat { ptr: b.add(t[1]), rs: brs, cs: bcs };
            sgemm(rows, n, k, am, bm, out.add(t[2]), n, false);
        }
    }
}

/// Batched int32 MatMul with wrapping arithmetic (same layout as `matmul_f32`).
pub unsafe fn matmul_i32(
    a: *const i32, b: *const i32, out: *mut i32, rows: usize, n: usize, k: usize, ta: bool, tb: bool, offsets: &[usize],
) {
    let (ars, acs) = if ta { (1, rows) } else { (k, 1) };
    let (brs, bcs) = if tb { (1, k) } else { (n, 1) };
    unsafe {
        for t in offsets.chunks_exact(3) {
            for i in 0..rows {
                for j in 0..n {
                    let mut s = 0i32;
                    for p in 0..k {
                        s = s.wrapping_add((*a.add(t[0] + i * ars + p * acs)).wrapping_mul(*b.add(t[1] + p * brs + j * bcs)));
                    }
                    *out.add(t[2] + i * n + j) = s;
                }
            }
        }
    }
}

/// FusedMatMul's epilogue over `rows` rows of `n`: + bias[j] (if any), then ReLU (if `relu`).
pub unsafe fn bias_act(out: *mut f32, rows: usize, n: usize, bias: *const f32, relu: bool) {
    unsafe {
        for r in 0..rows {
            let row = out.add(r * n);
            let mut j = 0;
            while j + 4 <= n {
                let mut v = F4::load(row.add(j));
                if !bias.is_null() {
                    v = v.add(F4::load(bias.add(j)));
                }
                if relu {
                    v = v.relu();
                }
                v.store(row.add(j));
                j += 4;
            }
            while j < n {
                let mut v = *row.add(j);
                if !bias.is_null() {
                    v += *bias.add(j);
                }
                if relu {
                    v = F4::splat(v).relu().lanes()[0];
                }
                *row.add(j) = v;
                j += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference product in f64 over (rs, cs) views.
    fn naive(m: usize, n: usize, k: usize, a: &[f32], ta: bool, b: &[f32], tb: bool) -> Vec<f64> {
        let mut c = vec![0f64; m * n];
        for i in 0..m {
            for j in 0..n {
                for p in 0..k {
                    let av = if ta { a[p * m + i] } else { a[i * k + p] };
                    let bv = if tb { b[j * k + p] } else { b[p * n + j] };
                    c[i * n + j] += av as f64 * bv as f64;
                }
            }
        }
        c
    }

    #[test]
    fn two_by_two_by_hand() {
        // [[1, 2], [3, 4]] @ [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
        let a = [1.0f32, 2.0, 3.0, 4.0];
        let b = [5.0f32, 6.0, 7.0, 8.0];
        let mut c = [0f32; 4];
        unsafe { matmul_f32(a.as_ptr(), b.as_ptr(), c.as_mut_ptr(), 2, 2, 2, false, false, &[0, 0, 0]) };
        assert_eq!(c, [19.0, 22.0, 43.0, 50.0]);
    }

    #[test]
    fn every_transpose_combination_over_tile_edges() {
        // Sizes straddle MR, NR, KC and MC edges.
        for &(m, n, k) in &[(1, 1, 1), (5, 7, 3), (7, 9, 257), (13, 17, 5), (73, 8, 2), (6, 1025, 4)] {
            let a: Vec<f32> = (0..m * k).map(|i| ((i * 7 % 13) as f32 - 6.0) / 4.0).collect();
            let b: Vec<f32> = (0..k * n).map(|i| ((i * 5 % 11) as f32 - 5.0) / 8.0).collect();
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let want = naive(m, n, k, &a, ta, &b, tb);
                let mut c = vec![0f32; m * n];
                unsafe { matmul_f32(a.as_ptr(), b.as_ptr(), c.as_mut_ptr(), m, n, k, ta, tb, &[0, 0, 0]) };
                for i in 0..m * n {
                    assert!((c[i] as f64 - want[i]).abs() < 1e-3, "{m}x{n}x{k} ta={ta} tb={tb} at {i}");
                }
            }
        }
    }

    #[test]
    fn int_matmul_wraps_and_epilogue_applies_bias_and_relu() {
        let a = [65536i32, 1];
        let b = [65536i32, 2];
        let mut c = [0i32; 1];
        unsafe { matmul_i32(a.as_ptr(), b.as_ptr(), c.as_mut_ptr(), 1, 1, 2, false, false, &[0, 0, 0]) };
        assert_eq!(c[0], 2);
        let mut o = [1.0f32, -5.0, 2.0, 0.5, -1.0];
        let bias = [1.0f32, 1.0, -3.0, 0.0, 0.0];
        unsafe { bias_act(o.as_mut_ptr(), 1, 5, bias.as_ptr(), true) };
        assert_eq!(o, [2.0, 0.0, 0.0, 0.5, 0.0]);
    }
}
