// Gradient-graph lifetime. A node saves the buffers its backward reads (held like any other
// reference), so disposing an intermediate handle, e.g. at the end of a tidy, never breaks a
// later backward. A node lives while its output handle or a consumer node refers to it; the
// last reference frees its saved buffers and releases its inputs' nodes in turn. A backward
// pass frees the saved buffers of the nodes it ran unless asked to retain the graph.
import { hold, unref } from '../engine/buffers.js';
import type { DataRef } from '../engine/state.js';
import type { Tensor } from '../tensor.js';

/** Maps the output's gradient to one gradient per input (null: no gradient flows there). */
export type BackwardFn = (dy: Tensor) => (Tensor | null)[];

export interface GradNode {
  op: string;
  inputs: Tensor[];
  /** Each input's `version` when recorded: an assign() since then invalidates the node. */
  versions: number[];
  backward: BackwardFn;
  /** The tensors `backward` reads, with the buffers they had when recorded (held). */
  saved: [Tensor, DataRef][];
  /** The output handle and the consumer nodes still referring to this node. */
  refs: number;
  /** True once the saved buffers were released (by a backward pass or the last reference). */
  freed: boolean;
}

/** A node for `out`, holding the buffers of `saved` and a reference on its inputs' nodes. */
export function makeNode(op: string, inputs: Tensor[], saved: Tensor[], backward: BackwardFn): GradNode {
  const kept: [Tensor, DataRef][] = [];
  for (const t of new Set(saved)) {
    hold(t.ref!);
    kept.push([t, t.ref!]);
  }
  for (const x of new Set(inputs)) if (x.node) x.node.refs++;
  return { op, inputs, versions: inputs.map((t) => t.version), backward, saved: kept, refs: 1, freed: false };
}

/** Releases a node's saved buffers (its structure stays, for reference counting). */
export function freeSaved(node: GradNode): void {
  if (node.freed) return;
  node.freed = true;
  for (const [, ref] of node.saved) unref(ref);
  node.saved = [];
}

/** Drops one reference to `node`; frees it, and transitively its inputs' nodes, at zero. */
export function dropNode(node: GradNode): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (--n.refs > 0) continue;
    freeSaved(n);
    for (const x of new Set(n.inputs)) if (x.node) stack.push(x.node);
  }
}

/**
 * Runs `fn` with the node's saved tensors readable: a saved tensor whose handle was disposed
 * (an intermediate freed by its scope) is pointed at its saved buffer for the duration.
 */
export function withSaved<T>(node: GradNode, fn: () => T): T {
  const revived: Tensor[] = [];
  for (const [t, ref] of node.saved) {
    if (t.ref === null) {
      t.ref = ref;
      revived.push(t);
    }
  }
  try {
    return fn();
  } finally {
    for (const t of revived) t.ref = null;
  }
}
