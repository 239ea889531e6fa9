// A per-epoch progress bar (cli-progress) that stays silent when stdout is not a terminal.
import { SingleBar } from 'cli-progress';

/**
 * Progress of one epoch: `update` with the batches done and the epoch's mean loss so far
 * (called once per logging interval, when the loss is read back), `stop` at the end.
 */
export interface EpochBar {
  update(batches: number, loss: number): void;
  stop(): void;
}

const silent: EpochBar = { update() {}, stop() {} };

/**
 * A bar showing batches done, the running loss and the elapsed time. Without a TTY (CI,
 * pipes) it draws nothing; the caller prints one summary line per epoch instead.
 */
export function epochBar(label: string, batches: number, enabled = process.stdout.isTTY === true): EpochBar {
  if (!enabled) return silent;
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total} batches | loss {loss} | {duration_formatted}`,
    stream: process.stdout,
    barsize: 30,
    hideCursor: true,
    clearOnComplete: false,
    fps: 10,
  });
  bar.start(batches, 0, { loss: '-.----' });
  return {
    update: (batches, loss) => bar.update(batches, { loss: loss.toFixed(4) }),
    stop: () => bar.stop(),
  };
}
