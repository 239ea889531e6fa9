// Verification by a distance threshold: a pair is called "same class" when its distance is
// below the threshold; the threshold is chosen where it is most accurate on labelled pairs.

/**
 * The share of pairs called right: same (dissimilar 0) when distance < threshold, else different.
 * @example verificationAccuracy([0.2, 0.9], [0, 1], 0.5) // 1
 */
export function verificationAccuracy(distances: ArrayLike<number>, dissimilar: ArrayLike<number>, threshold: number): number {
  let right = 0;
  for (let i = 0; i < distances.length; i++) if ((distances[i]! < threshold) === (dissimilar[i] === 0)) right++;
  return distances.length === 0 ? 0 : right / distances.length;
}

/**
 * The threshold with the best accuracy on these pairs (midway between two neighbouring sorted
 * distances, or beyond either end), and that accuracy.
 * @example bestThreshold([0.1, 0.3, 0.8, 0.9], [0, 0, 1, 1]) // { threshold: 0.55, accuracy: 1 }
 */
export function bestThreshold(distances: ArrayLike<number>, dissimilar: ArrayLike<number>): { threshold: number; accuracy: number } {
  const order = Array.from(distances, (_, i) => i).sort((a, b) => distances[a]! - distances[b]!);
  const n = order.length;
  // Threshold below everything: every pair is called different, right for the dissimilar ones.
  let right = order.reduce((s, i) => s + (dissimilar[i] === 0 ? 0 : 1), 0);
  let best = { threshold: n === 0 ? 0 : distances[order[0]!]! - 1e-6, right };
  for (let k = 0; k < n; k++) {
    // Moving the threshold above pair k calls it same: right if it is a similar pair.
    right += dissimilar[order[k]!] === 0 ? 1 : -1;
    const next = k + 1 < n ? distances[order[k + 1]!]! : distances[order[k]!]! + 1e-6;
    if (next === distances[order[k]!]!) continue; // ties move together
    if (right > best.right) best = { threshold: (distances[order[k]!]! + next) / 2, right };
  }
  return { threshold: best.threshold, accuracy: n === 0 ? 0 : best.right / n };
}
