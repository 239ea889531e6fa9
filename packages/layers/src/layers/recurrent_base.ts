// The machinery RNN, LSTM and GRU share (torch.nn.RNNBase): PyTorch's parameters per layer
// and direction (weight_ih_l{k}[_reverse], weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}), their
// default initialisation U(-1/sqrt(hidden), 1/sqrt(hidden)), the shape checks, and the loop
// over layers, directions and time steps.
import { ArgumentError, ShapeError, concat, fmt, reshape, stack, tidy, unstack, zeros, type Tensor, type Variable } from '@tensile/core';
import { checkBool, checkFloat, checkInt, checkNumber } from '../check.js';
import { dropoutImpl } from '../functional/dropout.js';
import { linearImpl } from '../functional/linear.js';
import { cellImpl, cellStep, gateCount, type CellMode } from '../functional/recurrent.js';
import { uniform } from '../init.js';
import { Module, moduleName } from '../module.js';
import { deriveSeed } from '../seed.js';

/** Options shared by RNN, LSTM and GRU (PyTorch's names and defaults). */
export interface RecurrentOptions {
  /** Stacked recurrent layers; layer k > 0 reads layer k - 1's output sequence (default 1). */
  numLayers?: number;
  /** Learn bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** Input and output are [batch, seq, feature] instead of [seq, batch, feature] (default false). The states are not affected. */
  batchFirst?: boolean;
  /** Dropout probability on each layer's output except the last, in training mode (default 0). */
  dropout?: number;
  /** Also run each layer backwards in time and concatenate both directions' outputs (default false). */
  bidirectional?: boolean;
  /** Philox seed: parameter k (in state-dict order) draws from stream k of it, dropout masks from later streams. */
  seed?: number;
}

/** The parameters of one layer and direction (biases null without bias, weightHr without projSize). */
export interface RecurrentWeights {
  weightIh: Variable;
  weightHh: Variable;
  biasIh: Variable | null;
  biasHh: Variable | null;
  /** LSTM with projSize: h_t = W_hr (o * tanh(c_t)), [projSize, hiddenSize]. */
  weightHr: Variable | null;
}

/** What the shared loop returns: the output sequence and the final hidden (and cell) states. */
export interface RecurrentResult {
  output: Tensor;
  hN: Tensor;
  cN: Tensor | null;
}

/**
 * Base of RNN, LSTM and GRU: registers PyTorch's parameters and runs the layers over time.
 * Subclasses give the cell mode and the forward signature.
 * @example class MyRNN extends RecurrentBase<[Tensor], Tensor> { forward(x: Tensor) { return this.run(x, null, null).output; } }
 */
export abstract class RecurrentBase<Args extends unknown[], Out> extends Module<Args, Out> {
  readonly mode: CellMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly seed: number | undefined;
  /** LSTM only: the size h is projected to (0: no projection, h has hiddenSize). */
  readonly projSize: number;
  /** The parameters per layer and direction: index layer * numDirections + direction. */
  readonly weights: readonly RecurrentWeights[];
  #calls = 0;

  protected constructor(mode: CellMode, inputSize: number, hiddenSize: number, opts: RecurrentOptions & { projSize?: number }) {
    super();
    const op = moduleName(this);
    this.mode = mode;
    this.inputSize = checkInt(op, inputSize, 'inputSize', 1);
    this.hiddenSize = checkInt(op, hiddenSize, 'hiddenSize', 1);
    this.numLayers = checkInt(op, opts.numLayers ?? 1, 'numLayers', 1);
    this.bias = checkBool(op, opts.bias, 'bias', true);
    this.batchFirst = checkBool(op, opts.batchFirst, 'batchFirst', false);
    this.dropout = checkNumber(op, opts.dropout, 'dropout', 0, 0, 1);
    this.bidirectional = checkBool(op, opts.bidirectional, 'bidirectional', false);
    this.seed = opts.seed === undefined ? undefined : checkInt(op, opts.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
    this.projSize = checkInt(op, opts.projSize ?? 0, 'projSize', 0);
    if (this.projSize > 0 && mode !== 'LSTM') throw new ArgumentError(`${op}: projSize is only supported for LSTM`);
    if (this.projSize >= hiddenSize) throw new ArgumentError(`${op}: projSize (${this.projSize}) must be smaller than hiddenSize (${hiddenSize})`);
    const realH = this.projSize || hiddenSize;
    const gates = gateCount(mode) * hiddenSize;
    const bound = 1 / Math.sqrt(hiddenSize);
    let k = 0;
    const init = (shape: number[]) => (): Tensor =>
      uniform(shape, { a: -bound, b: bound, seed: this.seed === undefined ? undefined : deriveSeed(this.seed, k++) });
    const weights: RecurrentWeights[] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      const inF = layer === 0 ? inputSize : realH * this.numDirections;
      for (let d = 0; d < this.numDirections; d++) {
        const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        weights.push({
          weightIh: this.param(`weight_ih${sfx}`, init([gates, inF])),
          weightHh: this.param(`weight_hh${sfx}`, init([gates, realH])),
          biasIh: this.bias ? this.param(`bias_ih${sfx}`, init([gates])) : null,
          biasHh: this.bias ? this.param(`bias_hh${sfx}`, init([gates])) : null,
          weightHr: this.projSize > 0 ? this.param(`weight_hr${sfx}`, init([this.projSize, hiddenSize])) : null,
        });
      }
    }
    this.weights = weights;
  }

  /** 2 when bidirectional, else 1. */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** Checks an initial state against [numLayers * numDirections, batch, size] (or without batch). */
  #checkState(x: Tensor, s: Tensor | null | undefined, arg: string, want: number[]): Tensor | null {
    if (s == null) return null;
    const op = moduleName(this);
    const t = checkFloat(op, s, arg);
    if (t.rank !== want.length || t.shape.some((d, i) => d !== want[i])) {
      const size = arg === 'h0' && this.projSize > 0 ? 'projSize' : 'hiddenSize';
      const layout = want.length === 3 ? `[numLayers * numDirections, batch, ${size}]` : `[numLayers * numDirections, ${size}] (unbatched input)`;
      throw new ShapeError(`${op}: ${arg} ${fmt(t.shape)} must be ${layout} = ${fmt(want)} for input ${fmt(x.shape)}`);
    }
    return t;
  }

  /**
   * Runs every layer and direction over the sequence. x is [seq, batch, inputSize]
   * ([batch, seq, inputSize] with batchFirst) or unbatched [seq, inputSize]; h0 and c0 are
   * [numLayers * numDirections, batch, hiddenSize] (unbatched: without batch), zeros when absent.
   */
  protected run(xIn: Tensor, h0In: Tensor | null | undefined, c0In: Tensor | null | undefined): RecurrentResult {
    const op = moduleName(this);
    const x = checkFloat(op, xIn, 'input');
    if (x.rank !== 2 && x.rank !== 3) {
      throw new ShapeError(`${op}: input ${fmt(x.shape)} must be [seq, batch, inputSize], [batch, seq, inputSize] (batchFirst) or unbatched [seq, inputSize]`);
    }
    if (x.shape[x.rank - 1] !== this.inputSize) {
      throw new ShapeError(`${op}: input ${fmt(x.shape)} must have inputSize = ${this.inputSize} in its last dim`);
    }
    const batched = x.rank === 3;
    const seqLen = batched && this.batchFirst ? x.shape[1]! : x.shape[0]!;
    const batch = batched ? x.shape[this.batchFirst ? 0 : 1]! : 1;
    if (seqLen === 0) throw new ShapeError(`${op}: input ${fmt(x.shape)} has no time steps`);
    const dirs = this.numDirections, hs = this.hiddenSize, hr = this.projSize || hs;
    const want = (size: number) => (batched ? [this.numLayers * dirs, batch, size] : [this.numLayers * dirs, size]);
    const h0 = this.#checkState(x, h0In, 'h0', want(hr));
    const c0 = this.mode === 'LSTM' ? this.#checkState(x, c0In, 'c0', want(hs)) : null;
    const dropSeed = this.seed === undefined || this.dropout === 0 || !this.training ? undefined : deriveSeed(this.seed, 1000 + this.#calls);
    if (this.dropout > 0 && this.training && this.numLayers > 1) this.#calls++;
    return tidy(() => {
      // The input projection W_ih x + b_ih of every time step in one matmul, then cut into one
      // [batch, gates] tensor per step by unstack, whose backward is O(size * log seq) (slicing
      // each step off the projection separately would make backward quadratic in seq).
      const project = (seq: Tensor, timeAxis: number, w: Tensor, b: Tensor | null): Tensor[] =>
        unstack(linearImpl(op, seq, w, b), timeAxis);
      let seq: Tensor = batched ? x : reshape(x, [seqLen, 1, this.inputSize]);
      let timeAxis = batched && this.batchFirst ? 1 : 0;
      let xs: Tensor[] = [];
      const initial = (s: Tensor | null, k: number, size: number): Tensor =>
        s === null ? zeros([batch, size]) : reshape(s.slice([k, 0, 0], [k + 1, batch, size]), [batch, size]);
      const h3 = h0 && reshape(h0, [this.numLayers * dirs, batch, hr]);
      const c3 = c0 && reshape(c0, [this.numLayers * dirs, batch, hs]);
      const hN: Tensor[] = [], cN: Tensor[] = [];
      for (let layer = 0; layer < this.numLayers; layer++) {
        const outs: Tensor[][] = [];
        for (let d = 0; d < dirs; d++) {
          const k = layer * dirs + d;
          const w = this.weights[k]!;
          let h = initial(h3, k, hr);
          let c: Tensor | null = this.mode === 'LSTM' ? initial(c3, k, hs) : null;
          const gi = project(seq, timeAxis, w.weightIh, w.biasIh);
          const steps: Tensor[] = new Array<Tensor>(seqLen);
          for (let s = 0; s < seqLen; s++) {
            const t = d === 0 ? s : seqLen - 1 - s;
            // Each step frees its own intermediates; the graph keeps what backward needs.
            [h, c] = tidy(() => {
              const [hFull, cNew] = cellStep(this.mode, gi[t]!, linearImpl(op, h, w.weightHh, w.biasHh), h, c);
              return [w.weightHr ? linearImpl(op, hFull, w.weightHr) : hFull, cNew];
            });
            steps[t] = h;
          }
          outs.push(steps);
          hN.push(h);
          if (c) cN.push(c);
        }
        xs = dirs === 2 ? outs[0]!.map((f, t) => concat([f, outs[1]![t]!], 1)) : outs[0]!;
        if (this.dropout > 0 && this.training && layer < this.numLayers - 1) {
          const seed = dropSeed === undefined ? undefined : deriveSeed(dropSeed, layer + 1);
          xs = xs.map((xt, t) => dropoutImpl(op, xt, this.dropout, { training: true, seed: seed === undefined ? undefined : deriveSeed(seed, t + 1) }));
        }
        if (layer < this.numLayers - 1) {
          seq = stack(xs, 0);
          timeAxis = 0;
        }
      }
      // The last layer's outputs (before any dropout: there is none after the last layer).
      const output = batched ? stack(xs, this.batchFirst ? 1 : 0) : reshape(stack(xs, 0), [seqLen, dirs * hr]);
      const states = (list: Tensor[], size: number): Tensor => (batched ? stack(list, 0) : reshape(stack(list, 0), [list.length, size]));
      return { output, hN: states(hN, hr), cN: cN.length > 0 ? states(cN, hs) : null };
    });
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.mode === 'RNN_RELU') s += ', nonlinearity=relu';
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += ', bias=false';
    if (this.batchFirst) s += ', batch_first=true';
    if (this.dropout !== 0) s += `, dropout=${this.dropout}`;
    if (this.bidirectional) s += ', bidirectional=true';
    if (this.projSize > 0) s += `, proj_size=${this.projSize}`;
    return s;
  }
}

/** Options of RNNCell, LSTMCell and GRUCell. */
export interface CellOptions {
  /** Learn bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** Philox seed: weight_ih, weight_hh, bias_ih, bias_hh draw from streams 0..3 of it. */
  seed?: number;
}

/**
 * Base of the single-step cells (torch.nn.RNNCellBase): weight_ih [G H, in], weight_hh [G H, H],
 * bias_ih and bias_hh [G H], all U(-1/sqrt(hidden), 1/sqrt(hidden)) as PyTorch.
 * @example class MyCell extends RecurrentCellBase<[Tensor, Tensor], Tensor> { forward(x: Tensor, h: Tensor) { return this.step(x, h, null)[0]; } }
 */
export abstract class RecurrentCellBase<Args extends unknown[], Out> extends Module<Args, Out> {
  readonly mode: CellMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly weightIh: Variable;
  readonly weightHh: Variable;
  readonly biasIh: Variable | null;
  readonly biasHh: Variable | null;

  protected constructor(mode: CellMode, inputSize: number, hiddenSize: number, opts: CellOptions) {
    super();
    const op = moduleName(this);
    this.mode = mode;
    this.inputSize = checkInt(op, inputSize, 'inputSize', 1);
    this.hiddenSize = checkInt(op, hiddenSize, 'hiddenSize', 1);
    const hasBias = checkBool(op, opts.bias, 'bias', true);
    const seed = opts.seed === undefined ? undefined : checkInt(op, opts.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
    const gates = gateCount(mode) * hiddenSize;
    const bound = 1 / Math.sqrt(hiddenSize);
    const init = (shape: number[], k: number) => (): Tensor =>
      uniform(shape, { a: -bound, b: bound, seed: seed === undefined ? undefined : deriveSeed(seed, k) });
    this.weightIh = this.param('weight_ih', init([gates, inputSize], 0));
    this.weightHh = this.param('weight_hh', init([gates, hiddenSize], 1));
    this.biasIh = hasBias ? this.param('bias_ih', init([gates], 2)) : null;
    this.biasHh = hasBias ? this.param('bias_hh', init([gates], 3)) : null;
  }

  /** One step from x [B, in] or [in]; h (and c) default to zeros. */
  protected step(x: Tensor, h: Tensor | null | undefined, c: Tensor | null | undefined): [Tensor, Tensor | null] {
    const op = moduleName(this);
    const xs = checkFloat(op, x, 'input');
    const state = xs.rank === 2 ? [xs.shape[0]!, this.hiddenSize] : [this.hiddenSize];
    return cellImpl(op, this.mode, xs, h ?? zeros(state), this.mode === 'LSTM' ? c ?? zeros(state) : null,
      this.weightIh, this.weightHh, this.biasIh, this.biasHh);
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.biasIh ? '' : ', bias=false'}${this.mode === 'RNN_RELU' ? ', nonlinearity=relu' : ''}`;
  }
}
