//! Reductions: Reduce (sum/mean/prod/max/min/any/all over merged axis runs), ArgReduce, and
//! the fused, numerically stable Softmax / LogSoftmax.
use crate::dtype::{BOOL, F32, load, store};
use crate::math::{exp_neg, js_max, js_min};
use crate::simd::F4;

pub const SUM: u32 = 0;
pub const MEAN: u32 = 1;
pub const MAX: u32 = 2;
pub const MIN: u32 = 3;
pub const PROD: u32 = 4;
pub const ANY: u32 = 5;
pub const ALL: u32 = 6;

fn init(op: u32) -> f64 {
    match op {
        PROD | ALL => 1.0,
        MAX => f64::NEG_INFINITY,
        MIN => f64::INFINITY,
        _ => 0.0,
    }
}

/// The dtype Reduce writes.
pub fn reduce_out_dtype(op: u32, dt: u32) -> u32 {
    match op {
        ANY | ALL => BOOL,
        MEAN => F32,
        _ => dt,
    }
}

#[inline(always)]
fn fold(op: u32, is_int: bool, acc: f64, v: f64) -> f64 {
    match op {
        SUM | MEAN => acc + v,
        PROD => {
            if is_int {
                (acc as i64 as i32).wrapping_mul(v as i64 as i32) as f64
            } else {
                acc * v
            }
        }
        MAX => js_max(acc, v),
        MIN => js_min(acc, v),
        ANY => {
            if v != 0.0 {
                1.0
            } else {
                acc
            }
        }
        _ => {
            if v == 0.0 {
                0.0
            } else {
                acc
            }
        }
    }
}

/// Sum of a contiguous float32 run: 16 lanes of f32 partial sums, combined in f64.
unsafe fn sum_run_f32(x: *const f32, n: usize) -> f64 {
    unsafe {
        let (mut s0, mut s1, mut s2, mut s3) = (F4::zero(), F4::zero(), F4::zero(), F4::zero());
        let mut i = 0;
        while i + 16 <= n {
            s0 = s0.add(F4::load(x.add(i)));
            s1 = s1.add(F4::load(x.add(i + 4)));
            s2 = s2.add(F4::load(x.add(i + 8)));
            s3 = s3.add(F4::load(x.add(i + 12)));
            i += 16;
        }
        let mut acc = 0.0f64;
        for v in [s0, s1, s2, s3] {
            for l in v.lanes() {
                acc += l as f64;
            }
        }
        while i < n {
            acc += *x.add(i) as f64;
            i += 1;
        }
        acc
    }
}

/// Max (or min) of a contiguous float32 run, NaN-propagating.
unsafe fn extreme_run_f32(x: *const f32, n: usize, is_max: bool) -> f64 {
    unsafe {
        let mut acc = if is_max { f64::NEG_INFINITY } else { f64::INFINITY };
        let mut i = 0;
        if n >= 8 {
            let mut v = F4::load(x);
            i = 4;
            while i + 4 <= n {
                let w = F4::load(x.add(i));
                v = if is_max { v.max(w) } else { v.min(w) };
                i += 4;
            }
            for l in v.lanes() {
                acc = if is_max { js_max(acc, l as f64) } else { js_min(acc, l as f64) };
            }
        }
        while i < n {
            let l = *x.add(i) as f64;
            acc = if is_max { js_max(acc, l) } else { js_min(acc, l) };
            i += 1;
        }
        acc
    }
}

/// Reduce over merged dims `sizes` where `reduced[d]` marks reduced runs; `out_strides` are
/// the output strides of the kept runs (0 for reduced). `count` = elements per output (mean).
pub unsafe fn reduce(
    op: u32, dt: u32, x: *const u8, n: usize, out: *mut u8, out_size: usize, sizes: &[usize], reduced: &[usize],
    out_strides: &[usize], count: usize,
) {
    let mut acc = vec![init(op); out_size];
    let is_int = dt != F32;
    unsafe {
        if n > 0 {
            let g = sizes.len();
            let len = sizes[g - 1];
            let inner_reduced = reduced[g - 1] != 0;
            let rows = n / len;
            let mut idx = [0usize; 32];
            let mut o = 0usize;
            for row in 0..rows {
                let base = row * len;
                if inner_reduced {
                    if dt == F32 && (op == SUM || op == MEAN) {
                        acc[o] += sum_run_f32((x as *const f32).add(base), len);
                    } else if dt == F32 && (op == MAX || op == MIN) {
                        let e = extreme_run_f32((x as *const f32).add(base), len, op == MAX);
                        acc[o] = fold(op, false, acc[o], e);
                    } else {
                        let mut a = acc[o];
                        for i in 0..len {
                            a = fold(op, is_int, a, load(x, dt, base + i));
                        }
                        acc[o] = a;
                    }
                } else if dt == F32 && (op == SUM || op == MEAN) {
                    let xf = (x as *const f32).add(base);
                    let row_acc = &mut acc[o..o + len];
                    for i in 0..len {
                        row_acc[i] += *xf.add(i) as f64;
                    }
                } else {
                    for i in 0..len {
                        acc[o + i] = fold(op, is_int, acc[o + i], load(x, dt, base + i));
                    }
                }
                let mut d = g - 1;
                while d > 0 {
                    d -= 1;
                    o += out_strides[d];
                    idx[d] += 1;
                    if idx[d] < sizes[d] {
                        break;
                    }
                    o -= out_strides[d] * sizes[d];
                    idx[d] = 0;
                }
            }
        }
        let odt = reduce_out_dtype(op, dt);
        for i in 0..out_size {
            let v = if op == MEAN { acc[i] / count as f64 } else { acc[i] };
            store(out, odt, i, v);
        }
    }
}

/// ArgReduce: int32 index of the first max (op 0) or min (op 1) along an axis of `len`, for
/// x viewed as [outer, len, inner]; the first NaN wins; an empty axis gives 0.
pub unsafe fn arg_reduce(op: u32, dt: u32, x: *const u8, out: *mut i32, outer: usize, len: usize, inner: usize) {
    unsafe {
        let out = core::slice::from_raw_parts_mut(out, outer * inner);
        out.fill(0);
        if len == 0 || out.is_empty() {
            return;
        }
        let sign = if op == 0 { 1.0 } else { -1.0 };
        let mut best = vec![0f64; inner];
        for o in 0..outer {
            let base = o * len * inner;
            let idx = &mut out[o * inner..(o + 1) * inner];
            for i in 0..inner {
                best[i] = sign * load(x, dt, base + i);
            }
            for k in 1..len {
                let row = base + k * inner;
                for i in 0..inner {
                    let v = sign * load(x, dt, row + i);
                    let b = best[i];
                    if !b.is_nan() && (v > b || v.is_nan()) {
                        best[i] = v;
                        idx[i] = k as i32;
                    }
                }
            }
        }
    }
}

/// One contiguous softmax row: shifted by its max; rows with NaN or +Inf, or all -Inf, are NaN.
unsafe fn softmax_row(x: *const f32, out: *mut f32, len: usize, log: bool) {
    unsafe {
        let mut max = f32::NEG_INFINITY;
        let mut nan = false;
        for j in 0..len {
            let v = *x.add(j);
            if v > max {
                max = v;
            } else if v.is_nan() {
                nan = true;
            }
        }
        if nan || !max.is_finite() {
            for j in 0..len {
                *out.add(j) = f32::NAN;
            }
            return;
        }
        let mut sum = 0f64;
        for j in 0..len {
            let e = exp_neg(*x.add(j) - max);
            if !log {
                *out.add(j) = e;
            }
            sum += e as f64;
        }
        if log {
            let lse = max as f64 + sum.ln();
            for j in 0..len {
                *out.add(j) = (*x.add(j) as f64 - lse) as f32;
            }
        } else {
            let scale = F4::splat((1.0 / sum) as f32);
            let mut j = 0;
            while j + 4 <= len {
                F4::load(out.add(j)).mul(scale).store(out.add(j));
                j += 4;
            }
            let s = (1.0 / sum) as f32;
            while j < len {
                *out.add(j) *= s;
                j += 1;
            }
        }
    }
}

/// Softmax (or log-softmax) of float32 x viewed as [outer, len, inner] along `len`.
pub unsafe fn softmax(x: *const f32, out: *mut f32, outer: usize, len: usize, inner: usize, log: bool) {
    unsafe {
        if inner == 1 {
            for o in 0..outer {
                softmax_row(x.add(o * len), out.add(o * len), len, log);
            }
            return;
        }
        // A non-last axis: gather each strided row into scratch, run it, scatter back.
        let mut row_in = vec![0f32; len];
        let mut row_out = vec![0f32; len];
        for o in 0..outer {
            for i in 0..inner {
                let base = o * len * inner + i;
                for j in 0..len {
                    row_in[j] = *x.add(base + j * inner);
                }
                softmax_row(row_in.as_ptr(), row_out.as_mut_ptr(), len, log);
                for j in 0..len {
                    *out.add(base + j * inner) = row_out[j];
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dtype::I32;

    #[test]
    fn sums_trailing_and_leading_axes() {
        // x [2, 3] = [[1, 2, 3], [4, 5, 6]]: rows sum [6, 15]; columns [5, 7, 9].
        let x = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
        let mut out = [0f32; 3];
        unsafe { reduce(SUM, F32, x.as_ptr() as _, 6, out.as_mut_ptr() as _, 2, &[2, 3], &[0, 1], &[1, 0], 3) };
        assert_eq!(&out[..2], &[6.0, 15.0]);
        unsafe { reduce(SUM, F32, x.as_ptr() as _, 6, out.as_mut_ptr() as _, 3, &[2, 3], &[1, 0], &[0, 1], 2) };
        assert_eq!(out, [5.0, 7.0, 9.0]);
        unsafe { reduce(MEAN, F32, x.as_ptr() as _, 6, out.as_mut_ptr() as _, 1, &[6], &[1], &[0], 6) };
        assert_eq!(out[0], 3.5);
    }

    #[test]
    fn max_propagates_nan_and_int_prod_wraps() {
        let x: Vec<f32> = (0..20).map(|i| if i == 13 { f32::NAN } else { i as f32 }).collect();
        let mut out = [0f32; 1];
        unsafe { reduce(MAX, F32, x.as_ptr() as _, 20, out.as_mut_ptr() as _, 1, &[20], &[1], &[0], 20) };
        assert!(out[0].is_nan());
        let xi = [65536i32, 65536, 3];
        let mut oi = [0i32; 1];
        unsafe { reduce(PROD, I32, xi.as_ptr() as _, 3, oi.as_mut_ptr() as _, 1, &[3], &[1], &[0], 3) };
        assert_eq!(oi[0], 0);
        let mut empty = [7f32; 1];
        unsafe { reduce(MEAN, F32, x.as_ptr() as _, 0, empty.as_mut_ptr() as _, 1, &[0], &[1], &[0], 0) };
        assert!(empty[0].is_nan());
    }

    #[test]
    fn argmax_takes_first_extreme_and_nan() {
        let x = [1.0f32, 3.0, 3.0, 0.0, f32::NAN, 9.0];
        let mut out = [0i32; 2];
        unsafe { arg_reduce(0, F32, x.as_ptr() as _, out.as_mut_ptr(), 2, 3, 1) };
        assert_eq!(out, [1, 1]);
        unsafe { arg_reduce(1, F32, x.as_ptr() as _, out.as_mut_ptr(), 1, 2, 3) };
        // columns: (1, 0) -> 1; (3, NaN) -> 1; (3, 9) -> 0
        assert_eq!(&out[..1], &[1]);
    }

    #[test]
    fn softmax_of_equal_logits_is_uniform_and_log_is_minus_log_n() {
        let x = [1000.0f32; 5];
        let mut out = [0f32; 5];
        unsafe { softmax(x.as_ptr(), out.as_mut_ptr(), 1, 5, 1, false) };
        for v in out {
            assert!((v - 0.2).abs() < 1e-7);
        }
        unsafe { softmax(x.as_ptr(), out.as_mut_ptr(), 1, 5, 1, true) };
        for v in out {
            assert!((v + 5f32.ln()).abs() < 1e-6);
        }
        // Along axis 0 of [2, 2]: [[0, 0], [ln 3, 0]] -> [[1/4, 1/2], [3/4, 1/2]].
        let y = [0.0f32, 0.0, 3f32.ln(), 0.0];
        let mut o = [0f32; 4];
        unsafe { softmax(y.as_ptr(), o.as_mut_ptr(), 1, 2, 2, false) };
        for (g, w) in o.iter().zip([0.25, 0.5, 0.75, 0.5]) {
            assert!((g - w).abs() < 1e-6);
        }
    }
}
