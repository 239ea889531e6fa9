// exp, log, sin and cos in WGSL to about 1 ulp (Cephes' single-precision polynomials with
// Cody-Waite range reduction). WGSL lets builtins be loose, and SwiftShader's are (sin is off
// by 1e-4, log by 1e-3 relative near 1), so every kernel uses these instead.
export const EXACT_MATH_WGSL = /* wgsl */ `
fn exp_(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x > 88.72284) { return inf_f32(); }
  if (x < -103.97208) { return 0.0; }
  let n = floor(x * 1.44269504088896341 + 0.5);
  var r = x - n * 0.693359375;
  r = r - n * -2.12194440e-4;
  var p = 1.9875691500e-4;
  p = p * r + 1.3981999507e-3;
  p = p * r + 8.3334519073e-3;
  p = p * r + 4.1665795894e-2;
  p = p * r + 1.6666665459e-1;
  p = p * r + 5.0000001201e-1;
  let e = p * r * r + r + 1.0;
  // Two steps, so that 2^n never leaves the exponent range on its own.
  let h = i32(n) / 2i;
  return ldexp(ldexp(e, h), i32(n) - h);
}
fn log_(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  var bits = bitcast<u32>(x);
  if ((bits >> 31u) == 1u && (bits & 0x7fffffffu) != 0u) { return nan_f32(); }
  if ((bits & 0x7fffffffu) == 0u) { return -inf_f32(); }
  if (is_inf(x)) { return x; }
  var ex = i32((bits >> 23u) & 0xffu);
  var mant = bits & 0x7fffffu;
  if (ex == 0i) {
    // A denormal: normalise the mantissa on the bits (the device may flush the value to 0).
    let s = countLeadingZeros(mant) - 8u;
    mant = (mant << s) & 0x7fffffu;
    ex = 1i - i32(s);
  }
  var e = ex - 126i;
  var m = bitcast<f32>(mant | 0x3f000000u);
  if (m < 0.70710678118654752) { e = e - 1i; m = m + m - 1.0; } else { m = m - 1.0; }
  let z = m * m;
  var y = 7.0376836292e-2;
  y = y * m - 1.1514610310e-1;
  y = y * m + 1.1676998740e-1;
  y = y * m - 1.2420140846e-1;
  y = y * m + 1.4249322787e-1;
  y = y * m - 1.6668057665e-1;
  y = y * m + 2.0000714765e-1;
  y = y * m - 2.4999993993e-1;
  y = y * m + 3.3333331174e-1;
  y = y * m * z;
  let fe = f32(e);
  y = y + fe * -2.12194440e-4;
  y = y - 0.5 * z;
  return m + y + fe * 0.693359375;
}
// sin and cos of x = k pi/2 + r, |r| <= pi/4, with pi/2 split in three parts (exact products).
fn sincos_reduce(x: f32) -> vec2<f32> {
  let k = round(x * 0.63661977236758134);
  var r = x - k * 1.5703125;
  r = r - k * 4.837512969970703125e-4;
  r = r - k * 7.54978995489188216e-8;
  return vec2<f32>(r, k);
}
fn sin_poly(r: f32) -> f32 {
  let z = r * r;
  return r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
}
fn cos_poly(r: f32) -> f32 {
  let z = r * r;
  return 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
}
fn sin_(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return nan_f32(); }
  let rk = sincos_reduce(x);
  let q = i32(rk.y) & 3i;
  var v: f32;
  if (q == 0i) { v = sin_poly(rk.x); } else if (q == 1i) { v = cos_poly(rk.x); } else if (q == 2i) { v = -sin_poly(rk.x); } else { v = -cos_poly(rk.x); }
  return v;
}
fn cos_(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return nan_f32(); }
  let rk = sincos_reduce(x);
  let q = i32(rk.y) & 3i;
  var v: f32;
  if (q == 0i) { v = cos_poly(rk.x); } else if (q == 1i) { v = -sin_poly(rk.x); } else if (q == 2i) { v = -cos_poly(rk.x); } else { v = sin_poly(rk.x); }
  return v;
}
`;
