// Long short-term memory (torch.nn.LSTM) and its single step (torch.nn.LSTMCell), with
// PyTorch's gate order i, f, g, o in the stacked weights:
//   c_t = sigmoid(f) c_{t-1} + sigmoid(i) tanh(g),  h_t = sigmoid(o) tanh(c_t).
import { ArgumentError, type Tensor } from '@tensile/core';
import { describe } from '../check.js';
import { RecurrentBase, RecurrentCellBase, type CellOptions, type RecurrentOptions } from './recurrent_base.js';

/** LSTM options: RecurrentOptions plus PyTorch's proj_size. */
export interface LSTMOptions extends RecurrentOptions {
  /**
   * Project h to this many features after each step (h_t = W_hr (o * tanh(c_t)), parameter
   * weight_hr_l{k} [projSize, hiddenSize]); h0, hN and the output then have projSize features,
   * c keeps hiddenSize (default 0: none; must be < hiddenSize).
   */
  projSize?: number;
}

/** An LSTM's state: [h, c]. */
export type LSTMState = [Tensor, Tensor];

function checkPair(op: string, state: unknown): LSTMState | null {
  if (state == null) return null;
  if (!Array.isArray(state) || state.length !== 2) {
    throw new ArgumentError(`${op}: the state must be the pair [h0, c0], got ${describe(state)}`);
  }
  return state as LSTMState;
}

/**
 * A multi-layer LSTM over a sequence. `call(x, [h0, c0]?)` returns [output, [hN, cN]]:
 * output [seq, batch, numDirections * hiddenSize] (batchFirst: [batch, seq, ...]), hN and cN
 * [numLayers * numDirections, batch, hiddenSize]. Parameters weight_ih_l{k} [4 hidden, in],
 * weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k} (and `_reverse`), as PyTorch. With `projSize`, h
 * (hence output and hN) has projSize features and weight_hr_l{k} projects it.
 * @example const lstm = new LSTM(10, 20, { batchFirst: true, seed: 0 }); const [out, [hN, cN]] = lstm.call(x);
 */
export class LSTM extends RecurrentBase<[Tensor, (LSTMState | null)?], [Tensor, LSTMState]> {
  constructor(inputSize: number, hiddenSize: number, opts: LSTMOptions = {}) {
    super('LSTM', inputSize, hiddenSize, opts);
  }

  forward(x: Tensor, state?: LSTMState | null): [Tensor, LSTMState] {
    const s = checkPair('LSTM', state);
    const r = this.run(x, s?.[0], s?.[1]);
    return [r.output, [r.hN, r.cN!]];
  }
}

/**
 * One LSTM step: `call(x, [h, c]?)` with x [batch, inputSize] (or [inputSize]) returns
 * [h', c'] (zeros when no state is given). Parameters weight_ih [4 hidden, in], weight_hh,
 * bias_ih, bias_hh.
 * @example const cell = new LSTMCell(10, 20); let s = cell.call(x0); s = cell.call(x1, s);
 */
export class LSTMCell extends RecurrentCellBase<[Tensor, (LSTMState | null)?], LSTMState> {
  constructor(inputSize: number, hiddenSize: number, opts: CellOptions = {}) {
    super('LSTM', inputSize, hiddenSize, opts);
  }

  forward(x: Tensor, state?: LSTMState | null): LSTMState {
    const s = checkPair('LSTMCell', state);
    const [h, c] = this.step(x, s?.[0], s?.[1]);
    return [h, c!];
  }
}
