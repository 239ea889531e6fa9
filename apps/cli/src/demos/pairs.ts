// Seeded pairs of images for Siamese training and verification: half of them from one class
// (similar), half from two different classes (dissimilar), drawn with @tensile/data's mulberry32.

/** Pairs as two index lists and a label per pair (1: dissimilar, the contrastive loss's convention). */
export interface Pairs {
  first: Int32Array;
  second: Int32Array;
  dissimilar: Float32Array;
}

/**
 * The sample indices of each wanted class, in `labels` order.
 * @example indicesByClass(Int32Array.of(0, 1, 0), [0, 1]) // [[0, 2], [1]]
 */
export function indicesByClass(labels: ArrayLike<number>, classes: readonly number[]): Int32Array[] {
  return classes.map((c) => Int32Array.from(Array.from(labels, (l, i) => (l === c ? i : -1)).filter((i) => i >= 0)));
}

/**
 * `count` pairs drawn from `byClass` (two or more non-empty classes): even pairs are similar
 * (two different samples of one class), odd ones dissimilar (samples of two different classes),
 * classes and samples uniform.
 * @example const p = samplePairs(byClass, 64, mulberry32(1)); // p.dissimilar: 0, 1, 0, 1, ...
 */
export function samplePairs(byClass: readonly Int32Array[], count: number, rand: () => number): Pairs {
  const pick = (list: Int32Array): number => list[Math.floor(rand() * list.length)]!;
  const k = byClass.length;
  const first = new Int32Array(count), second = new Int32Array(count), dissimilar = new Float32Array(count);
  for (let p = 0; p < count; p++) {
    const c = Math.floor(rand() * k);
    first[p] = pick(byClass[c]!);
    if (p % 2 === 0) {
      do second[p] = pick(byClass[c]!); while (second[p] === first[p] && byClass[c]!.length > 1);
    } else {
      const other = (c + 1 + Math.floor(rand() * (k - 1))) % k;
      second[p] = pick(byClass[other]!);
      dissimilar[p] = 1;
    }
  }
  return { first, second, dissimilar };
}
