//! Scalar math with JavaScript's semantics (the reference backend computes in double and
//! stores into typed arrays): Math.max/min, ToInt32-style wrapping, erf, a fast exp.

/// Math.max: NaN if either is NaN; +0 beats -0.
#[inline(always)]
pub fn js_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b {
        if a.is_sign_positive() { a } else { b }
    } else if a > b {
        a
    } else {
        b
    }
}

/// Math.min: NaN if either is NaN; -0 beats +0.
#[inline(always)]
pub fn js_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b {
        if a.is_sign_negative() { a } else { b }
    } else if a < b {
        a
    } else {
        b
    }
}

/// `js_max` on f32 (the lane semantics of wasm's f32x4.max).
#[inline(always)]
pub fn js_max32(a: f32, b: f32) -> f32 {
    js_max(a as f64, b as f64) as f32
}

/// `js_min` on f32.
#[inline(always)]
pub fn js_min32(a: f32, b: f32) -> f32 {
    js_min(a as f64, b as f64) as f32
}

/// ECMAScript ToInt32 generalised to `bits` (32 or 8): truncate, then wrap modulo 2^bits.
/// NaN and infinities give 0. Returns the wrapped value as unsigned bits.
#[inline(always)]
pub fn js_wrap(v: f64, bits: u32) -> u32 {
    if !v.is_finite() {
        return 0;
    }
    let t = v.trunc();
    // Fast path: exactly representable in i64 (every value a kernel produces in practice).
    if t.abs() < 9.0e18 {
        return (t as i64) as u32 & if bits == 32 { u32::MAX } else { (1u32 << bits) - 1 };
    }
    let m = t.rem_euclid(4294967296.0) as u64 as u32;
    if bits == 32 { m } else { m & ((1u32 << bits) - 1) }
}

const TWO_OVER_SQRT_PI: f64 = 1.128_379_167_095_512_6;
const ERF_SMALL: f64 = 0.5;
const ERF_LARGE: f64 = 6.0;
const ERF_WIDTH: f64 = 0.5;
const ERF_PIECES: usize = 11;
const ERF_DEGREE: usize = 12;
const ERF_TAYLOR: usize = 16;

/// erf by its everywhere-positive series (Abramowitz-Stegun 7.1.6); slow, table set-up only.
fn erf_series(x: f64) -> f64 {
    let x2 = 2.0 * x * x;
    let mut term = x;
    let mut sum = x;
    let mut n = 1.0;
    while term > sum * 1e-17 {
        term *= x2 / (2.0 * n + 1.0);
        sum += term;
        n += 1.0;
    }
    TWO_OVER_SQRT_PI * (-x * x).exp() * sum
}

struct ErfTables {
    taylor: [f64; ERF_TAYLOR],
    cheb: [f64; ERF_PIECES * ERF_DEGREE],
}

/// The same construction as backend-js's erf: Maclaurin near 0, Chebyshev pieces on [0.5, 6).
fn erf_tables() -> &'static ErfTables {
    static mut TABLES: Option<ErfTables> = None;
    // SAFETY: filled once before any read; kernels run on one thread at a time per instance.
    unsafe {
        let slot = &mut *core::ptr::addr_of_mut!(TABLES);
        if slot.is_none() {
            let mut taylor = [0.0; ERF_TAYLOR];
            let mut fact = 1.0;
            for n in 0..ERF_TAYLOR {
                if n > 0 {
                    fact *= n as f64;
                }
                let sign = if n % 2 == 0 { 1.0 } else { -1.0 };
                taylor[n] = TWO_OVER_SQRT_PI * sign / (fact * (2 * n + 1) as f64);
            }
            let mut cheb = [0.0; ERF_PIECES * ERF_DEGREE];
            let pi = core::f64::consts::PI;
            for p in 0..ERF_PIECES {
                let mid = ERF_SMALL + (p as f64 + 0.5) * ERF_WIDTH;
                let mut f = [0.0; ERF_DEGREE];
                for k in 0..ERF_DEGREE {
                    let node = (pi * (k as f64 + 0.5) / ERF_DEGREE as f64).cos();
                    f[k] = erf_series(mid + node * ERF_WIDTH / 2.0);
                }
                for j in 0..ERF_DEGREE {
                    let mut s = 0.0;
                    for k in 0..ERF_DEGREE {
                        s += f[k] * (pi * j as f64 * (k as f64 + 0.5) / ERF_DEGREE as f64).cos();
                    }
                    cheb[p * ERF_DEGREE + j] = (if j == 0 { 1.0 } else { 2.0 }) * s / ERF_DEGREE as f64;
                }
            }
            *slot = Some(ErfTables { taylor, cheb });
        }
        slot.as_ref().unwrap()
    }
}

/// The error function to ~4e-15 absolute (relative near 0).
pub fn erf(x: f64) -> f64 {
    let t = erf_tables();
    let ax = x.abs();
    if ax < ERF_SMALL {
        let u = x * x;
        let mut s = t.taylor[ERF_TAYLOR - 1];
        for n in (0..ERF_TAYLOR - 1).rev() {
            s = s * u + t.taylor[n];
        }
        return x * s;
    }
    if !(ax < ERF_LARGE) {
        return if x.is_nan() { x } else if x > 0.0 { 1.0 } else { -1.0 };
    }
    let p = ((ax - ERF_SMALL) / ERF_WIDTH).floor();
    let tt = 2.0 * (ax - ERF_SMALL - p * ERF_WIDTH) / ERF_WIDTH - 1.0;
    let o = p as usize * ERF_DEGREE;
    let (mut b1, mut b2) = (0.0, 0.0);
    for j in (1..ERF_DEGREE).rev() {
        let b0 = 2.0 * tt * b1 - b2 + t.cheb[o + j];
        b2 = b1;
        b1 = b0;
    }
    let r = tt * b1 - b2 + t.cheb[o];
    if x < 0.0 { -r } else { r }
}

/// e^d for d in [-87.3, 0] (softmax's shifted inputs) in f32, relative error < 2e-7:
/// d = k ln2 + t with |t| <= ln2/2, a degree-6 polynomial for e^t, 2^k from the exponent bits.
#[inline(always)]
pub fn exp_neg(d: f32) -> f32 {
    if d < -87.0 {
        return 0.0;
    }
    let k = (d * core::f32::consts::LOG2_E).round();
    // Cody-Waite: ln2 split in a high part exact in f32 and a low correction.
    let t = d - k * 0.693_145_75 - k * 1.428_606_8e-6;
    let p = 1.0
        + t * (1.0 + t * (0.5 + t * (0.166_666_67 + t * (0.041_666_668 + t * (0.008_333_334 + t * 0.001_388_889)))));
    p * f32::from_bits(((k as i32 + 127) as u32) << 23)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_matches_ecmascript_to_int32() {
        assert_eq!(js_wrap(2147483648.0, 32) as i32, -2147483648);
        assert_eq!(js_wrap(-1.5, 32) as i32, -1);
        assert_eq!(js_wrap(f64::NAN, 32), 0);
        assert_eq!(js_wrap(300.0, 8), 44);
        assert_eq!(js_wrap(-1.0, 8), 255);
        assert_eq!(js_wrap(4294967297.0, 32), 1);
    }

    #[test]
    fn erf_hits_known_values() {
        // erf(1) = 0.8427007929497149, erf(0.1) = 0.1124629160182849 (A&S table 7.1).
        assert!((erf(1.0) - 0.842_700_792_949_714_9).abs() < 1e-14);
        assert!((erf(0.1) - 0.112_462_916_018_284_9).abs() < 1e-15);
        assert!((erf(-2.0) + 0.995_322_265_018_952_7).abs() < 1e-14);
        assert_eq!(erf(7.0), 1.0);
        assert!(erf(f64::NAN).is_nan());
    }

    #[test]
    fn exp_neg_is_accurate_to_float32() {
        for i in 0..=870 {
            let d = -(i as f32) * 0.1;
            let want = (d as f64).exp();
            let got = exp_neg(d) as f64;
            assert!(((got - want) / want).abs() < 3e-7, "d={d} got={got} want={want}");
        }
        assert_eq!(exp_neg(0.0), 1.0);
        assert_eq!(exp_neg(-100.0), 0.0);
    }

    #[test]
    fn js_max_min_order_signed_zero() {
        assert!(js_max(-0.0, 0.0).is_sign_positive());
        assert!(js_min(0.0, -0.0).is_sign_negative());
        assert!(js_max(1.0, f64::NAN).is_nan());
    }
}
