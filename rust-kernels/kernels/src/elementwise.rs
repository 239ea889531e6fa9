//! Elementwise kernels: Unary, Binary (numpy broadcasting), Where, Fill, Cast.
//! float32 arithmetic runs in SIMD over contiguous/broadcast rows; every other dtype and op
//! computes in f64 and stores like the reference backend (bit-identical results).
use crate::dtype::{self, BOOL, F32, load, store};
use crate::math::{erf, js_max, js_min};
use crate::simd::F4;
use crate::walk::{Plan, for_each_row};

// Unary op codes: the order of `UnaryOp` in core's kernels.ts.
pub const NEG: u32 = 0;
pub const ABS: u32 = 1;
pub const SIGN: u32 = 2;
pub const EXP: u32 = 3;
pub const EXPM1: u32 = 4;
pub const LOG: u32 = 5;
pub const LOG1P: u32 = 6;
pub const SQRT: u32 = 7;
pub const RSQRT: u32 = 8;
pub const SQUARE: u32 = 9;
pub const RECIPROCAL: u32 = 10;
pub const SIN: u32 = 11;
pub const COS: u32 = 12;
pub const TANH: u32 = 13;
pub const SIGMOID: u32 = 14;
pub const SOFTPLUS: u32 = 15;
pub const RELU: u32 = 16;
pub const ERF: u32 = 17;
pub const FLOOR: u32 = 18;
pub const CEIL: u32 = 19;
pub const ROUND: u32 = 20;
pub const LOGICAL_NOT: u32 = 21;
pub const IS_NAN: u32 = 22;
pub const IS_INF: u32 = 23;
pub const LEAKY_RELU: u32 = 24;
pub const ELU: u32 = 25;

/// The dtype Unary writes.
pub fn unary_out_dtype(op: u32, dt: u32) -> u32 {
    if op == IS_NAN || op == IS_INF { BOOL } else { dt }
}

/// One element of `op` in f64 (the reference backend's Math semantics).
#[inline(always)]
fn unary_scalar(op: u32, x: f64, is_int: bool, alpha: f64) -> f64 {
    match op {
        NEG => -x,
        ABS => x.abs(),
        SIGN => ((x > 0.0) as i32 - (x < 0.0) as i32) as f64,
        EXP => x.exp(),
        EXPM1 => x.exp_m1(),
        LOG => x.ln(),
        LOG1P => x.ln_1p(),
        SQRT => x.sqrt(),
        RSQRT => 1.0 / x.sqrt(),
        SQUARE => {
            if is_int {
                (x as i32).wrapping_mul(x as i32) as f64
            } else {
                x * x
            }
        }
        RECIPROCAL => 1.0 / x,
        SIN => x.sin(),
        COS => x.cos(),
        TANH => x.tanh(),
        SIGMOID => {
            if x >= 0.0 {
                1.0 / (1.0 + (-x).exp())
            } else {
                let e = x.exp();
                e / (1.0 + e)
            }
        }
        SOFTPLUS => (-x.abs()).exp().ln_1p() + js_max(x, 0.0),
        RELU => {
            if x < 0.0 {
                0.0
            } else {
                x
            }
        }
        ERF => erf(x),
        FLOOR => x.floor(),
        CEIL => x.ceil(),
        ROUND => x.round_ties_even(),
        LOGICAL_NOT => (x == 0.0) as i32 as f64,
        IS_NAN => x.is_nan() as i32 as f64,
        IS_INF => x.is_infinite() as i32 as f64,
        LEAKY_RELU => {
            if x > 0.0 {
                x
            } else {
                alpha * x
            }
        }
        ELU => {
            if x > 0.0 {
                x
            } else {
                alpha * x.exp_m1()
            }
        }
        _ => f64::NAN,
    }
}

/// Applies `f` to n float32 values, 4 lanes at a time (monomorphized per op: no indirect calls).
#[inline(always)]
unsafe fn unary_f32(f: impl Fn(F4) -> F4, x: *const f32, out: *mut f32, n: usize) {
    unsafe {
        let mut i = 0;
        while i + 4 <= n {
            f(F4::load(x.add(i))).store(out.add(i));
            i += 4;
        }
        while i < n {
            *out.add(i) = f(F4::splat(*x.add(i))).lanes()[0];
            i += 1;
        }
    }
}

/// Unary: `n` elements of dtype `dt` at `x` into `out` (dtype `unary_out_dtype`). `alpha` is
/// leakyRelu's slope / elu's scale (NaN selects the defaults 0.01 / 1).
pub unsafe fn unary(op: u32, dt: u32, x: *const u8, out: *mut u8, n: usize, alpha: f64) {
    let alpha = if alpha.is_nan() { if op == ELU { 1.0 } else { 0.01 } } else { alpha };
    unsafe {
        if dt == F32 {
            // float32 ops that are one correctly rounded f32 operation (bit-identical to f64-then-round).
            let (xf, of) = (x as *const f32, out as *mut f32);
            match op {
                NEG => return unary_f32(|v| v.neg(), xf, of, n),
                ABS => return unary_f32(|v| v.abs(), xf, of, n),
                SQRT => return unary_f32(|v| v.sqrt(), xf, of, n),
                SQUARE => return unary_f32(|v| v.mul(v), xf, of, n),
                RECIPROCAL => return unary_f32(|v| F4::splat(1.0).div(v), xf, of, n),
                RELU => return unary_f32(|v| v.relu(), xf, of, n),
                _ => {}
            }
        }
        let odt = unary_out_dtype(op, dt);
        let is_int = dt != F32;
        for i in 0..n {
            store(out, odt, i, unary_scalar(op, load(x, dt, i), is_int, alpha));
        }
    }
}

// Binary op codes: the order of `BinaryOp` in core's kernels.ts.
pub const ADD: u32 = 0;
pub const SUB: u32 = 1;
pub const MUL: u32 = 2;
pub const DIV: u32 = 3;
pub const FLOOR_DIV: u32 = 4;
pub const MOD: u32 = 5;
pub const POW: u32 = 6;
pub const MAXIMUM: u32 = 7;
pub const MINIMUM: u32 = 8;
pub const ATAN2: u32 = 9;
pub const EQUAL: u32 = 10;
pub const LOGICAL_XOR: u32 = 18;

/// Comparisons and logical ops write bool.
pub fn binary_out_dtype(op: u32, dt: u32) -> u32 {
    if op >= EQUAL { BOOL } else { dt }
}

/// Python floor division for doubles, exact via fmod (torch.floor_divide).
fn floor_div_f(x: f64, y: f64) -> f64 {
    if y == 0.0 {
        return x / y;
    }
    let m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 && ((y < 0.0) != (m < 0.0)) {
        div -= 1.0;
    }
    if div == 0.0 {
        return 0.0 * (x / y);
    }
    let f = div.floor();
    if div - f > 0.5 { f + 1.0 } else { f }
}

/// Python modulo for doubles (sign of the divisor).
fn mod_f(x: f64, y: f64) -> f64 {
    let r = x % y;
    if r != 0.0 && ((y < 0.0) != (r < 0.0)) { r + y } else { r }
}

/// C's pow (1^NaN = 1, (-1)^±Inf = 1).
fn pow_f(x: f64, y: f64) -> f64 {
    if x == 1.0 || (x == -1.0 && y.is_infinite()) {
        return 1.0;
    }
    x.powf(y)
}

/// int32 pow by squaring with wrapping products; negative exponents give 0 unless |x| = 1.
fn pow_i(x: i32, y: i32) -> i32 {
    if y < 0 {
        return if x == 1 {
            1
        } else if x == -1 {
            if y & 1 != 0 { -1 } else { 1 }
        } else {
            0
        };
    }
    let (mut r, mut base, mut e) = (1i32, x, y as u32);
    while e > 0 {
        if e & 1 != 0 {
            r = r.wrapping_mul(base);
        }
        base = base.wrapping_mul(base);
        e >>= 1;
    }
    r
}

/// One element of `op` (the reference backend's FLOAT_LOOPS, or INT_LOOPS for integer dtypes).
#[inline(always)]
fn binary_scalar(op: u32, a: f64, b: f64, is_int: bool) -> f64 {
    if is_int {
        match op {
            MUL => return (a as i64 as i32).wrapping_mul(b as i64 as i32) as f64,
            DIV => return if b == 0.0 { 0.0 } else { (a / b).trunc() },
            FLOOR_DIV => return if b == 0.0 { 0.0 } else { (a / b).floor() },
            MOD => {
                if b == 0.0 {
                    return 0.0;
                }
                let r = a % b;
                return if r != 0.0 && ((b < 0.0) != (r < 0.0)) { r + b } else { r };
            }
            POW => return pow_i(a as i64 as i32, b as i64 as i32) as f64,
            _ => {}
        }
    }
    match op {
        ADD => a + b,
        SUB => a - b,
        MUL => a * b,
        DIV => a / b,
        FLOOR_DIV => floor_div_f(a, b),
        MOD => mod_f(a, b),
        POW => pow_f(a, b),
        MAXIMUM => js_max(a, b),
        MINIMUM => js_min(a, b),
        ATAN2 => a.atan2(b),
        10 => (a == b) as i32 as f64,
        11 => (a != b) as i32 as f64,
        12 => (a < b) as i32 as f64,
        13 => (a <= b) as i32 as f64,
        14 => (a > b) as i32 as f64,
        15 => (a >= b) as i32 as f64,
        16 => ((a != 0.0) & (b != 0.0)) as i32 as f64,
        17 => ((a != 0.0) | (b != 0.0)) as i32 as f64,
        LOGICAL_XOR => ((a != 0.0) ^ (b != 0.0)) as i32 as f64,
        _ => f64::NAN,
    }
}

/// One float32 row: out[i] = f(a[ia + i*sa], b[ib + i*sb]), SIMD when both strides are 0 or 1.
#[inline(always)]
unsafe fn simd_row(f: impl Fn(F4, F4) -> F4, a: *const f32, sa: usize, b: *const f32, sb: usize, out: *mut f32, n: usize) {
    unsafe {
        let mut i = 0;
        match (sa, sb) {
            (1, 1) => {
                while i + 4 <= n {
                    f(F4::load(a.add(i)), F4::load(b.add(i))).store(out.add(i));
                    i += 4;
                }
            }
            (1, 0) => {
                let bv = F4::splat(*b);
                while i + 4 <= n {
                    f(F4::load(a.add(i)), bv).store(out.add(i));
                    i += 4;
                }
            }
            (0, 1) => {
                let av = F4::splat(*a);
                while i + 4 <= n {
                    f(av, F4::load(b.add(i))).store(out.add(i));
                    i += 4;
                }
            }
            _ => {}
        }
        while i < n {
            *out.add(i) = f(F4::splat(*a.add(i * sa)), F4::splat(*b.add(i * sb))).lanes()[0];
            i += 1;
        }
    }
}

/// Binary with broadcasting over `plan` (operands a, b). Operands share dtype `dt`.
pub unsafe fn binary(op: u32, dt: u32, a: *const u8, b: *const u8, out: *mut u8, plan: &Plan) {
    let odt = binary_out_dtype(op, dt);
    let r = plan.dims.len();
    let (sa, sb) = if r == 0 { (0, 0) } else { (plan.strides[0][r - 1], plan.strides[1][r - 1]) };
    let inner = if r == 0 { 1 } else { plan.dims[r - 1] };
    unsafe {
        let (af, bf) = (a as *const f32, b as *const f32);
        // float32 arithmetic with a SIMD form bit-identical to the f64 reference, one
        // monomorphized loop per op.
        macro_rules! simd {
            ($f:expr) => {{
                let of = out as *mut f32;
                for_each_row(plan.dims, [plan.strides[0], plan.strides[1]], |o, [ia, ib]| {
                    simd_row($f, af.add(ia), sa, bf.add(ib), sb, of.add(o), inner)
                });
                return;
            }};
        }
        // float32 comparisons straight to bool bytes.
        macro_rules! compare {
            ($f:expr) => {{
                let f = $f;
                for_each_row(plan.dims, [plan.strides[0], plan.strides[1]], |o, [ia, ib]| {
                    for i in 0..inner {
                        *out.add(o + i) = f(*af.add(ia + i * sa), *bf.add(ib + i * sb)) as u8;
                    }
                });
                return;
            }};
        }
        if dt == F32 {
            match op {
                ADD => simd!(|x: F4, y: F4| x.add(y)),
                SUB => simd!(|x: F4, y: F4| x.sub(y)),
                MUL => simd!(|x: F4, y: F4| x.mul(y)),
                DIV => simd!(|x: F4, y: F4| x.div(y)),
                MAXIMUM => simd!(|x: F4, y: F4| x.max(y)),
                MINIMUM => simd!(|x: F4, y: F4| x.min(y)),
                EQUAL => compare!(|x: f32, y: f32| x == y),
                11 => compare!(|x: f32, y: f32| x != y),
                12 => compare!(|x: f32, y: f32| x < y),
                13 => compare!(|x: f32, y: f32| x <= y),
                14 => compare!(|x: f32, y: f32| x > y),
                15 => compare!(|x: f32, y: f32| x >= y),
                _ => {}
            }
        }
        let is_int = dt != F32;
        // bool arithmetic stays 0/1 (PyTorch: add is or, mul is and).
        let normalize = dt == BOOL && op < EQUAL;
        for_each_row(plan.dims, [plan.strides[0], plan.strides[1]], |o, [ia, ib]| {
            for i in 0..inner {
                let mut v = binary_scalar(op, load(a, dt, ia + i * sa), load(b, dt, ib + i * sb), is_int);
                if normalize {
                    v = (crate::math::js_wrap(v, 8) != 0) as i32 as f64;
                }
                store(out, odt, o + i, v);
            }
        });
    }
}

/// Where: out = cond ? a : b over `plan` (operands cond, a, b); a, b and out share `dt`.
pub unsafe fn select(dt: u32, cond: *const u8, a: *const u8, b: *const u8, out: *mut u8, plan: &Plan) {
    let es = dtype::size_of(dt);
    let r = plan.dims.len();
    let (sc, sa, sb) = if r == 0 { (0, 0, 0) } else { (plan.strides[0][r - 1], plan.strides[1][r - 1], plan.strides[2][r - 1]) };
    let inner = if r == 0 { 1 } else { plan.dims[r - 1] };
    unsafe {
        for_each_row(plan.dims, [plan.strides[0], plan.strides[1], plan.strides[2]], |o, [ic, ia, ib]| {
            for i in 0..inner {
                if *cond.add(ic + i * sc) != 0 {
                    dtype::copy_elem(a, ia + i * sa, out, o + i, es);
                } else {
                    dtype::copy_elem(b, ib + i * sb, out, o + i, es);
                }
            }
        });
    }
}

/// Fill: `n` elements of `dt`, each `value` stored as a typed-array store would.
pub unsafe fn fill(dt: u32, out: *mut u8, n: usize, value: f64) {
    unsafe {
        if n == 0 {
            return;
        }
        store(out, dt, 0, value);
        if dtype::size_of(dt) == 4 {
            let w = *(out as *const u32);
            core::slice::from_raw_parts_mut(out as *mut u32, n).fill(w);
        } else {
            let w = *out;
            core::slice::from_raw_parts_mut(out, n).fill(w);
        }
    }
}

/// Cast: to bool is `x != 0` (NaN true); otherwise a typed-array store of the value.
pub unsafe fn cast(src: u32, dst: u32, x: *const u8, out: *mut u8, n: usize) {
    unsafe {
        if dst == BOOL {
            for i in 0..n {
                *out.add(i) = (load(x, src, i) != 0.0) as u8;
            }
        } else {
            for i in 0..n {
                store(out, dst, i, load(x, src, i));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dtype::{I32, U8};

    fn plan<'a>(dims: &'a [usize], s: [&'a [usize]; 3]) -> Plan<'a> {
        Plan { dims, strides: s }
    }

    #[test]
    fn unary_float_ops_by_hand() {
        let x = [-2.0f32, -0.0, 0.25, 4.0, 9.0];
        let mut out = [0f32; 5];
        let cases: [(u32, [f32; 5]); 4] = [
            (RELU, [0.0, 0.0, 0.25, 4.0, 9.0]),
            (SQRT, [f32::NAN, -0.0, 0.5, 2.0, 3.0]),
            (SQUARE, [4.0, 0.0, 0.0625, 16.0, 81.0]),
            (SIGN, [-1.0, 0.0, 1.0, 1.0, 1.0]),
        ];
        for (op, want) in cases {
            unsafe { unary(op, F32, x.as_ptr() as _, out.as_mut_ptr() as _, 5, f64::NAN) };
            for i in 0..5 {
                assert!(out[i] == want[i] || (out[i].is_nan() && want[i].is_nan()), "op {op} i {i}: {} vs {}", out[i], want[i]);
            }
        }
    }

    #[test]
    fn unary_int_square_wraps_and_isnan_is_bool() {
        let x = [65536i32, -3];
        let mut out = [0i32; 2];
        unsafe { unary(SQUARE, I32, x.as_ptr() as _, out.as_mut_ptr() as _, 2, f64::NAN) };
        assert_eq!(out, [0, 9]);
        let f = [f32::NAN, 1.0, f32::INFINITY];
        let mut b = [9u8; 3];
        unsafe { unary(IS_NAN, F32, f.as_ptr() as _, b.as_mut_ptr(), 3, f64::NAN) };
        assert_eq!(b, [1, 0, 0]);
    }

    #[test]
    fn binary_broadcasts_rows_and_columns() {
        // a [2, 1] = [1, 2]; b [3] = [10, 20, 30]; a + b = [[11, 21, 31], [12, 22, 32]]
        let a = [1.0f32, 2.0];
        let b = [10.0f32, 20.0, 30.0];
        let mut out = [0f32; 6];
        let p = plan(&[2, 3], [&[1, 0], &[0, 1], &[]]);
        unsafe { binary(ADD, F32, a.as_ptr() as _, b.as_ptr() as _, out.as_mut_ptr() as _, &p) };
        assert_eq!(out, [11.0, 21.0, 31.0, 12.0, 22.0, 32.0]);
        let p = plan(&[6], [&[1], &[0], &[]]);
        let five = [5.0f32];
        let x = [1.0f32, 6.0, 5.0, f32::NAN, 0.0, 9.0];
        let mut lt = [0u8; 6];
        unsafe { binary(12, F32, x.as_ptr() as _, five.as_ptr() as _, lt.as_mut_ptr(), &p) };
        assert_eq!(lt, [1, 0, 0, 0, 1, 0]);
    }

    #[test]
    fn binary_int_semantics_follow_python() {
        let a = [7i32, -7, 7, i32::MIN];
        let b = [-2i32, 2, 0, -1];
        let mut out = [0i32; 4];
        let p = plan(&[4], [&[1], &[1], &[]]);
        unsafe { binary(FLOOR_DIV, I32, a.as_ptr() as _, b.as_ptr() as _, out.as_mut_ptr() as _, &p) };
        assert_eq!(out, [-4, -4, 0, i32::MIN]);
        unsafe { binary(MOD, I32, a.as_ptr() as _, b.as_ptr() as _, out.as_mut_ptr() as _, &p) };
        assert_eq!(out, [-1, 1, 0, 0]);
        assert_eq!(pow_i(3, 4), 81);
        assert_eq!(pow_i(-1, -3), -1);
        assert_eq!(pow_i(2, -1), 0);
    }

    #[test]
    fn bool_add_stays_zero_or_one() {
        let a = [1u8, 1, 0];
        let b = [1u8, 0, 0];
        let mut out = [0u8; 3];
        let p = plan(&[3], [&[1], &[1], &[]]);
        unsafe { binary(ADD, BOOL, a.as_ptr(), b.as_ptr(), out.as_mut_ptr(), &p) };
        assert_eq!(out, [1, 1, 0]);
    }

    #[test]
    fn where_fill_cast() {
        let c = [1u8, 0, 1];
        let a = [1.0f32, 2.0, 3.0];
        let b = [-1.0f32];
        let mut out = [0f32; 3];
        let p = plan(&[3], [&[1], &[1], &[0]]);
        unsafe { select(F32, c.as_ptr(), a.as_ptr() as _, b.as_ptr() as _, out.as_mut_ptr() as _, &p) };
        assert_eq!(out, [1.0, -1.0, 3.0]);
        let mut u = [0u8; 4];
        unsafe { fill(U8, u.as_mut_ptr(), 4, 257.0) };
        assert_eq!(u, [1; 4]);
        let f = [1.9f32, -1.9, f32::NAN];
        let mut i = [0i32; 3];
        unsafe { cast(F32, I32, f.as_ptr() as _, i.as_mut_ptr() as _, 3) };
        assert_eq!(i, [1, -1, 0]);
        let mut bo = [0u8; 3];
        unsafe { cast(F32, BOOL, f.as_ptr() as _, bo.as_mut_ptr(), 3) };
        assert_eq!(bo, [1, 1, 1]);
    }
}
