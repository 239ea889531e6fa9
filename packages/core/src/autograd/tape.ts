// Reverse-mode autodiff. Each differentiable op records a node on its output when an input
// requires grad (and not under noGrad); `backward` walks the nodes in reverse topological
// order. Gradients are written with public ops, so every backend runs them unchanged.
import { state } from '../engine/state.js';
import { view } from '../engine/engine.js';
import { ArgumentError, fmt } from '../errors.js';
import type { Tensor } from '../tensor.js';

/** Maps the output's gradient to one gradient per input (null: no gradient flows there). */
export type BackwardFn = (dy: Tensor) => (Tensor | null)[];

export interface GradNode {
  op: string;
  inputs: Tensor[];
  /** Each input's `version` when recorded: an assign() since then invalidates the node. */
  versions: number[];
  backward: BackwardFn;
}

/** True when an op with these inputs must record a gradient node. */
export function needsGrad(inputs: readonly Tensor[]): boolean {
  return state.noGradDepth === 0 && inputs.some((t) => t.requiresGrad);
}

/** Attaches the gradient node to `out` if any input requires grad. Returns `out`. */
export function record(op: string, out: Tensor, inputs: Tensor[], backward: BackwardFn): Tensor {
  if (needsGrad(inputs)) {
    out.node = { op, inputs, versions: inputs.map((t) => t.version), backward };
    out.requiresGrad = true;
  }
  return out;
}

/**
 * Runs `fn` without recording gradients (like torch.no_grad).
 * @example const y = noGrad(() => w.mul(2));
 */
export function noGrad<T>(fn: () => T): T {
  state.noGradDepth++;
  try {
    return fn();
  } finally {
    state.noGradDepth--;
  }
}

function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, i] = top;
    const inputs = t.node?.inputs ?? [];
    if (i < inputs.length) {
      top[1]++;
      const next = inputs[i]!;
      if (next.requiresGrad && !seen.has(next)) {
        seen.add(next);
        stack.push([next, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

/**
 * Gradients of `root` (seeded with `seed`) with respect to each tensor of `wrt`; null where
 * `root` does not depend on it. Runs under noGrad (first-order).
 */
export function backward(root: Tensor, wrt: readonly Tensor[], seed: Tensor, add: (a: Tensor, b: Tensor) => Tensor): (Tensor | null)[] {
  return noGrad(() => {
    const grads = new Map<Tensor, Tensor>([[root, seed]]);
    // A backward may hand the same tensor to several inputs (add: dy, dy); each input gets its own handle.
    const used = new Set<Tensor>([seed]);
    const own = (g: Tensor): Tensor => (used.has(g) ? view(g, g.shape) : (used.add(g), g));
    const order = topoOrder(root);
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k]!;
      const dy = grads.get(t);
      if (!t.node || !dy) continue;
      const { inputs, versions } = t.node;
      const stale = inputs.findIndex((x, i) => x.version !== versions[i]);
      if (stale >= 0) {
        throw new ArgumentError(`gradients: input ${stale} of '${t.node.op}' (shape ${fmt(inputs[stale]!.shape)}) was assigned after the forward pass used it; ` +
          'compute gradients before assign() (as PyTorch refuses in-place changes)');
      }
      const gs = t.node.backward(dy);
      t.node.inputs.forEach((x, i) => {
        const g = gs[i];
        if (!g || !x.requiresGrad) return;
        const prev = grads.get(x);
        grads.set(x, own(prev ? add(prev, g) : g));
      });
    }
    return wrt.map((x) => grads.get(x) ?? null);
  });
}
