// McNemar's test: do two classifiers, scored on the same test images, differ in accuracy by
// more than chance? Only the discordant images count: b (right only for A) and c (right only
// for B). Under "no difference" each discordant image is a fair coin, so b ~ Binomial(b + c, ½).

/** The paired comparison of two classifiers on the same images. */
export interface McNemarResult {
  /** Images only A got right. */
  onlyA: number;
  /** Images only B got right. */
  onlyB: number;
  /** (b - c) / sqrt(b + c): the normal approximation's z score (0 when b + c = 0). */
  z: number;
  /** Exact two-sided p-value: P(|Binomial(b + c, ½) - (b + c)/2| >= |b - c|/2), at most 1. */
  p: number;
}

/**
 * McNemar's exact test on per-image correctness (1 right, 0 wrong) of two classifiers.
 * @example mcnemar(Uint8Array.of(1, 1, 1, 1, 1, 0), Uint8Array.of(0, 0, 0, 0, 0, 0)) // { onlyA: 5, onlyB: 0, z: 2.236…, p: 0.0625 }
 */
export function mcnemar(a: ArrayLike<number>, b: ArrayLike<number>): McNemarResult {
  if (a.length !== b.length) throw new RangeError(`mcnemar: the two correctness arrays must have one length, got ${a.length} and ${b.length}`);
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && !b[i]) onlyA++;
    else if (!a[i] && b[i]) onlyB++;
  }
  const n = onlyA + onlyB;
  const z = n === 0 ? 0 : (onlyA - onlyB) / Math.sqrt(n);
  return { onlyA, onlyB, z, p: Math.min(1, 2 * binomialHalfCdf(Math.min(onlyA, onlyB), n)) };
}

/** P(X <= k) for X ~ Binomial(n, ½), summed in log space so n in the thousands does not underflow early. */
function binomialHalfCdf(k: number, n: number): number {
  const logHalfN = -n * Math.LN2;
  let logC = 0; // log C(n, 0)
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    sum += Math.exp(logC + logHalfN);
  }
  return sum;
}
