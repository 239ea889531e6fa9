// The printed summary: torchinfo's layout (a row per module call, indented by depth with ├─ and
// └─, "--" where a row carries nothing, "(recursive)" for a repeated call, frozen counts in
// parentheses), with our extra columns (activation bytes, MACs, receptive field, jump) and
// torchinfo's totals, sizes in MB (10^6 bytes, two decimals, as torchinfo) and in bytes.
import type { ModelSummary, SummaryRow } from './summary.js';

const int = (n: number): string => n.toLocaleString('en-US');
const mb = (bytes: number): string => (bytes / 1e6).toFixed(2);

/** torchinfo's unit choice for big counts: T above 1e12, G above 1e9, else M. @example readable(1_814_083_944) // '(G): 1.81' */
function readable(n: number): string {
  const [unit, div] = n >= 1e12 ? ['T', 1e12] : n >= 1e9 ? ['G', 1e9] : ['M', 1e6];
  return `(${unit}): ${(n / div).toFixed(2)}`;
}

/** The Param # cell: torchinfo's conventions (leaves their count, containers their own leftovers). */
function paramCell(r: SummaryRow): string {
  if (r.params === 0) return '--';
  if (r.recursive) return '(recursive)';
  if (!r.leaf) return r.ownParams > 0 ? int(r.ownParams) : '--';
  return r.trainableParams === 0 ? `(${int(r.params)})` : int(r.params);
}

/** Whether the row's parameters train: True, False, Partial or --, as torchinfo's trainable column. */
function trainableCell(r: SummaryRow): string {
  if (r.params === 0) return '--';
  if (r.trainableParams === 0) return 'False';
  return r.frozenParams === 0 ? 'True' : 'Partial';
}

const pairCell = (p: [number, number] | null): string => (p === null ? '--' : p[0] === p[1] ? String(p[0]) : `${p[0]}x${p[1]}`);

/** The local name of a row (the last part of its dotted path) after its class. */
function layerCell(r: SummaryRow): string {
  const prefix = r.depth === 0 ? '' : `${'│    '.repeat(r.depth - 1)}${r.depth === 1 ? '├─' : '└─'}`;
  const local = r.name === '' ? '' : ` (${r.name.slice(r.name.lastIndexOf('.') + 1)})`;
  return `${prefix}${r.className}${r.depth === 0 ? '' : local}`;
}

/**
 * The table `summary` prints.
 * @example console.log(formatSummary(summary(model, [1, 3, 224, 224], { print: false })))
 */
export function formatSummary(s: ModelSummary): string {
  const header = ['Layer (type (name))', 'Output Shape', 'Param #', 'Trainable', 'Act. bytes', 'MACs', 'RF', 'Jump'];
  const body = s.rows.map((r) => [
    layerCell(r), `[${r.outputShape.join(', ')}]`, paramCell(r), trainableCell(r), int(r.outputBytes),
    r.leaf && r.macs > 0 ? int(r.macs) : '--', pairCell(r.receptiveField), pairCell(r.jump),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)) + 2);
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('').trimEnd();
  const rule = '='.repeat(widths.reduce((a, b) => a + b, 0));
  return [
    rule, line(header), rule, ...body.map(line), rule,
    `Total params: ${int(s.totalParams)}`,
    `Trainable params: ${int(s.trainableParams)}`,
    `Non-trainable params: ${int(s.nonTrainableParams)}`,
    `Total MACs: ${int(s.totalMacs)}`,
    `Total mult-adds, torchinfo's count ${readable(s.totalMultAdds)}`,
    rule,
    `Input size (MB): ${mb(s.inputBytes)} (${int(s.inputBytes)} bytes, input [${s.inputShape.join(', ')}])`,
    `Forward/backward pass size (MB): ${mb(s.forwardBackwardBytes)} (${int(s.forwardBackwardBytes)} bytes)`,
    `Params size (MB): ${mb(s.paramsBytes)} (${int(s.paramsBytes)} bytes)`,
    `Estimated Total Size (MB): ${mb(s.totalBytes)} (${int(s.totalBytes)} bytes)`,
    rule,
  ].join('\n');
}
