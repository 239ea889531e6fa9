// erf to ~4e-15 absolute error, from coefficients this module derives at load time (no
// published constants to transcribe): a Maclaurin polynomial near 0, where relative accuracy
// matters, and Chebyshev interpolants of an exact series on [0.5, 6); beyond 6, erf is ±1
// in double precision (erfc(6) ≈ 2e-17).

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const SMALL = 0.5;
const LARGE = 6;
const WIDTH = 0.5;
const PIECES = (LARGE - SMALL) / WIDTH;
const DEGREE = 12;
const TAYLOR_TERMS = 16;

/**
 * erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n (2x^2)^n * x / (1*3*...*(2n+1)) (Abramowitz-Stegun
 * 7.1.6): every term is positive for x > 0, so it sums without cancellation. Slow; load only.
 */
function erfSeries(x: number): number {
  const x2 = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 1; term > sum * 1e-17; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
}

// erf(x) = x * sum_n c_n x^(2n), c_n = 2/sqrt(pi) * (-1)^n / (n! (2n+1)); 16 terms reach
// 1e-17 for |x| < 0.5.
const taylor = new Float64Array(TAYLOR_TERMS);
for (let n = 0, fact = 1; n < TAYLOR_TERMS; n++) {
  if (n > 0) fact *= n;
  taylor[n] = (TWO_OVER_SQRT_PI * (n % 2 === 0 ? 1 : -1)) / (fact * (2 * n + 1));
}

// Chebyshev coefficients per piece, from the series sampled at Chebyshev nodes.
const cheb = new Float64Array(PIECES * DEGREE);
for (let p = 0; p < PIECES; p++) {
  const mid = SMALL + (p + 0.5) * WIDTH;
  const f = new Float64Array(DEGREE);
  for (let k = 0; k < DEGREE; k++) f[k] = erfSeries(mid + (Math.cos((Math.PI * (k + 0.5)) / DEGREE) * WIDTH) / 2);
  for (let j = 0; j < DEGREE; j++) {
    let s = 0;
    for (let k = 0; k < DEGREE; k++) s += f[k] * Math.cos((Math.PI * j * (k + 0.5)) / DEGREE);
    cheb[p * DEGREE + j] = ((j === 0 ? 1 : 2) * s) / DEGREE;
  }
}

/** The error function, accurate to ~4e-15 absolute (and relative near 0). */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < SMALL) {
    const u = x * x;
    let s = taylor[TAYLOR_TERMS - 1];
    for (let n = TAYLOR_TERMS - 2; n >= 0; n--) s = s * u + taylor[n];
    return x * s;
  }
  if (!(ax < LARGE)) return x !== x ? x : x > 0 ? 1 : -1;
  const p = Math.floor((ax - SMALL) / WIDTH);
  const t = (2 * (ax - SMALL - p * WIDTH)) / WIDTH - 1;
  const o = p * DEGREE;
  // Clenshaw's recurrence for sum_j c_j T_j(t).
  let b1 = 0;
  let b2 = 0;
  for (let j = DEGREE - 1; j >= 1; j--) {
    const b0 = 2 * t * b1 - b2 + cheb[o + j];
    b2 = b1;
    b1 = b0;
  }
  const r = t * b1 - b2 + cheb[o];
  return x < 0 ? -r : r;
}
