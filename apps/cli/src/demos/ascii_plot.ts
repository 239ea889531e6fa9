// A small text plot of curves over the same x range, for terminals.

/** One curve: its values at x = 0, 1, ... and the character that draws it. */
export interface Curve {
  label: string;
  mark: string;
  values: readonly number[];
}

/**
 * Draws the curves on a `height` x `width` grid (each column the mean of the values it covers,
 * '*' where two curves share a cell) with the y range on the left and a legend below.
 * @example asciiPlot([{ label: 'plain', mark: 'p', values: [2.3, 2.0, 1.6] }], 5, 20)
 */
export function asciiPlot(curves: readonly Curve[], height = 10, width = 60): string[] {
  const all = curves.flatMap((c) => c.values).filter(Number.isFinite);
  if (all.length === 0) return ['(no finite values to plot)'];
  const top = Math.max(...all);
  const bottom = Math.min(...all);
  const span = top - bottom || 1;
  const n = Math.max(...curves.map((c) => c.values.length));
  const cols = Math.min(width, n);
  const grid = Array.from({ length: height }, () => Array<string>(cols).fill(' '));
  for (const c of curves) {
    for (let j = 0; j < cols; j++) {
      const from = Math.floor((j * n) / cols);
      const to = Math.max(from + 1, Math.floor(((j + 1) * n) / cols));
      const slice = c.values.slice(from, to).filter(Number.isFinite);
      if (slice.length === 0) continue;
      const v = slice.reduce((s, x) => s + x, 0) / slice.length;
      const row = Math.round(((top - v) / span) * (height - 1));
      const cell = grid[row]!;
      cell[j] = cell[j] === ' ' || cell[j] === c.mark ? c.mark : '*';
    }
  }
  const label = (v: number) => v.toFixed(2).padStart(6);
  const lines = grid.map((row, i) => `${i === 0 ? label(top) : i === height - 1 ? label(bottom) : ' '.repeat(6)} |${row.join('').trimEnd()}`);
  lines.push(`${' '.repeat(6)} +${'-'.repeat(cols)}`);
  lines.push(`${' '.repeat(8)}${curves.map((c) => `${c.mark} ${c.label}`).join('   ')}   (* both)`);
  return lines;
}
