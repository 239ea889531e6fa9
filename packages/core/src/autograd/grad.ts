// The functional autograd API (grad, valueAndGrad) and trainable variables.
export { gradients, type GradientsOptions } from './gradients.js';
import { rebind, share } from '../engine/engine.js';
import { tidy } from '../engine/scope.js';
import { ArgumentError, DTypeError, ShapeError, fmt } from '../errors.js';
import { checkTensor } from '../ops/op.js';
import { Tensor } from '../tensor.js';
import { gradients } from './gradients.js';
import { alias, detach, needsGrad } from './tape.js';

/**
 * Wraps `f` so that calling it returns `{ value, grads }`: f's value and the gradient of
 * value.sum() with respect to each argument, in argument order. Intermediates are freed.
 * Composable: called on tensors that require grad (inside another valueAndGrad or grad),
 * the value and gradients stay differentiable (higher-order gradients).
 * @example const { value, grads } = valueAndGrad((x) => x.square().sum())(tensor([3])); // grads[0] = [6]
 */
export function valueAndGrad<A extends Tensor[]>(f: (...xs: A) => Tensor) {
  return (...xs: A): { value: Tensor; grads: Tensor[] } =>
    tidy(() => {
      const leaves = xs.map((x, i) => {
        checkTensor('valueAndGrad', x, `xs[${i}]`);
        if (x.dtype !== 'float32') {
          throw new DTypeError(`valueAndGrad: argument ${i} has dtype ${x.dtype} (shape ${fmt(x.shape)}); only float32 is differentiable`);
        }
        // Linked to x when x itself is being differentiated (nesting), else a fresh leaf.
        const leaf = alias(x);
        leaf.requiresGrad = true;
        return leaf;
      }) as A;
      const nested = needsGrad(xs);
      const value = f(...leaves);
      if (!(value instanceof Tensor)) {
        throw new ArgumentError(`valueAndGrad: the function must return a Tensor, got ${typeof value}`);
      }
      const grads = gradients(value, leaves, { createGraph: nested });
      if (!nested) detach(value);
      return { value, grads };
    });
}

/**
 * Like valueAndGrad, returning only the gradients (array, argument order).
 * @example const [dx] = grad((x) => x.mul(x).sum())(tensor([1, 2])); // [2, 4]
 */
export function grad<A extends Tensor[]>(f: (...xs: A) => Tensor) {
  const vg = valueAndGrad(f);
  return (...xs: A): Tensor[] => {
    const { value, grads } = vg(...xs);
    value.dispose();
    return grads;
  };
}

/** A mutable tensor for parameters: lives outside tidy scopes; gradients flow to it when trainable. */
export class Variable extends Tensor {
  /** Whether optimizers and backward() treat it as a parameter (see `requiresGrad_`). */
  trainable: boolean;
  readonly name: string | undefined;

  /** @internal Use `variable()`. */
  constructor(initial: Tensor, trainable: boolean, name?: string) {
    super([...initial.shape], initial.dtype, initial.ref!);
    this.ref = null;
    share(this, initial);
    this.trainable = trainable;
    this.requiresGrad = trainable && initial.dtype === 'float32';
    this.accumulatesGrad = this.requiresGrad;
    this.name = name;
  }

  /**
   * Freezes (false) or unfreezes (true) the variable: a frozen one gets no gradient and costs
   * no backward work (PyTorch's `requires_grad_`). Only float32 variables can require grad.
   * @example w.requiresGrad_(false)
   */
  requiresGrad_(flag = true): this {
    if (flag && this.dtype !== 'float32') {
      throw new DTypeError(`requiresGrad_: a ${this.dtype} variable (shape ${fmt(this.shape)}) cannot require grad; only float32 is differentiable`);
    }
    this.trainable = flag;
    this.requiresGrad = flag;
    this.accumulatesGrad = flag;
    return this;
  }

  /**
   * Replaces the value (same shape and dtype); the variable keeps its identity.
   * @example w.assign(w.sub(g.mul(0.1)))
   */
  assign(value: Tensor): void {
    checkTensor('assign', value, 'value');
    if (value.dtype !== this.dtype || value.shape.length !== this.shape.length || value.shape.some((d, i) => d !== this.shape[i])) {
      throw new ShapeError(`assign: value ${value.dtype}${fmt(value.shape)} must match the variable's ${this.dtype}${fmt(this.shape)}`);
    }
    checkTensor('assign', this, 'this');
    rebind(this, value);
    this.version++;
  }
}

/**
 * A variable initialised with a copy of `initial`'s value.
 * @example const w = variable(randn([784, 10], { seed: 0 }));
 */
export function variable(initial: Tensor, opts: { trainable?: boolean; name?: string } = {}): Variable {
  checkTensor('variable', initial, 'initial');
  return new Variable(initial, opts.trainable ?? true, opts.name);
}
