// Progress bars for fit(): one cli-progress bar per epoch, driven by fit()'s onProgress events
// (the same events a browser page uses to draw its own bar). Silent when stdout is not a terminal.
import { SingleBar } from 'cli-progress';
import type { ProgressInfo } from '@tensile/layers';

/**
 * Progress of one epoch: `update` with the batches done and the running mean loss and accuracy
 * (called once per logging interval, when they are read back), `stop` at the end.
 */
export interface EpochBar {
  update(batches: number, loss: number, accuracy?: number): void;
  stop(): void;
}

const silent: EpochBar = { update() {}, stop() {} };

/**
 * A bar showing batches done, the running loss and accuracy and the elapsed time. Without a
 * TTY (CI, pipes) it draws nothing; the caller prints one summary line per epoch instead.
 */
export function epochBar(label: string, batches: number, enabled = process.stdout.isTTY === true): EpochBar {
  if (!enabled) return silent;
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total} batches | loss {loss} | acc {acc} | {duration_formatted}`,
    stream: process.stdout,
    barsize: 30,
    hideCursor: true,
    clearOnComplete: false,
    fps: 10,
  });
  bar.start(batches, 0, { loss: '-.----', acc: '--.--%' });
  return {
    update: (n, loss, accuracy) => bar.update(n, { loss: loss.toFixed(4), acc: accuracy === undefined ? '--.--%' : `${(accuracy * 100).toFixed(2)}%` }),
    stop: () => bar.stop(),
  };
}

/**
 * An `onProgress` handler for fit() that draws a bar per epoch (when `enabled`, by default when
 * stdout is a TTY): started at `epochBegin`, moved at each `batch` event, stopped at `epochEnd`.
 */
export function fitProgressBars(enabled = process.stdout.isTTY === true): (info: ProgressInfo) => void {
  let bar: EpochBar = silent;
  return (info) => {
    if (info.type === 'epochBegin') {
      bar = epochBar(`epoch ${info.epoch + 1}/${info.epochs}`, info.steps ?? 0, enabled);
    } else if (info.type === 'batch') {
      bar.update(info.step, info.loss, info.metrics.accuracy);
    } else {
      bar.stop();
      bar = silent;
    }
  };
}
