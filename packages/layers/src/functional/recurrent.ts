// One time step of the recurrent cells (torch.rnn_tanh_cell, torch.lstm_cell, torch.gru_cell),
// composed from core ops so every backend runs them and autograd differentiates them. The
// layers (RNN, LSTM, GRU) share cellStep with these functional forms.
import { ShapeError, fmt, reshape, relu, sigmoid, tanh, tidy, type Tensor } from '@tensile/core';
import { checkChoice, checkFloat } from '../check.js';
import { linearImpl } from './linear.js';

/** What a recurrent cell computes: a tanh or relu RNN, an LSTM or a GRU. */
export type CellMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** How many stacked gates the weights hold: RNN 1, LSTM 4 (i, f, g, o), GRU 3 (r, z, n). */
export function gateCount(mode: CellMode): number {
  return mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
}

/** Columns [k H, (k + 1) H) of a [B, G H] tensor: gate k. */
function chunk(g: Tensor, k: number, h: number): Tensor {
  return g.slice([0, k * h], [g.shape[0]!, (k + 1) * h]);
}

/**
 * The cell's update from gi = W_ih x + b_ih and gh = W_hh h + b_hh (both [B, G H]), the previous
 * h (and c for LSTM), with PyTorch's gate order: LSTM i, f, g, o; GRU r, z, n with
 * n = tanh(gi_n + r * gh_n). Returns the new h, and the new c for LSTM.
 */
export function cellStep(mode: CellMode, gi: Tensor, gh: Tensor, h: Tensor, c: Tensor | null): [Tensor, Tensor | null] {
  // The hidden size: c's for an LSTM, whose h may be projected to fewer features (projSize).
  const hs = (c ?? h).shape[(c ?? h).rank - 1]!;
  switch (mode) {
    case 'RNN_TANH': return [tanh(gi.add(gh)), null];
    case 'RNN_RELU': return [relu(gi.add(gh)), null];
    case 'LSTM': {
      const g = gi.add(gh);
      const s = sigmoid(g);
      const c2 = chunk(s, 1, hs).mul(c!).add(chunk(s, 0, hs).mul(tanh(chunk(g, 2, hs))));
      return [chunk(s, 3, hs).mul(tanh(c2)), c2];
    }
    case 'GRU': {
      const rz = sigmoid(gi.slice([0, 0], [gi.shape[0]!, 2 * hs]).add(gh.slice([0, 0], [gh.shape[0]!, 2 * hs])));
      const r = chunk(rz, 0, hs), z = chunk(rz, 1, hs);
      const n = tanh(chunk(gi, 2, hs).add(r.mul(chunk(gh, 2, hs))));
      return [n.add(z.mul(h.sub(n))), null]; // (1 - z) n + z h
    }
  }
}

/** Checks a cell's arguments and runs one step; the shared body of the functional forms and the cell layers. */
export function cellImpl(op: string, mode: CellMode, xIn: Tensor, hIn: Tensor, cIn: Tensor | null,
  wIhIn: Tensor, wHhIn: Tensor, bIhIn?: Tensor | null, bHhIn?: Tensor | null): [Tensor, Tensor | null] {
  const x = checkFloat(op, xIn, 'input');
  const h = checkFloat(op, hIn, 'hx');
  const c = mode === 'LSTM' ? checkFloat(op, cIn, 'cx') : null;
  const wIh = checkFloat(op, wIhIn, 'weight_ih'), wHh = checkFloat(op, wHhIn, 'weight_hh');
  const bIh = bIhIn == null ? null : checkFloat(op, bIhIn, 'bias_ih');
  const bHh = bHhIn == null ? null : checkFloat(op, bHhIn, 'bias_hh');
  const gates = gateCount(mode);
  if (wHh.rank !== 2 || wHh.shape[0] !== gates * wHh.shape[1]!) {
    throw new ShapeError(`${op}: weight_hh must be [${gates} * hidden_size, hidden_size], got ${fmt(wHh.shape)}`);
  }
  const hs = wHh.shape[1]!;
  if (wIh.rank !== 2 || wIh.shape[0] !== gates * hs) {
    throw new ShapeError(`${op}: weight_ih must be [${gates * hs}, input_size] for weight_hh ${fmt(wHh.shape)}, got ${fmt(wIh.shape)}`);
  }
  for (const [b, n] of [[bIh, 'bias_ih'], [bHh, 'bias_hh']] as const) {
    if (b && (b.rank !== 1 || b.shape[0] !== gates * hs)) throw new ShapeError(`${op}: ${n} must be [${gates * hs}], got ${fmt(b.shape)}`);
  }
  const inF = wIh.shape[1]!;
  if ((x.rank !== 1 && x.rank !== 2) || x.shape[x.rank - 1] !== inF) {
    throw new ShapeError(`${op}: input ${fmt(x.shape)} must be [batch, input_size] or [input_size] with input_size = ${inF} (weight_ih ${fmt(wIh.shape)})`);
  }
  const want = x.rank === 2 ? [x.shape[0]!, hs] : [hs];
  for (const [t, n] of [[h, 'hx'], [c, 'cx']] as const) {
    if (t && (t.rank !== want.length || t.shape.some((d, i) => d !== want[i]))) {
      throw new ShapeError(`${op}: ${n} must be ${fmt(want)} for input ${fmt(x.shape)} and hidden_size ${hs}, got ${fmt(t.shape)}`);
    }
  }
  return tidy(() => {
    const batched = x.rank === 2;
    const x2 = batched ? x : reshape(x, [1, inF]);
    const h2 = batched ? h : reshape(h, [1, hs]);
    const c2 = c && (batched ? c : reshape(c, [1, hs]));
    const [hNew, cNew] = cellStep(mode, linearImpl(op, x2, wIh, bIh), linearImpl(op, h2, wHh, bHh), h2, c2);
    return batched ? [hNew, cNew] : [reshape(hNew, [hs]), cNew && reshape(cNew, [hs])];
  });
}

/**
 * One Elman RNN step (torch.rnn_tanh_cell / rnn_relu_cell): h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh),
 * x [B, in] or [in], h [B, H] or [H], weight_ih [H, in], weight_hh [H, H].
 * @example const h1 = rnnCell(x, h0, wIh, wHh, bIh, bHh, { nonlinearity: 'relu' });
 */
export function rnnCell(input: Tensor, hx: Tensor, weightIh: Tensor, weightHh: Tensor, biasIh?: Tensor | null,
  biasHh?: Tensor | null, opts: { nonlinearity?: 'tanh' | 'relu' } = {}): Tensor {
  const nl = checkChoice('rnnCell', opts.nonlinearity, 'nonlinearity', ['tanh', 'relu'] as const, 'tanh');
  return cellImpl('rnnCell', nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', input, hx, null, weightIh, weightHh, biasIh, biasHh)[0];
}

/**
 * One LSTM step (torch.lstm_cell) with PyTorch's gate order i, f, g, o: returns [h', c'].
 * weight_ih [4H, in], weight_hh [4H, H], biases [4H].
 * @example const [h1, c1] = lstmCell(x, [h0, c0], wIh, wHh, bIh, bHh);
 */
export function lstmCell(input: Tensor, state: [Tensor, Tensor], weightIh: Tensor, weightHh: Tensor,
  biasIh?: Tensor | null, biasHh?: Tensor | null): [Tensor, Tensor] {
  if (!Array.isArray(state) || state.length !== 2) {
    throw new ShapeError(`lstmCell: state must be the pair [hx, cx], got ${Array.isArray(state) ? `${state.length} tensors` : typeof state}`);
  }
  const [h, c] = cellImpl('lstmCell', 'LSTM', input, state[0], state[1], weightIh, weightHh, biasIh, biasHh);
  return [h, c!];
}

/**
 * One GRU step (torch.gru_cell) with PyTorch's gate order r, z, n and n = tanh(W_in x + b_in + r (W_hn h + b_hn)):
 * h' = (1 - z) n + z h. weight_ih [3H, in], weight_hh [3H, H], biases [3H].
 * @example const h1 = gruCell(x, h0, wIh, wHh, bIh, bHh);
 */
export function gruCell(input: Tensor, hx: Tensor, weightIh: Tensor, weightHh: Tensor, biasIh?: Tensor | null,
  biasHh?: Tensor | null): Tensor {
  return cellImpl('gruCell', 'GRU', input, hx, null, weightIh, weightHh, biasIh, biasHh)[0];
}
