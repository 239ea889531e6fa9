// The flag parser: typed values, both `--k v` and `--k=v`, and clear errors.
import { describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from './args.js';

const spec = { epochs: 'count', lr: 'positive', seed: 'seed', backend: 'string' } as const;

describe('parseFlags', () => {
  it('reads each kind', () => {
    expect(parseFlags(['--epochs', '3', '--lr=0.5', '--seed', '0', '--backend', 'js'], spec))
      .toEqual({ epochs: 3, lr: 0.5, seed: 0, backend: 'js' });
  });

  it('rejects unknown flags, missing values and bad numbers', () => {
    expect(() => parseFlags(['--epoch', '3'], spec)).toThrow(UsageError);
    expect(() => parseFlags(['--epochs'], spec)).toThrow(/needs a value/);
    expect(() => parseFlags(['--epochs', '0'], spec)).toThrow(/integer >= 1/);
    expect(() => parseFlags(['--lr', '-1'], spec)).toThrow(/positive/);
    expect(() => parseFlags(['--seed', '1.5'], spec)).toThrow(/integer >= 0/);
  });
});
