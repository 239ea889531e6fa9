// Gated recurrent unit (torch.nn.GRU) and its single step (torch.nn.GRUCell), with PyTorch's
// gate order r, z, n and its form of the new gate:
//   n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),  h' = (1 - z) n + z h.
import type { Tensor } from '@tensile/core';
import { RecurrentBase, RecurrentCellBase, type CellOptions, type RecurrentOptions } from './recurrent_base.js';

/**
 * A multi-layer GRU over a sequence. `call(x, h0?)` returns [output, hN] with the shapes of
 * RNN's. Parameters weight_ih_l{k} [3 hidden, in], weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}
 * (and `_reverse`), as PyTorch.
 * @example const gru = new GRU(10, 20, { bidirectional: true }); const [out, hN] = gru.call(x); // out [..., 40]
 */
export class GRU extends RecurrentBase<[Tensor, (Tensor | null)?], [Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, opts: RecurrentOptions = {}) {
    super('GRU', inputSize, hiddenSize, opts);
  }

  forward(x: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    const r = this.run(x, h0, null);
    return [r.output, r.hN];
  }
}

/**
 * One GRU step: `call(x, h?)` with x [batch, inputSize] (or [inputSize]) returns the next h
 * (h defaults to zeros). Parameters weight_ih [3 hidden, in], weight_hh, bias_ih, bias_hh.
 * @example const cell = new GRUCell(10, 20); const h1 = cell.call(x0);
 */
export class GRUCell extends RecurrentCellBase<[Tensor, (Tensor | null)?], Tensor> {
  constructor(inputSize: number, hiddenSize: number, opts: CellOptions = {}) {
    super('GRU', inputSize, hiddenSize, opts);
  }

  forward(x: Tensor, h?: Tensor | null): Tensor {
    return this.step(x, h, null)[0];
  }
}
