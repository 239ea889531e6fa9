// A two-layer perceptron (784 -> hidden -> 10, ReLU) written directly with core ops.
import { fusedMatMul, noGrad, oneHot, randn, tidy, variable, zeros, type Tensor, type Variable } from '@tensile/core';

/** The trainable parameters, in the order the loss function takes them. */
export interface MlpParams {
  w1: Variable;
  b1: Variable;
  w2: Variable;
  b2: Variable;
}

/** Creates the parameters: He-normal first layer (it feeds a ReLU), Glorot-normal second, zero biases. */
export function initMlp(inputs: number, hidden: number, classes: number, seed: number): MlpParams {
  return tidy(() => ({
    w1: variable(randn([inputs, hidden], { seed, std: Math.sqrt(2 / inputs) }), { name: 'w1' }),
    b1: variable(zeros([hidden]), { name: 'b1' }),
    w2: variable(randn([hidden, classes], { seed: seed + 1, std: Math.sqrt(2 / (hidden + classes)) }), { name: 'w2' }),
    b2: variable(zeros([classes]), { name: 'b2' }),
  }));
}

/** Logits [N, classes] for images x [N, inputs]. */
export function forward(x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor {
  const hidden = fusedMatMul(x, w1, { bias: b1, activation: 'relu' });
  return fusedMatMul(hidden, w2, { bias: b2 });
}

/** Mean softmax cross-entropy of logits [N, C] against int labels [N]. */
export function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  const classes = logits.shape[logits.shape.length - 1]!;
  return logits.logSoftmax(-1).mul(oneHot(labels, classes)).sum(-1).mean().neg();
}

/** One plain SGD step in place: p <- p - lr * g for each parameter and its gradient. */
export function sgdStep(params: readonly Variable[], grads: readonly Tensor[], lr: number): void {
  noGrad(() => tidy(() => params.forEach((p, i) => p.assign(p.sub(grads[i]!.mul(lr))))));
}
