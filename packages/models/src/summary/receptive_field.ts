// Receptive field and jump through the spatial layers, per axis (H, W). A unit of a feature map
// sees r input pixels along an axis, and neighbouring units are j input pixels apart (the jump,
// or effective stride). Through a layer of kernel k, stride s and dilation d
// (k_eff = d·(k - 1) + 1):
//
//   r_out = r_in + (k_eff - 1)·j_in,   j_out = j_in·s
//
// (Araujo et al., "Computing Receptive Fields of Convolutional Neural Networks", Distill 2019).
// Padding moves where the field sits, not its size. Adaptive average pooling from i to o cells
// acts as kernel i - (o - 1)·⌊i/o⌋ with stride ⌊i/o⌋ (exact when o divides i). A transposed
// convolution of stride s makes units 1/s as far apart (j_out = j_in / s), and each output
// depends on ⌈k_eff/s⌉ neighbouring inputs: r_out = r_in + (⌈k_eff/s⌉ - 1)·j_in.
// Every other layer (BatchNorm, activations, dropout) keeps r and j.
import { AdaptiveAvgPool2d, AvgPool2d, ConvTranspose2d, Conv2d, GlobalAvgPool2d, MaxPool2d, MinPool2d, type AnyModule } from '@tensile/layers';

/** The receptive field `r` and the jump `j` of a feature map, per axis [H, W], in input pixels. */
export interface FieldState {
  r: [number, number];
  j: [number, number];
}

/** The model input: each pixel sees itself, neighbours are one pixel apart. */
export const INPUT_FIELD: FieldState = { r: [1, 1], j: [1, 1] };

/** One window-sliding layer's geometry per axis: kernel extent (dilation included) and stride. */
interface Window {
  k: [number, number];
  s: [number, number];
}

const effective = (k: [number, number], d: [number, number]): [number, number] => [d[0] * (k[0] - 1) + 1, d[1] * (k[1] - 1) + 1];

/** The window of a layer that slides one (Conv2d, pools, adaptive pools), or null. */
function windowOf(m: AnyModule, input: number[], output: number[]): Window | null {
  if (m instanceof Conv2d || m instanceof MaxPool2d || m instanceof MinPool2d) return { k: effective(m.kernelSize, m.dilation), s: m.stride };
  if (m instanceof AvgPool2d) return { k: m.kernelSize, s: m.stride };
  if ((m instanceof AdaptiveAvgPool2d || m instanceof GlobalAvgPool2d) && input.length === 4) {
    // GlobalAvgPool2d flattens, so its output has no spatial axes: it pools to 1x1.
    const o: [number, number] = output.length === 4 ? [output[2]!, output[3]!] : [1, 1];
    const s: [number, number] = [Math.floor(input[2]! / o[0]), Math.floor(input[3]! / o[1])];
    return { k: [input[2]! - (o[0] - 1) * s[0], input[3]! - (o[1] - 1) * s[1]], s };
  }
  return null;
}

/**
 * The field after one call of `m`, given the field of its input and the shapes it saw.
 * @example fieldAfter(new Conv2d(1, 1, 3), INPUT_FIELD, [1, 1, 8, 8], [1, 1, 6, 6]) // { r: [3, 3], j: [1, 1] }
 */
export function fieldAfter(m: AnyModule, f: FieldState, input: number[], output: number[]): FieldState {
  if (m instanceof ConvTranspose2d) {
    const k = effective(m.kernelSize, m.dilation);
    return {
      r: [f.r[0] + (Math.ceil(k[0] / m.stride[0]) - 1) * f.j[0], f.r[1] + (Math.ceil(k[1] / m.stride[1]) - 1) * f.j[1]],
      j: [f.j[0] / m.stride[0], f.j[1] / m.stride[1]],
    };
  }
  const w = windowOf(m, input, output);
  if (w === null) return f;
  return {
    r: [f.r[0] + (w.k[0] - 1) * f.j[0], f.r[1] + (w.k[1] - 1) * f.j[1]],
    j: [f.j[0] * w.s[0], f.j[1] * w.s[1]],
  };
}

/** Whether `m` changes the field (a window-sliding layer), so its row reports its own r and j. */
export function isSpatial(m: AnyModule): boolean {
  return m instanceof Conv2d || m instanceof ConvTranspose2d || m instanceof MaxPool2d || m instanceof MinPool2d
    || m instanceof AvgPool2d || m instanceof AdaptiveAvgPool2d || m instanceof GlobalAvgPool2d;
}

/**
 * The widest of two fields (largest area r_H·r_W, then the larger jump): where branches meet
 * (a residual sum, an inception concatenation) a unit sees what its widest branch sees.
 * @example widest({ r: [5, 5], j: [1, 1] }, { r: [1, 1], j: [1, 1] }) // the first
 */
export function widest(a: FieldState, b: FieldState): FieldState {
  const area = (f: FieldState): number => f.r[0] * f.r[1];
  if (area(a) !== area(b)) return area(a) > area(b) ? a : b;
  return a.j[0] * a.j[1] >= b.j[0] * b.j[1] ? a : b;
}
