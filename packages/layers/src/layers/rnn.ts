// Elman RNN (torch.nn.RNN) and its single step (torch.nn.RNNCell):
// h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh), act tanh (default) or relu.
import type { Tensor } from '@tensile/core';
import { checkChoice } from '../check.js';
import { RecurrentBase, RecurrentCellBase, type CellOptions, type RecurrentOptions } from './recurrent_base.js';

export interface RNNOptions extends RecurrentOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

/**
 * A multi-layer Elman RNN over a sequence. `call(x, h0?)` returns [output, hN]: output
 * [seq, batch, numDirections * hiddenSize] (batchFirst: [batch, seq, ...]) holds the last
 * layer's h at every step, hN [numLayers * numDirections, batch, hiddenSize] the final h of
 * every layer and direction. Parameters weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k},
 * bias_hh_l{k} (and `_reverse`), as PyTorch.
 * @example const rnn = new RNN(10, 20, { numLayers: 2, seed: 0 }); const [out, hN] = rnn.call(x); // x [seq, batch, 10]
 */
export class RNN extends RecurrentBase<[Tensor, (Tensor | null)?], [Tensor, Tensor]> {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    const nl = checkChoice('RNN', opts.nonlinearity, 'nonlinearity', ['tanh', 'relu'] as const, 'tanh');
    super(nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, opts);
    this.nonlinearity = nl;
  }

  forward(x: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    const r = this.run(x, h0, null);
    return [r.output, r.hN];
  }
}

/**
 * One Elman RNN step: `call(x, h?)` with x [batch, inputSize] (or [inputSize]) and h
 * [batch, hiddenSize] (zeros when absent) returns the next h. Parameters weight_ih,
 * weight_hh, bias_ih, bias_hh.
 * @example const cell = new RNNCell(10, 20); let h = cell.call(x0); h = cell.call(x1, h);
 */
export class RNNCell extends RecurrentCellBase<[Tensor, (Tensor | null)?], Tensor> {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, opts: CellOptions & { nonlinearity?: 'tanh' | 'relu' } = {}) {
    const nl = checkChoice('RNNCell', opts.nonlinearity, 'nonlinearity', ['tanh', 'relu'] as const, 'tanh');
    super(nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, opts);
    this.nonlinearity = nl;
  }

  forward(x: Tensor, h?: Tensor | null): Tensor {
    return this.step(x, h, null)[0];
  }
}
