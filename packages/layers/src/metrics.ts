// Metrics of fit(): each turns one batch's (output, target) into a scalar SUM on the device,
// which fit() accumulates there and reads back once per logging interval (and once per
// validation pass); the epoch's value is the total divided by the number of samples.
import { ArgumentError, DTypeError, ShapeError, fmt, noGrad, tidy, type Tensor } from '@tensile/core';
import { checkNumber, describe } from './check.js';

/**
 * A metric: `batchSum(output, target)` is a float32 scalar holding the sum of the metric over
 * the batch's samples (e.g. the number of correct predictions); fit() divides the epoch's
 * total by the samples seen. It runs under `noGrad` and `tidy`. The epoch logs hold it as
 * `name` (training) and `val` + Name (validation): `accuracy` / `valAccuracy`.
 * @example const mae: Metric = { name: 'mae', batchSum: (o, t) => o.sub(t).abs().mean(-1).sum() };
 */
export interface Metric {
  readonly name: string;
  batchSum(output: Tensor, target: Tensor): Tensor;
}

/** The metrics fit() knows by name. */
export type MetricName = 'accuracy';

/**
 * Accuracy as Keras's 'accuracy' picks it from the shapes: for outputs [N, C] with C > 1, the
 * argmax of each row against int32 class indices [N] (or against the argmax of one-hot /
 * probability targets [N, C]); for outputs [N] or [N, 1] (binary), `output > threshold`
 * against `target > threshold` (threshold 0.5, for probabilities; use 0 for logits).
 * @example fit(model, loader, { ..., metrics: [accuracy({ threshold: 0 })] })
 */
export function accuracy(opts: { threshold?: number } = {}): Metric {
  const threshold = checkNumber('accuracy', opts.threshold, 'threshold', 0.5);
  return {
    name: 'accuracy',
    batchSum: (output, target) => noGrad(() => tidy(() => {
      const op = 'accuracy';
      const binary = output.rank === 1 || (output.rank >= 2 && output.shape[output.rank - 1] === 1);
      if (output.rank === 0) throw new ShapeError(`${op}: the output must have a batch dimension, got ${fmt(output.shape)}`);
      if (binary) {
        if (target.size !== output.size) {
          throw new ShapeError(`${op}: binary outputs ${fmt(output.shape)} need a target with as many values, got ${fmt(target.shape)}`);
        }
        const p = output.reshape([output.size]).greater(threshold);
        const t = target.reshape([target.size]).cast('float32').greater(threshold);
        return p.equal(t).cast('float32').sum();
      }
      const pred = output.argmax(-1);
      let labels: Tensor;
      if (target.dtype === 'float32' && target.rank === output.rank && target.shape.every((d, i) => d === output.shape[i])) {
        labels = target.argmax(-1);
      } else if (target.dtype === 'int32' || target.dtype === 'int8' || target.dtype === 'uint8') {
        if (target.rank !== pred.rank || target.shape.some((d, i) => d !== pred.shape[i])) {
          throw new ShapeError(`${op}: class indices ${fmt(target.shape)} must have the output's shape without its last dim, ${fmt(pred.shape)} (output ${fmt(output.shape)})`);
        }
        labels = target.cast('int32');
      } else {
        throw new DTypeError(`${op}: the target ${target.dtype}${fmt(target.shape)} must be integer class indices ${fmt(pred.shape)} or float32 probabilities ${fmt(output.shape)}`);
      }
      return pred.equal(labels).cast('float32').sum();
    })),
  };
}

/** A metric given by name or as an object, checked. */
export function resolveMetric(m: unknown): Metric {
  if (m === 'accuracy' || m === 'acc') return accuracy();
  if (typeof m === 'object' && m !== null && typeof (m as Metric).name === 'string' && typeof (m as Metric).batchSum === 'function') {
    const name = (m as Metric).name;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || name === 'loss' || name === 'epoch') {
      throw new ArgumentError(`fit: metric name '${name}' must be an identifier other than 'loss' and 'epoch'`);
    }
    return m as Metric;
  }
  throw new ArgumentError(`fit: a metric must be 'accuracy' or an object { name, batchSum(output, target) }, got ${describe(m)}`);
}

/** The validation key of a log entry: 'loss' -> 'valLoss', 'accuracy' -> 'valAccuracy'. */
export function valKey(name: string): string {
  return `val${name[0]!.toUpperCase()}${name.slice(1)}`;
}
