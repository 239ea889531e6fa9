// Multiply-accumulates of one forward pass of a layer, for the whole batch, from its
// configuration and the shapes it saw. Two counts:
//
// - `layerMacs`: the multiply-accumulates of the layer's arithmetic. Linear: one per output
//   element per input feature (numel(y)·in); Conv2d: numel(y)·(C_in/groups)·kH·kW (dilation
//   changes where the taps fall, not how many there are); ConvTranspose2d: every input element
//   scatters into (C_out/groups)·kH·kW outputs, numel(x)·(C_out/groups)·kH·kW; BatchNorm and
//   LayerNorm: one per element (the scale-and-shift x·a + b, as folded at inference);
//   RNN/LSTM/GRU: per step and batch row, gates·H·(in + H) for each layer and direction (plus
//   P·H for an LSTM projection); MultiheadAttention: the q, k, v and output projections plus
//   Lq·Lk·E for the scores and again for the weighted sum. Bias additions are not counted, nor
//   are pooling, activations, dropout, reshapes and embedding lookups (0, as torchinfo).
// - `torchinfoMultAdds`: torchinfo 1.8's "Mult-Adds" (LayerInfo.calculate_macs), reproduced
//   exactly so our totals can be compared with its output: for a parameter named weight or
//   bias, its element count times output_size[0] (times the output's spatial size for classes
//   whose name contains "Conv"); for other parameters containing "weight" or "bias" (RNN
//   weight_ih_l0, attention in_proj_weight), times output_size[0]·output_size[1]. So it counts
//   a bias as one add per output, and it counts BatchNorm as N·2C.
//
// Layers not listed get 0 MACs unless they hold parameters, when torchinfo's estimate is used.
import { ConvTranspose2d, Conv2d, Embedding, LayerNorm, Linear, MultiheadAttention, RecurrentBase, BatchNorm, TransformerEncoder, TransformerEncoderLayer, moduleName, type AnyModule } from '@tensile/layers';

const prod = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** What a layer saw in one call: its tensor arguments' shapes (in order) and its first output's shape. */
export interface CallShapes {
  inputs: number[][];
  output: number[];
}

/** Attention MACs for a query of `nq` rows (batch × Lq), keys/values of `nk` rows, over `batch` sequences. */
function attentionMacs(m: MultiheadAttention, nq: number, nk: number, batch: number): number {
  const e = m.embedDim;
  const projections = nq * e * e + nk * m.kdim * e + nk * m.vdim * e + nq * e * e;
  // scores q·kᵀ and the weighted sum of v: Lq·Lk·E each per sequence = (nq/b)·(nk/b)·E·b.
  const lq = nq / batch, lk = nk / batch;
  return projections + 2 * batch * lq * lk * e;
}

/** The sequence rows (batch × length) and the batch of a [L, N, E], [N, L, E] or unbatched [L, E] input. */
function seqRows(shape: number[], batchFirst: boolean): { rows: number; batch: number } {
  if (shape.length === 3) return { rows: shape[0]! * shape[1]!, batch: batchFirst ? shape[0]! : shape[1]! };
  return { rows: shape[0] ?? 1, batch: 1 };
}

function encoderLayerMacs(l: TransformerEncoderLayer, shape: number[]): number {
  const { rows, batch } = seqRows(shape, l.config.batchFirst ?? false);
  const d = l.dModel, ff = l.linear1.outFeatures;
  return attentionMacs(l.selfAttn, rows, rows, batch) + rows * (d * ff + ff * d) + 2 * rows * d;
}

/**
 * Multiply-accumulates of one call of `m` (conventions in this file's header).
 * @example layerMacs(new Linear(400, 120), { inputs: [[1, 400]], output: [1, 120] }) // 48000
 */
export function layerMacs(m: AnyModule, s: CallShapes): number {
  const x = s.inputs[0] ?? [];
  if (m instanceof Linear) return prod(s.output) * m.inFeatures;
  if (m instanceof Conv2d) return prod(s.output) * (m.inChannels / m.groups) * m.kernelSize[0] * m.kernelSize[1];
  if (m instanceof ConvTranspose2d) return prod(x) * (m.outChannels / m.groups) * m.kernelSize[0] * m.kernelSize[1];
  if (m instanceof BatchNorm || m instanceof LayerNorm) return prod(s.output);
  if (m instanceof RecurrentBase) {
    const steps = prod(x) / m.inputSize;
    const gates = m.mode === 'LSTM' ? 4 : m.mode === 'GRU' ? 3 : 1;
    const dirs = m.bidirectional ? 2 : 1;
    const h = m.hiddenSize, out = m.projSize > 0 ? m.projSize : h;
    let perStep = 0;
    for (let l = 0; l < m.numLayers; l++) {
      const inSize = l === 0 ? m.inputSize : out * dirs;
      perStep += dirs * (gates * h * (inSize + out) + (m.projSize > 0 ? m.projSize * h : 0));
    }
    return steps * perStep;
  }
  if (m instanceof MultiheadAttention) {
    const q = seqRows(x, m.batchFirst), k = seqRows(s.inputs[1] ?? x, m.batchFirst);
    return attentionMacs(m, q.rows, k.rows, q.batch);
  }
  if (m instanceof Embedding) return 0; // a lookup: no arithmetic
  if (m instanceof TransformerEncoderLayer) return encoderLayerMacs(m, x);
  if (m instanceof TransformerEncoder) {
    const layers = [...m.layers].reduce((n, l) => n + encoderLayerMacs(l, x), 0);
    return layers + (m.norm ? prod(s.output) : 0);
  }
  if (m.parameters().length > 0) return torchinfoMultAdds(m, s.output);
  return 0;
}

/**
 * torchinfo 1.8's Mult-Adds of one call of `m` whose (first) output has shape `output`.
 * @example torchinfoMultAdds(new Conv2d(1, 6, 5, { padding: 2 }), [1, 6, 28, 28]) // (150 + 6)·784 = 122304
 */
export function torchinfoMultAdds(m: AnyModule, output: number[]): number {
  const conv = moduleName(m).includes('Conv');
  let n = 0;
  for (const [name, p] of m.namedParameters()) {
    if (name === 'weight' || name === 'bias') {
      n += conv ? p.size * prod([output[0] ?? 1, ...output.slice(2)]) : (output[0] ?? 1) * p.size;
    } else if (name.includes('weight') || name.includes('bias')) {
      n += prod(output.slice(0, 2)) * p.size;
    }
  }
  return n;
}
