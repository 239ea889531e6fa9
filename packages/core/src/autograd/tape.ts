// Reverse-mode autodiff. Each differentiable op records a node on its output when an input
// requires grad (and not under noGrad); `backward` walks the nodes in reverse topological
// order. Gradients are written with public ops, so every backend runs them unchanged, and
// with `createGraph` the backward pass is itself recorded (higher-order gradients).
import { state } from '../engine/state.js';
import { release, view } from '../engine/engine.js';
import { tidy } from '../engine/scope.js';
import { ArgumentError, fmt } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { dropNode, freeSaved, makeNode, withSaved, type BackwardFn, type GradNode } from './graph.js';

export type { BackwardFn, GradNode } from './graph.js';

/** True when an op with these inputs must record a gradient node. */
export function needsGrad(inputs: readonly Tensor[]): boolean {
  return state.noGradDepth === 0 && inputs.some((t) => t.requiresGrad);
}

/**
 * Attaches the gradient node to `out` if any input requires grad. `saved` lists the tensors
 * `backward` reads (default: the inputs and the output); their buffers stay alive with the
 * graph even after their handles are disposed. Returns `out`.
 */
export function record(op: string, out: Tensor, inputs: Tensor[], backward: BackwardFn, saved: Tensor[] = [...inputs, out]): Tensor {
  if (needsGrad(inputs)) {
    out.node = makeNode(op, inputs, saved, backward);
    out.requiresGrad = true;
  }
  return out;
}

/** Cuts `t` from its graph (its node is released when nothing else refers to it). */
export function detach(t: Tensor): void {
  if (t.node) dropNode(t.node);
  t.node = null;
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

/** Tensors reachable from root through requiresGrad inputs, inputs before their consumers. */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  const stack: [Tensor, number][] = [[root, 0]];
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

/** The leaves `root` depends on that accumulate `grad` (trainable variables), in graph order. */
export function leavesOf(root: Tensor): Tensor[] {
  return topoOrder(root).filter((t) => t.node === null && t.accumulatesGrad);
}

export interface BackwardOptions {
  /** Keep the saved buffers for another backward pass (default: `createGraph`). */
  retainGraph?: boolean;
  /** Record the backward pass, so the gradients can be differentiated again (default false). */
  createGraph?: boolean;
}

function checkNode(node: GradNode): void {
  if (node.freed) {
    throw new ArgumentError(`gradients: the graph through '${node.op}' was already freed by an earlier backward pass or dispose; ` +
      'pass { retainGraph: true } to the first pass to run another');
  }
  const stale = node.inputs.findIndex((x, i) => x.version !== node.versions[i]);
  if (stale >= 0) {
    throw new ArgumentError(`gradients: input ${stale} of '${node.op}' (shape ${fmt(node.inputs[stale]!.shape)}) was assigned after the forward pass used it; ` +
      'compute gradients before assign() (as PyTorch refuses in-place changes)');
  }
}

/**
 * Gradients of `root` (seeded with `seed`, which it consumes) with respect to each tensor of
 * `wrt`; null where `root` does not depend on it. Only the nodes between root and `wrt` run.
 * Each intermediate gradient is released as soon as its node has used it, and each node's
 * saved buffers right after it ran (unless retainGraph), so peak memory stays near one set
 * of activations.
 */
export function backward(root: Tensor, wrt: readonly Tensor[], seed: Tensor, add: (a: Tensor, b: Tensor) => Tensor,
  opts: BackwardOptions = {}): (Tensor | null)[] {
  const createGraph = opts.createGraph ?? false;
  const retain = opts.retainGraph ?? createGraph;
  const targets = new Set(wrt);
  const order = topoOrder(root);
  // A tensor matters when it is a target or leads to one; nothing else runs.
  const needed = new Set<Tensor>();
  for (const t of order) if (targets.has(t) || t.node?.inputs.some((x) => needed.has(x))) needed.add(t);
  const run = (): (Tensor | null)[] => {
    const grads = new Map<Tensor, Tensor>([[root, seed]]);
    // A backward may hand one tensor to several inputs (add: dy, dy): each gets its own handle.
    const used = new Set<Tensor>([seed]);
    const own = (g: Tensor): Tensor => {
      const mine = used.has(g) ? alias(g) : g;
      used.add(mine);
      return mine;
    };
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k]!;
      const dy = grads.get(t);
      const node = t.node;
      if (!node || !dy || !needed.has(t)) continue;
      checkNode(node);
      const gs = tidy(() => withSaved(node, () => node.backward(dy)));
      if (!retain) freeSaved(node);
      node.inputs.forEach((x, i) => {
        const g = gs[i];
        if (!g || !needed.has(x)) return;
        const mine = own(g);
        const prev = grads.get(x);
        if (!prev) return void grads.set(x, mine);
        const total = add(prev, mine);
        used.add(total);
        grads.set(x, total);
        release(prev);
        release(mine);
      });
      for (const g of gs) if (g && !used.has(g)) release(g);
      if (!targets.has(t)) {
        grads.delete(t);
        release(dy);
      }
    }
    return wrt.map((x) => grads.get(x) ?? null);
  };
  return createGraph ? run() : noGrad(run);
}

/** A new handle on t's buffer that passes gradients straight through (recorded when needed). */
export function alias(t: Tensor): Tensor {
  return record('alias', view(t, t.shape), [t], (dy) => [dy], []);
}
