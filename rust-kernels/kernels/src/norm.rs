//! The fused normalisations: BatchNorm (given statistics, per channel of dim 1) and LayerNorm
//! (over trailing rows), each one pass over x instead of the decomposition's chain of kernels.

/// y = (x - mean[c]) * scale[c] + shift[c] over x viewed as [outer, c, inner], where scale =
/// rsqrt(variance + eps) * weight folded in float32 (as the decomposition and backend-js do,
/// so all round alike); `weight`/`bias` null mean 1/0.
pub unsafe fn batch_norm(
    x: *const f32, mean: *const f32, variance: *const f32, weight: *const f32, bias: *const f32, out: *mut f32,
    outer: usize, c: usize, inner: usize, eps: f32,
) {
    unsafe {
        for ch in 0..c {
            let w = if weight.is_null() { 1.0 } else { *weight.add(ch) };
            let scale = (1.0 / (*variance.add(ch) + eps).sqrt()) * w;
            let shift = if bias.is_null() { 0.0 } else { *bias.add(ch) };
            let m = *mean.add(ch);
            for o in 0..outer {
                let base = (o * c + ch) * inner;
                for i in base..base + inner {
                    *out.add(i) = (*x.add(i) - m) * scale + shift;
                }
            }
        }
    }
}

/// Normalises each of `rows` runs of `len` elements of x: two passes (mean, then the biased
/// variance of the centred values) with float64 accumulators, so a large mean does not
/// cancel the variance; then * weight + bias ([len] each; null means 1/0).
pub unsafe fn layer_norm(
    x: *const f32, weight: *const f32, bias: *const f32, out: *mut f32, rows: usize, len: usize, eps: f32,
) {
    unsafe {
        for r in 0..rows {
            let xs = x.add(r * len);
            let ys = out.add(r * len);
            let mut s = 0f64;
            for i in 0..len {
                s += *xs.add(i) as f64;
            }
            let m = s / len as f64;
            let mut ss = 0f64;
            for i in 0..len {
                let d = *xs.add(i) as f64 - m;
                ss += d * d;
            }
            let rstd = 1.0 / (ss / len as f64 + eps as f64).sqrt();
            for i in 0..len {
                let v = ((*xs.add(i) as f64 - m) * rstd) as f32;
                let v = if weight.is_null() { v } else { v * *weight.add(i) };
                *ys.add(i) = if bias.is_null() { v } else { v + *bias.add(i) };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr::null;

    #[test]
    fn batch_norm_hand_values() {
        // x [2, 2] = [[1, 2], [3, 6]], mean [2, 4], variance [1, 4], eps 0: rsqrt = [1, 0.5],
        // x_hat = [[-1, -1], [1, 1]]; * weight [2, 0.5] + bias [0.5, -1].
        let x = [1.0f32, 2.0, 3.0, 6.0];
        let (mean, var, w, b) = ([2.0f32, 4.0], [1.0f32, 4.0], [2.0f32, 0.5], [0.5f32, -1.0]);
        let mut out = [0f32; 4];
        unsafe { batch_norm(x.as_ptr(), mean.as_ptr(), var.as_ptr(), w.as_ptr(), b.as_ptr(), out.as_mut_ptr(), 2, 2, 1, 0.0) };
        assert_eq!(out, [-1.5, -1.5, 2.5, -0.5]);
        unsafe { batch_norm(x.as_ptr(), mean.as_ptr(), var.as_ptr(), null(), null(), out.as_mut_ptr(), 2, 2, 1, 0.0) };
        assert_eq!(out, [-1.0, -1.0, 1.0, 1.0]);
    }

    #[test]
    fn batch_norm_spatial_channels() {
        // x [1, 2, 2] (inner 2): channel 0 = [0, 4] with mean 2 and variance 4 -> [-1, 1];
        // channel 1 = [5, 5] with mean 5 -> [0, 0] whatever the variance.
        let x = [0.0f32, 4.0, 5.0, 5.0];
        let mut out = [9f32; 4];
        unsafe { batch_norm(x.as_ptr(), [2.0f32, 5.0].as_ptr(), [4.0f32, 1.0].as_ptr(), null(), null(), out.as_mut_ptr(), 1, 2, 2, 0.0) };
        assert_eq!(out, [-1.0, 1.0, 0.0, 0.0]);
    }

    #[test]
    fn layer_norm_hand_values() {
        // Row [1, 3]: mean 2, variance 1 -> [-1, 1]; row [2, 2]: variance 0, eps 0.25 -> [0, 0].
        let x = [1.0f32, 3.0, 2.0, 2.0];
        let mut out = [0f32; 4];
        unsafe { layer_norm(x.as_ptr(), null(), null(), out.as_mut_ptr(), 1, 2, 0.0) };
        assert_eq!(&out[..2], &[-1.0, 1.0]);
        unsafe { layer_norm(x.as_ptr(), [3.0f32, 2.0].as_ptr(), [1.0f32, -1.0].as_ptr(), out.as_mut_ptr(), 2, 2, 0.25) };
        // Row 0 with eps 0.25: x_hat = [-1, 1] / sqrt(1.25); row 1: x_hat 0 -> bias.
        let r = 1.0 / 1.25f64.sqrt();
        assert!((out[0] as f64 - (-3.0 * r + 1.0)).abs() < 1e-6);
        assert!((out[1] as f64 - (2.0 * r - 1.0)).abs() < 1e-6);
        assert_eq!(&out[2..], &[1.0, -1.0]);
    }

    #[test]
    fn layer_norm_large_offset_keeps_variance() {
        // [1e4 + 1, 1e4 - 1] has variance 1; a one-pass E[x^2] - E[x]^2 in float32 loses it.
        let x = [10001.0f32, 9999.0];
        let mut out = [0f32; 2];
        unsafe { layer_norm(x.as_ptr(), null(), null(), out.as_mut_ptr(), 1, 2, 0.0) };
        assert_eq!(out, [1.0, -1.0]);
    }
}
