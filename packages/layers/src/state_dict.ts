// The typed error of Module.loadStateDict: every problem of one load, listed together.
import { ShapeError, fmt, type Tensor } from '@tensile/core';

/** A key whose tensor has another shape than the module's parameter or buffer. */
export interface ShapeMismatch {
  key: string;
  expected: number[];
  got: number[];
}

/** A plain map from dotted names (`layer1.0.conv1.weight`, `bn1.running_mean`) to tensors. */
export type StateDict = Record<string, Tensor>;

/**
 * Thrown by `loadStateDict` before anything is copied: the missing keys, the unexpected keys
 * (both only in strict mode) and every shape mismatch (always), in one message.
 * @example try { model.loadStateDict(sd); } catch (e) { if (e instanceof StateDictError) console.log(e.missingKeys); }
 */
export class StateDictError extends ShapeError {
  readonly missingKeys: string[];
  readonly unexpectedKeys: string[];
  readonly shapeMismatches: ShapeMismatch[];

  constructor(moduleName: string, missingKeys: string[], unexpectedKeys: string[], shapeMismatches: ShapeMismatch[]) {
    const lines = [`loadStateDict: cannot load the state dict into ${moduleName}:`];
    if (missingKeys.length > 0) lines.push(`  missing keys (${missingKeys.length}): ${missingKeys.join(', ')}`);
    if (unexpectedKeys.length > 0) lines.push(`  unexpected keys (${unexpectedKeys.length}): ${unexpectedKeys.join(', ')}`);
    if (shapeMismatches.length > 0) {
      lines.push(`  shape mismatches (${shapeMismatches.length}):`);
      for (const m of shapeMismatches) lines.push(`    ${m.key}: the module has ${fmt(m.expected)}, the state dict ${fmt(m.got)}`);
    }
    super(lines.join('\n'));
    this.missingKeys = missingKeys;
    this.unexpectedKeys = unexpectedKeys;
    this.shapeMismatches = shapeMismatches;
  }
}
