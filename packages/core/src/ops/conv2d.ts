// 2-D convolution (cross-correlation, as PyTorch) and transposed convolution, NCHW/OIHW.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import type { ConvAttrs } from '../backend/kernels.js';
import { ShapeError, fmt } from '../errors.js';
import { windowOutSize } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { add } from './binary.js';
import { toFloat } from './cast.js';
import { checkNCHW, pair, resolvePadding, type Pair, type Padding } from './conv_util.js';
import { checkDType, checkInt, checkTensor, defineOp } from './op.js';
import { reshape, expandDims, squeeze } from './reshape.js';
import { slice } from './slice.js';

export interface Conv2DOptions {
  /** Added per output channel: shape [Cout]. */
  bias?: Tensor;
  stride?: Pair;
  /** 'valid' | 'same' | amount | [h, w] | [top, bottom, left, right]; default 0. */
  padding?: Padding;
  dilation?: Pair;
  groups?: number;
}

/** Runs the Conv2D kernel with its output size computed here, once, for every backend. */
function conv2dKernel(x: Tensor, w: Tensor, attrs: ConvAttrs): Tensor {
  const { stride, pad, dilation } = attrs;
  const outSize: [number, number] = [
    windowOutSize(x.shape[2]!, w.shape[2]!, stride[0], pad[0] + pad[1], dilation[0]),
    windowOutSize(x.shape[3]!, w.shape[3]!, stride[1], pad[2] + pad[3], dilation[1]),
  ];
  return runKernel('Conv2D', { x, w }, { ...attrs, outSize });
}

function conv(x: Tensor, w: Tensor, attrs: ConvAttrs): Tensor {
  const y = conv2dKernel(x, w, attrs);
  // An input that does not require grad (the images of a first layer) costs no backprop kernel.
  return record('conv2d', y, [x, w], (dy) => [
    x.requiresGrad ? runKernel('Conv2DBackpropInput', { dy, w }, { ...attrs, inputShape: x.shape as [number, number, number, number] }) : null,
    w.requiresGrad ? runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: w.shape as [number, number, number, number] }) : null,
  ]);
}

/** Validates a numeric tensor argument (no kernel runs: casting waits until all checks pass). */
function checkNumeric(op: string, t: Tensor, arg: string): Tensor {
  checkTensor(op, t, arg);
  checkDType(op, t, ['float32', 'int32', 'int8', 'uint8'], arg);
  return t;
}

/** Validates x [N?, C, H, W], w [., ., kH, kW] and the bias for `channels` outputs. */
function checkConvArgs(op: string, x: Tensor, w: Tensor, bias: Tensor | undefined, wLayout: string): { batched: boolean } {
  checkNumeric(op, x, 'x');
  checkNumeric(op, w, 'w');
  const r = checkNCHW(op, x);
  if (w.rank !== 4) throw new ShapeError(`${op}: w must be ${wLayout}, got ${fmt(w.shape)}`);
  if (bias !== undefined) checkNumeric(op, bias, 'bias');
  return r;
}

function checkBias(op: string, bias: Tensor | undefined, channels: number): void {
  if (bias !== undefined && (bias.rank !== 1 || bias.shape[0] !== channels)) {
    throw new ShapeError(`${op}: bias must have shape [${channels}], got ${fmt(bias.shape)}`);
  }
}

function addBias(y: Tensor, bias: Tensor | undefined, channels: number): Tensor {
  return bias === undefined ? y : add(y, reshape(toFloat(bias), [1, channels, 1, 1]));
}

/** The float32, batched forms of x and w, once every check has passed. */
function prepare(x: Tensor, w: Tensor, batched: boolean): [Tensor, Tensor] {
  const xf = toFloat(x);
  return [batched ? xf : expandDims(xf, 0), toFloat(w)];
}

/**
 * Convolves x [N, Cin, H, W] with w [Cout, Cin/groups, kH, kW] (torch.nn.functional.conv2d).
 * 'same' padding with stride > 1 puts the odd extra padding at the end (TF/ONNX SAME_UPPER).
 * @example conv2d(ones([1, 1, 3, 3]), ones([1, 1, 2, 2])) // [[[[4, 4], [4, 4]]]]
 */
export const conv2d = defineOp((xIn: Tensor, wIn: Tensor, opts: Conv2DOptions = {}): Tensor => {
  const { batched } = checkConvArgs('conv2d', xIn, wIn, opts.bias, '[Cout, Cin/groups, kH, kW]');
  const groups = checkInt('conv2d', opts.groups ?? 1, 'groups', 1);
  const [c, h, wd] = xIn.shape.slice(-3) as [number, number, number];
  const [cout, cinG, kh, kw] = wIn.shape as [number, number, number, number];
  if (c !== cinG * groups || cout % groups !== 0) {
    throw new ShapeError(`conv2d: x ${fmt(xIn.shape)} has ${c} channels but w ${fmt(wIn.shape)} with groups=${groups} expects ${cinG * groups} (and Cout ${cout} divisible by groups)`);
  }
  const stride = pair('conv2d', opts.stride ?? 1, 'stride');
  const dilation = pair('conv2d', opts.dilation ?? 1, 'dilation');
  const pad = resolvePadding('conv2d', opts.padding ?? 0, [h, wd], [kh, kw], stride, dilation);
  const oh = windowOutSize(h, kh, stride[0], pad[0] + pad[1], dilation[0]);
  const ow = windowOutSize(wd, kw, stride[1], pad[2] + pad[3], dilation[1]);
  if (oh <= 0 || ow <= 0 || kh === 0 || kw === 0) {
    throw new ShapeError(`conv2d: kernel ${fmt([kh, kw])} (dilation ${fmt(dilation)}) is larger than padded input ${fmt([h + pad[0] + pad[1], wd + pad[2] + pad[3]])} of x ${fmt(xIn.shape)}`);
  }
  checkBias('conv2d', opts.bias, cout);
  const [x, w] = prepare(xIn, wIn, batched);
  const y = addBias(conv(x, w, { stride, pad, dilation, groups }), opts.bias, cout);
  return batched ? y : squeeze(y, 0);
});

export interface ConvTranspose2DOptions {
  bias?: Tensor;
  stride?: Pair;
  /** Implicit zero padding removed from each side of the output: amount, [h, w] or [t, b, l, r]. */
  padding?: number | [number, number] | [number, number, number, number];
  /** Extra size added to one side of the output (must be < stride or < dilation). */
  outputPadding?: Pair;
  dilation?: Pair;
  groups?: number;
}

function convT(x: Tensor, w: Tensor, attrs: ConvAttrs, outShape: [number, number, number, number]): Tensor {
  const y = runKernel('Conv2DBackpropInput', { dy: x, w }, { ...attrs, inputShape: outShape });
  return record('convTranspose2d', y, [x, w], (dy) => [
    // outputPadding rows/cols never came from x: crop the adjoint to x's size.
    x.requiresGrad ? slice(conv2dKernel(dy, w, attrs), [0, 0, 0, 0], x.shape) : null,
    w.requiresGrad ? runKernel('Conv2DBackpropFilter', { x: dy, dy: x }, { ...attrs, filterShape: w.shape as [number, number, number, number] }) : null,
  ]);
}

/**
 * Transposed convolution (torch.nn.functional.conv_transpose2d): x [N, Cin, H, W], w
 * [Cin, Cout/groups, kH, kW]; out H = (H - 1) stride - padTop - padBottom + dilation (kH - 1) + outputPadding + 1.
 * @example convTranspose2d(ones([1, 1, 2, 2]), ones([1, 1, 2, 2]), { stride: 2 }) // 4x4 of ones
 */
export const convTranspose2d = defineOp((xIn: Tensor, wIn: Tensor, opts: ConvTranspose2DOptions = {}): Tensor => {
  const op = 'convTranspose2d';
  const { batched } = checkConvArgs(op, xIn, wIn, opts.bias, '[Cin, Cout/groups, kH, kW]');
  const groups = checkInt(op, opts.groups ?? 1, 'groups', 1);
  const [c, h, wd] = xIn.shape.slice(-3) as [number, number, number];
  const n = batched ? xIn.shape[0]! : 1;
  const [cin, coutG, kh, kw] = wIn.shape as [number, number, number, number];
  if (c !== cin || cin % groups !== 0) {
    throw new ShapeError(`${op}: x ${fmt(xIn.shape)} has ${c} channels but w ${fmt(wIn.shape)} expects ${cin} (divisible by groups=${groups})`);
  }
  const stride = pair(op, opts.stride ?? 1, 'stride');
  const dilation = pair(op, opts.dilation ?? 1, 'dilation');
  const outPad = pair(op, opts.outputPadding ?? 0, 'outputPadding', 0);
  const pad = resolvePadding(op, opts.padding ?? 0, [h, wd], [kh, kw], stride, dilation);
  for (let i = 0; i < 2; i++) {
    if (outPad[i]! >= stride[i]! && outPad[i]! >= dilation[i]!) {
      throw new ShapeError(`${op}: outputPadding ${fmt(outPad)} must be smaller than stride ${fmt(stride)} or dilation ${fmt(dilation)}`);
    }
  }
  const oh = (h - 1) * stride[0] - pad[0] - pad[1] + dilation[0] * (kh - 1) + outPad[0] + 1;
  const ow = (wd - 1) * stride[1] - pad[2] - pad[3] + dilation[1] * (kw - 1) + outPad[1] + 1;
  if (oh <= 0 || ow <= 0) throw new ShapeError(`${op}: padding ${fmt(pad)} leaves no output for x ${fmt(xIn.shape)} and w ${fmt(wIn.shape)}`);
  const cout = coutG * groups;
  checkBias(op, opts.bias, cout);
  const [x, w] = prepare(xIn, wIn, batched);
  const y = addBias(convT(x, w, { stride, pad, dilation, groups }, [n, cout, oh, ow]), opts.bias, cout);
  return batched ? y : squeeze(y, 0);
});
