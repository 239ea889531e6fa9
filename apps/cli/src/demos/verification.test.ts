// The Siamese demo's pair sampling and threshold choice, on values worked by hand.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@tensile/data';
import { indicesByClass, samplePairs } from './pairs.js';
import { bestThreshold, verificationAccuracy } from './verification.js';

describe('verification by a distance threshold', () => {
  it.each([
    { d: [0.1, 0.3, 0.8, 0.9], y: [0, 0, 1, 1], threshold: 0.55, accuracy: 1 },
    // One similar pair far away: best is still between 0.3 and 0.8 (4 of 5 right; above 2 would be 3 of 5).
    { d: [0.1, 0.3, 0.8, 0.9, 2], y: [0, 0, 1, 1, 0], threshold: 0.55, accuracy: 0.8 },
    // All dissimilar: a threshold below every distance calls all of them different.
    { d: [0.5, 0.7], y: [1, 1], threshold: 0.5 - 1e-6, accuracy: 1 },
    // All similar: above every distance.
    { d: [0.5, 0.7], y: [0, 0], threshold: 0.7 + 0.5e-6, accuracy: 1 },
    // Tied distances with different labels cannot be split: 2 of 3 at best, below 0.4 or between 0.4 and 0.9;
    // the lowest of equally good thresholds is kept.
    { d: [0.4, 0.4, 0.9], y: [0, 1, 1], threshold: 0.4 - 1e-6, accuracy: 2 / 3 },
  ])('distances $d, labels $y: threshold $threshold, accuracy $accuracy', ({ d, y, threshold, accuracy }) => {
    const best = bestThreshold(d, y);
    expect(best.threshold).toBeCloseTo(threshold, 9);
    expect(best.accuracy).toBeCloseTo(accuracy, 12);
    expect(verificationAccuracy(d, y, best.threshold)).toBeCloseTo(accuracy, 12);
  });
});

describe('pairs', () => {
  it('indices by class, in label order', () => {
    expect(indicesByClass(Int32Array.of(3, 1, 3, 0, 1), [1, 3, 2]).map((a) => Array.from(a))).toEqual([[1, 4], [0, 2], []]);
  });

  it('alternate similar and dissimilar pairs, of the right classes, reproducibly from the seed', () => {
    const labels = Int32Array.from({ length: 60 }, (_, i) => i % 3);
    const byClass = indicesByClass(labels, [0, 1, 2]);
    const p = samplePairs(byClass, 200, mulberry32(7));
    for (let k = 0; k < 200; k++) {
      expect(p.dissimilar[k]).toBe(k % 2);
      const same = labels[p.first[k]!] === labels[p.second[k]!];
      expect(same).toBe(k % 2 === 0);
      if (same) expect(p.second[k]).not.toBe(p.first[k]);
    }
    // Every class appears as an anchor (200 draws of 3 classes).
    expect(new Set(Array.from(p.first, (i) => labels[i]))).toEqual(new Set([0, 1, 2]));
    expect(Array.from(samplePairs(byClass, 200, mulberry32(7)).second)).toEqual(Array.from(p.second));
  });
});
