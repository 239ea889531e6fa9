// Tolerances, per kind of computation, each with the reason for its size. Cases pick one
// (or write their own) so no single global epsilon hides a sloppy kernel.
import type { Tol } from './types.js';

/** Integer results, comparisons, selection and data movement: bit-exact. */
export const EXACT: Tol = { rtol: 0, atol: 0, why: 'integer, boolean, selection or data-movement result: no rounding' };

/** One float32 operation on exact inputs. */
export const ARITH: Tol = {
  rtol: 1e-6, atol: 0,
  why: 'one IEEE float32 operation: correctly rounded on CPUs; WGSL allows 2.5 ulp for division and sqrt',
};

/** Elementwise transcendental functions (exp, log, tanh, erf, pow, ...). */
export const TRANS: Tol = {
  rtol: 1e-5, atol: 1e-6,
  why: 'libm, JS Math and GPU builtins differ by a few ulp; erf is a polynomial approximation (~1e-7 absolute)',
};

/** Transcendentals at edge inputs: relative accuracy near zero must survive. */
export const TRANS_EDGE: Tol = {
  rtol: 1e-5, atol: 1e-30,
  why: 'expm1/log1p/tanh/sin near 0 and sigmoid/softplus tails must keep relative accuracy; 1e-30 absorbs flushed denormals',
};

/** erf at edge inputs. */
export const ERF_EDGE: Tol = {
  rtol: 1e-5, atol: 2e-7,
  why: 'erf implementations (Abramowitz-Stegun 7.1.26 and similar) carry ~1.5e-7 absolute error near 0',
};

/** Sums of up to ~100 float32 terms of magnitude ~1 (reductions, matmul, conv, pooling averages). */
export const ACCUM: Tol = {
  rtol: 1e-5, atol: 1e-5,
  why: 'float32 accumulation in another order than torch: error ~ n * 2^-24 * sum|terms| for n <= ~100',
};

/** Softmax and log-softmax. */
export const SOFTMAX: Tol = {
  rtol: 1e-5, atol: 1e-6,
  why: 'exp, a float32 row sum and a log or division: a few ulp plus accumulation order',
};

/** Gradients compared with torch.autograd's. */
export const GRAD: Tol = {
  rtol: 1e-4, atol: 1e-5,
  why: "backward composes several float32 ops (unbroadcast sums, products) in another order than torch's fused kernels",
};

/** Central finite differences of a float32 forward pass, eps = 1e-2. */
export const FD: Tol = {
  rtol: 2e-2, atol: 2e-3,
  why: 'central differences with eps 1e-2: truncation eps^2 f\'\'\'/6 ~ 1e-4 plus float32 rounding ulp(f)/eps ~ 1e-5 * |f|',
};

/** Finite differences through steep functions (reciprocal, rsqrt, log near small x, pow). */
export const FD_STEEP: Tol = {
  rtol: 3e-2, atol: 5e-3,
  why: 'third derivatives up to ~100 on the sampled domain make the eps^2 truncation term reach ~2e-3',
};
