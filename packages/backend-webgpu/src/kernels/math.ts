import { EXACT_MATH_WGSL } from './exact_math.js';

// WGSL functions for the elementwise kernels whose builtins WGSL lacks or leaves undefined at
// the edges (log of a negative, pow of a negative base, tanh overflow, ToInt32 of a float).
export const MATH_WGSL = /* wgsl */ `
fn sign_bit(x: f32) -> bool { return (bitcast<u32>(x) >> 31u) == 1u; }
// Truthiness on the bits: NaN and denormals are true even where the device flushes denormals.
fn truthy_f(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) != 0u; }
${EXACT_MATH_WGSL}
fn safe_log(x: f32) -> f32 {
  if (is_nan(x) || x < 0.0) { return nan_f32(); }
  if (x == 0.0) { return -inf_f32(); }
  if (is_inf(x)) { return x; }
  return log_(x);
}
fn safe_sqrt(x: f32) -> f32 {
  if (is_nan(x) || x < 0.0) { return nan_f32(); }
  if (is_inf(x)) { return x; }
  return sqrt(x);
}
fn expm1_(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x > 88.0) { return inf_f32(); }
  if (x < -20.0) { return -1.0; }
  let e = exp_(x);
  if (e == 1.0) { return x; }
  let em1 = e - 1.0;
  if (em1 == -1.0) { return -1.0; }
  // Kahan's trick: the rounding error of e - 1 cancels against that of log(e).
  return em1 * x / log_(e);
}
fn log1p_(x: f32) -> f32 {
  if (is_nan(x) || x < -1.0) { return nan_f32(); }
  if (x == -1.0) { return -inf_f32(); }
  if (is_inf(x)) { return x; }
  if (abs(x) < 0.29) {
    // 2 atanh(s) with s = x / (2 + x): no cancellation (Kahan's (1 + x) - 1 trick is undone
    // by compilers that reassociate floats).
    let s = x / (2.0 + x);
    let z = s * s;
    return 2.0 * s * (1.0 + z * (0.33333333 + z * (0.2 + z * (0.14285714 + z * (0.11111111 + z * (0.09090909 + z * 0.07692308))))));
  }
  return log_(1.0 + x);
}
fn tanh_(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let ax = abs(x);
  var t: f32;
  if (ax < 0.55) {
    let x2 = x * x;
    // Taylor series to x^13 (error below f32 rounding for |x| < 0.55).
    t = ax * (1.0 + x2 * (-0.33333334 + x2 * (0.13333334 + x2 * (-0.053968254 + x2 * (0.021869488 + x2 * (-0.008863236 + x2 * 0.0035921280))))));
  } else if (ax > 10.0) {
    t = 1.0;
  } else {
    let e = exp_(-2.0 * ax);
    t = (1.0 - e) / (1.0 + e);
  }
  return select(t, -t, x < 0.0);
}
fn sigmoid_(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp_(-x)); }
  let e = exp_(x);
  return e / (1.0 + e);
}
fn erf_(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let ax = abs(x);
  var r: f32;
  if (ax < 0.5) {
    // Maclaurin series 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1)), to n = 8.
    let z = x * x;
    r = ax * (1.1283791671 + z * (-0.3761263890 + z * (0.1128379167 + z * (-0.0268661706 + z * (0.0052239776 + z * (-0.0008548325 + z * (0.0001205529 + z * (-0.0000149247 + z * 0.0000016462))))))));
  } else if (ax >= 4.0) {
    r = 1.0;
  } else {
    // erfc by W. J. Cody's rational form via Numerical Recipes' erfcc (relative error < 1.2e-7).
    let t = 1.0 / (1.0 + 0.5 * ax);
    let y = t * exp_(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    r = 1.0 - y;
  }
  return select(r, -r, x < 0.0);
}
fn is_int_f(y: f32) -> bool { return !is_inf(y) && floor(y) == y; }
fn powf_(x: f32, y: f32) -> f32 {
  if (y == 0.0 || x == 1.0) { return 1.0; }
  if (is_nan(x) || is_nan(y)) { return nan_f32(); }
  let ax = abs(x);
  if (ax == 1.0 && is_inf(y)) { return 1.0; }
  let yint = is_int_f(y);
  if (x < 0.0 && !yint && !is_inf(y)) { return nan_f32(); }
  var r: f32;
  if (ax == 0.0) {
    r = select(0.0, inf_f32(), y < 0.0);
  } else if (is_inf(ax)) {
    r = select(inf_f32(), 0.0, y < 0.0);
  } else if (is_inf(y)) {
    r = select(select(0.0, inf_f32(), ax > 1.0), select(inf_f32(), 0.0, ax > 1.0), y < 0.0);
  } else if (yint && abs(y) <= 64.0) {
    // Small integer exponents by squaring: exact where the result is representable.
    var e = u32(abs(y));
    var b = ax;
    r = 1.0;
    loop {
      if (e == 0u) { break; }
      if ((e & 1u) == 1u) { r = r * b; }
      b = b * b;
      e = e >> 1u;
    }
    if (y < 0.0) { r = 1.0 / r; }
  } else {
    r = exp_(y * log_(ax));
  }
  let odd = yint && abs(y) < 16777216.0 && (i32(abs(y)) & 1) == 1;
  if (odd && sign_bit(x)) { r = -r; }
  return r;
}
fn atan2_(y: f32, x: f32) -> f32 {
  if (is_nan(x) || is_nan(y)) { return nan_f32(); }
  let pi = 3.14159265358979;
  if (is_inf(x) && is_inf(y)) {
    let a = select(pi / 4.0, 3.0 * pi / 4.0, x < 0.0);
    return select(a, -a, y < 0.0);
  }
  if (y == 0.0) {
    if (sign_bit(x)) { return select(pi, -pi, sign_bit(y)); }
    return y;
  }
  return atan2(y, x);
}
// JavaScript's ToInt32: truncate, wrap modulo 2^32; NaN and infinities give 0.
fn to_i32(x: f32) -> i32 {
  if (is_nan(x) || is_inf(x)) { return 0i; }
  let t = trunc(x);
  if (abs(t) < 2147483648.0) { return i32(t); }
  let m = t - floor(t / 4294967296.0) * 4294967296.0;
  return bitcast<i32>(u32(m));
}
fn floordiv_f(a: f32, b: f32) -> f32 {
  if (b == 0.0 || is_inf(b) || is_nan(a) || is_nan(b)) {
    if (is_inf(b) && !is_inf(a) && !is_nan(a)) {
      // Python: floor(a / inf) is 0 or -1 by the signs.
      if (a == 0.0 || (a > 0.0) == (b > 0.0)) { return select(0.0, -0.0, (a < 0.0) != (b < 0.0)); }
      return -1.0;
    }
    return a / b;
  }
  let m = mod_f(a, b);
  return round((a - m) / b);
}
fn mod_f(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b) || is_inf(a) || b == 0.0) { return nan_f32(); }
  if (is_inf(b)) {
    if (a == 0.0 || (a > 0.0) == (b > 0.0)) { return a; }
    return b;
  }
  // Python's modulo (the divisor's sign); one correction step covers the rounding of a / b.
  var r = a - b * floor(a / b);
  if (r != 0.0 && ((r < 0.0) != (b < 0.0))) { r = r + b; }
  if (abs(r) >= abs(b)) { r = r - b; }
  return r;
}
fn idiv(a: i32, b: i32) -> i32 {
  if (b == 0i) { return 0i; }
  if (b == -1i) { return 0i - a; }
  return a / b;
}
fn imod(a: i32, b: i32) -> i32 {
  if (b == 0i || b == -1i) { return 0i; }
  return a % b;
}
fn ifloordiv(a: i32, b: i32) -> i32 {
  if (b == 0i) { return 0i; }
  let q = idiv(a, b);
  let r = imod(a, b);
  return select(q, q - 1i, r != 0i && ((r < 0i) != (b < 0i)));
}
fn ifloormod(a: i32, b: i32) -> i32 {
  let r = imod(a, b);
  return select(r, r + b, r != 0i && ((r < 0i) != (b < 0i)));
}
fn ipow(x: i32, y: i32) -> i32 {
  if (y < 0i) {
    if (x == 1i) { return 1i; }
    if (x == -1i) { return select(1i, -1i, (y & 1i) == 1i); }
    return 0i;
  }
  var r = 1i;
  var b = x;
  var e = u32(y);
  loop {
    if (e == 0u) { break; }
    if ((e & 1u) == 1u) { r = r * b; }
    b = b * b;
    e = e >> 1u;
  }
  return r;
}
`;
