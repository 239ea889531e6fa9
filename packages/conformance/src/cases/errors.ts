// Every bad input throws a typed TensileError whose message names the op, the argument and
// the shapes seen (and nothing leaks on the way out: the runner's leak check wraps each).
import * as T from '@tensile/core';
import { ArgumentError, BackendError, DisposedError, DTypeError, ShapeError } from '@tensile/core';
import type { Case, ErrorCase, TensorSpec } from '../types.js';
import { bool, f32, i32 } from '../util.js';

type Run = ErrorCase['run'];
const zerosSpec = (shape: number[]): TensorSpec => f32(new Array(shape.reduce((a, b) => a * b, 1)).fill(0), shape);

function err(name: string, error: ErrorCase['throws']['error'], includes: string[], run: Run, inputs: TensorSpec[] = [], disposed?: number[]): ErrorCase {
  return { name, inputs, run, throws: { error, includes }, ...(disposed ? { disposed } : {}) };
}

const X23 = zerosSpec([2, 3]);
const X2 = f32([1, 2]);
const NCHW = zerosSpec([1, 3, 5, 5]);
const anyArg = (v: unknown) => v as never;

const shapeErrors: Case[] = [
  err('add [2,3] + [4]: ShapeError naming add and both shapes', ShapeError, ['add', '[2,3]', '[4]'], ([a, b]) => T.add(a!, b!), [X23, zerosSpec([4])]),
  err('sub of two bool tensors is a DTypeError (as PyTorch)', DTypeError, ['sub', 'bool'], ([a, b]) => T.sub(a!, b!), [bool([1, 0]), bool([0, 1])]),
  err('pow of two bool tensors is a DTypeError', DTypeError, ['pow', 'bool'], ([a, b]) => T.pow(a!, b!), [bool([1, 0]), bool([0, 1])]),
  err('add names both arguments with their shapes', ShapeError, ['add: a [2,3] and b [4]'], ([a, b]) => T.add(a!, b!), [X23, zerosSpec([4])]),
  err('where names cond when it does not broadcast with a', ShapeError, ['where: cond [2] and a [3]'], ([c, a, b]) => T.where(c!, a!, b!), [bool([1, 0]), zerosSpec([3]), zerosSpec([3])]),
  err('rand of an integer dtype is a DTypeError', DTypeError, ['rand', 'int32'], () => T.rand([2], { dtype: 'int32' })),
  err('randn of bool is a DTypeError', DTypeError, ['randn', 'bool'], () => T.randn([2], { dtype: 'bool' })),
  err('fusedMatMul bias of the wrong size', ShapeError, ['fusedMatMul', 'bias', '[3]', '[2]'], ([a, b, c]) => T.fusedMatMul(a!, b!, { bias: c! }), [zerosSpec([2, 2]), zerosSpec([2, 2]), zerosSpec([3])]),
  err('fusedMatMul of a vector', ShapeError, ['fusedMatMul', '[2]'], ([a, b]) => T.fusedMatMul(a!, b!), [X2, zerosSpec([2, 2])]),
  err('fusedMatMul unknown activation', ArgumentError, ['fusedMatMul', 'activation', 'gelu'], ([a, b]) => T.fusedMatMul(a!, b!, { activation: anyArg('gelu') }), [zerosSpec([2, 2]), zerosSpec([2, 2])]),
  err('mul [2,3] * [3,2]', ShapeError, ['mul', '[2,3]', '[3,2]'], ([a, b]) => T.mul(a!, b!), [X23, zerosSpec([3, 2])]),
  err('less [2] < [3]', ShapeError, ['less', '[2]', '[3]'], ([a, b]) => T.less(a!, b!), [X2, zerosSpec([3])]),
  err('where with a cond that does not broadcast', ShapeError, ['where', '[2]', '[3]'], ([c, a, b]) => T.where(c!, a!, b!), [bool([1, 0]), zerosSpec([3]), zerosSpec([3])]),
  err('matmul inner dims differ', ShapeError, ['matmul', '[2,3]', '[4,5]'], ([a, b]) => T.matmul(a!, b!), [X23, zerosSpec([4, 5])]),
  err('matmul of vectors of different lengths', ShapeError, ['matmul', '[3]', '[4]'], ([a, b]) => T.matmul(a!, b!), [zerosSpec([3]), zerosSpec([4])]),
  err('matmul batch dims that do not broadcast', ShapeError, ['matmul', '[2,3,4]', '[3,4,5]'], ([a, b]) => T.matmul(a!, b!), [zerosSpec([2, 3, 4]), zerosSpec([3, 4, 5])]),
  err('matmul of a rank-0 operand', ShapeError, ['matmul', '[]'], ([a, b]) => T.matmul(a!, b!), [f32([1], []), X2]),
  err('matmul transposeA of a vector', ShapeError, ['matmul', 'transposeA', '[2]'], ([a, b]) => T.matmul(a!, b!, { transposeA: true }), [X2, X2]),
  err('conv2d channel mismatch', ShapeError, ['conv2d', '[1,3,5,5]', '[2,4,3,3]'], ([x, w]) => T.conv2d(x!, w!), [NCHW, zerosSpec([2, 4, 3, 3])]),
  err('conv2d of a rank-2 x', ShapeError, ['conv2d', '[5,5]'], ([x, w]) => T.conv2d(x!, w!), [zerosSpec([5, 5]), zerosSpec([1, 1, 3, 3])]),
  err('conv2d of a rank-3 w', ShapeError, ['conv2d', 'w', '[3,3,3]'], ([x, w]) => T.conv2d(x!, w!), [NCHW, zerosSpec([3, 3, 3])]),
  err('conv2d kernel larger than the input', ShapeError, ['conv2d', '[3,3]', '[1,1,2,2]'], ([x, w]) => T.conv2d(x!, w!), [zerosSpec([1, 1, 2, 2]), zerosSpec([1, 1, 3, 3])]),
  err('conv2d Cout not divisible by groups', ShapeError, ['conv2d', 'groups=2', '[3,2,3,3]'], ([x, w]) => T.conv2d(x!, w!, { groups: 2 }), [zerosSpec([1, 4, 5, 5]), zerosSpec([3, 2, 3, 3])]),
  err('conv2d bias of the wrong shape', ShapeError, ['conv2d', 'bias', '[3]'], ([x, w, b]) => T.conv2d(x!, w!, { bias: b! }), [NCHW, zerosSpec([2, 3, 3, 3]), zerosSpec([3])]),
  err('convTranspose2d channel mismatch', ShapeError, ['convTranspose2d', '[1,3,2,2]', '[2,1,2,2]'], ([x, w]) => T.convTranspose2d(x!, w!), [zerosSpec([1, 3, 2, 2]), zerosSpec([2, 1, 2, 2])]),
  err('convTranspose2d outputPadding not below stride or dilation', ShapeError, ['convTranspose2d', 'outputPadding'], ([x, w]) => T.convTranspose2d(x!, w!, { stride: 2, outputPadding: 2 }), [zerosSpec([1, 1, 2, 2]), zerosSpec([1, 1, 3, 3])]),
  err('convTranspose2d padding that leaves no output', ShapeError, ['convTranspose2d', '[1,1,1,1]'], ([x, w]) => T.convTranspose2d(x!, w!, { padding: 2 }), [zerosSpec([1, 1, 1, 1]), zerosSpec([1, 1, 2, 2])]),
  err('maxPool2d window larger than the input', ShapeError, ['maxPool2d', '[3,3]', '[1,1,2,2]'], ([x]) => T.maxPool2d(x!, { kernelSize: 3 }), [zerosSpec([1, 1, 2, 2])]),
  // ceil mode keeps a window larger than the input only while it starts inside it (PyTorch): 3x3/2 on 1x1 leaves nothing
  err('maxPool2d ceilMode window larger than a 1x1 input', ShapeError, ['maxPool2d', '[3,3]', '[1,1,1,1]'], ([x]) => T.maxPool2d(x!, { kernelSize: 3, stride: 2, ceilMode: true }), [zerosSpec([1, 1, 1, 1])]),
  err('avgPool2d of a rank-2 x', ShapeError, ['avgPool2d', '[4,4]'], ([x]) => T.avgPool2d(x!, { kernelSize: 2 }), [zerosSpec([4, 4])]),
  err('squeeze of a non-1 axis', ShapeError, ['squeeze', '[2,3]', 'axis 1'], ([x]) => T.squeeze(x!, 1), [X23]),
  err('squeeze of an axis out of range', ShapeError, ['squeeze', '5'], ([x]) => T.squeeze(x!, 5), [X23]),
  err('max over an empty axis', ShapeError, ['max', '[0,3]'], ([x]) => T.max(x!, 0), [zerosSpec([0, 3])]),
  err('min of an empty tensor', ShapeError, ['min', '[0]'], ([x]) => T.min(x!), [zerosSpec([0])]),
  err('argmax of an empty tensor', ShapeError, ['argmax', '[0]'], ([x]) => T.argmax(x!), [zerosSpec([0])]),
  err('argmin over an empty axis', ShapeError, ['argmin', '[2,0]'], ([x]) => T.argmin(x!, 1), [zerosSpec([2, 0])]),
  err('reshape to a different size', ShapeError, ['reshape', '[2,3]', '[4]'], ([x]) => T.reshape(x!, [4]), [X23]),
  err('reshape with two -1', ShapeError, ['reshape', '[-1,-1]'], ([x]) => T.reshape(x!, [-1, -1]), [X23]),
  err('reshape with a -1 that does not divide', ShapeError, ['reshape', '[2,3]', '[4,-1]'], ([x]) => T.reshape(x!, [4, -1]), [X23]),
  err('reshape with a negative dim', ShapeError, ['reshape', '-2'], ([x]) => T.reshape(x!, [-2, -3]), [X23]),
  err('sum over an axis out of range', ShapeError, ['sum', '2', 'rank 2'], ([x]) => T.sum(x!, 2), [X23]),
  err('sum over a repeated axis', ShapeError, ['sum', 'repeated'], ([x]) => T.sum(x!, [0, -2]), [X23]),
  err('mean over an axis out of range (negative)', ShapeError, ['mean', '-3'], ([x]) => T.mean(x!, -3), [X23]),
  err('softmax over an axis out of range', ShapeError, ['softmax', '5'], ([x]) => T.softmax(x!, 5), [X23]),
  err('argmax over an axis out of range', ShapeError, ['argmax', '2'], ([x]) => T.argmax(x!, 2), [X23]),
  err('transpose with a repeated perm', ShapeError, ['transpose', '[0,0]', '[2,3]'], ([x]) => T.transpose(x!, [0, 0]), [X23]),
  err('transpose with a perm of the wrong length', ShapeError, ['transpose', '[0]', '[2,3]'], ([x]) => T.transpose(x!, [0]), [X23]),
  err('transpose with a perm entry out of range', ShapeError, ['transpose', 'perm', '2'], ([x]) => T.transpose(x!, [0, 2]), [X23]),
  err('concat of mismatched shapes', ShapeError, ['concat', '[2,3]', '[2,4]'], ([a, b]) => T.concat([a!, b!], 0), [X23, zerosSpec([2, 4])]),
  err('concat of different ranks', ShapeError, ['concat', '[2,3]', '[3]'], ([a, b]) => T.concat([a!, b!], 0), [X23, zerosSpec([3])]),
  err('concat of rank-0 tensors', ShapeError, ['concat', 'rank-0'], ([a]) => T.concat([a!, a!]), [f32([1], [])]),
  err('concat along an axis out of range', ShapeError, ['concat', '2'], ([a]) => T.concat([a!, a!], 2), [X23]),
  err('stack of mismatched shapes', ShapeError, ['stack', '[2]', '[3]'], ([a, b]) => T.stack([a!, b!]), [X2, zerosSpec([3])]),
  err('pad with a negative amount', ShapeError, ['pad', '[2]'], ([x]) => T.pad(x!, [[-1, 0]]), [X2]),
  err('pad with the wrong number of pairs', ShapeError, ['pad', '[2,3]'], ([x]) => T.pad(x!, [[1, 1]]), [X23]),
  err('tile with negative reps', ShapeError, ['tile', '-1'], ([x]) => T.tile(x!, [-1]), [X2]),
  err('broadcastTo an incompatible shape', ShapeError, ['broadcastTo', '[3]', '[2,4]'], ([x]) => T.broadcastTo(x!, [2, 4]), [zerosSpec([3])]),
  err('broadcastTo a smaller shape', ShapeError, ['broadcastTo', '[2,3]', '[3]'], ([x]) => T.broadcastTo(x!, [3]), [X23]),
  err('slice with more begins than dims', ShapeError, ['slice', 'begin', 'rank 1'], ([x]) => T.slice(x!, [0, 0]), [X2]),
  err('gather from a rank-0 tensor', ShapeError, ['gather', '[]'], ([x, i]) => T.gather(x!, i!), [f32([1], []), i32([0])]),
  err('gather along an axis out of range', ShapeError, ['gather', '2'], ([x, i]) => T.gather(x!, i!, 2), [X23, i32([0])]),
  err('flatten with startDim after endDim', ShapeError, ['flatten', '[2,3]'], ([x]) => T.flatten(x!, 1, 0), [X23]),
  err('expandDims at an axis out of range', ShapeError, ['expandDims', '3'], ([x]) => T.expandDims(x!, 3), [X23]),
  err('tensor from a ragged array', ShapeError, ['tensor', 'ragged'], () => T.tensor([[1, 2], [3]] as never)),
  err('tensor with values that do not fill the shape', ShapeError, ['tensor', '[2,2]', '3'], () => T.tensor([1, 2, 3], [2, 2])),
  err('zeros with a negative dim', ShapeError, ['zeros', '-1'], () => T.zeros([2, -1])),
  err('rand with a fractional dim', ShapeError, ['rand', '1.5'], () => T.rand([1.5])),
  err('assign of another shape', ShapeError, ['assign', '[2]', '[3]'], ([x, y]) => {
    const v = T.variable(x!);
    try { v.assign(y!); } finally { v.dispose(); }
  }, [X2, zerosSpec([3])]),
  err('gradients with a dy of another shape', ShapeError, ['gradients', '[3]', '[2]'], ([x, dy]) => T.gradients(x!, [x!], { dy: dy! }), [X2, zerosSpec([3])]),
];

const dtypeErrors: Case[] = [
  err('gather with float32 indices', DTypeError, ['gather', 'indices', 'float32'], ([x, i]) => T.gather(x!, i!), [X2, f32([0, 1])]),
  err('gather with bool indices', DTypeError, ['gather', 'indices', 'bool'], ([x, i]) => T.gather(x!, i!), [X2, bool([1, 0])]),
  err('oneHot of float32 indices', DTypeError, ['oneHot', 'indices', 'float32'], ([i]) => T.oneHot(i!, 3), [f32([0, 1])]),
  err('matmul of bool operands', DTypeError, ['matmul', 'bool'], ([a, b]) => T.matmul(a!, b!), [bool([1, 0], [1, 2]), f32([1, 2], [2, 1])]),
  err('sub of two bools', DTypeError, ['sub', 'bool'], ([a, b]) => T.sub(a!, b!), [bool([1]), bool([0])]),
  err('conv2d of a bool x', DTypeError, ['conv2d', 'bool'], ([x, w]) => T.conv2d(x!, w!), [bool(new Array(9).fill(1), [1, 1, 3, 3]), zerosSpec([1, 1, 2, 2])]),
  err('maxPool2d of a bool x', DTypeError, ['maxPool2d', 'bool'], ([x]) => T.maxPool2d(x!, { kernelSize: 2 }), [bool([1, 0, 1, 0], [1, 1, 2, 2])]),
  err('valueAndGrad of an int32 argument', DTypeError, ['valueAndGrad', 'int32'], ([x]) => T.valueAndGrad((v: T.Tensor) => T.sum(v))(x!), [i32([1, 2])]),
];

const argumentErrors: Case[] = [
  err('tensor with an unknown dtype name', ArgumentError, ['tensor', 'float64'], () => T.tensor([1], [1], anyArg('float64'))),
  err('zeros with an unknown dtype name', ArgumentError, ['zeros', 'float16'], () => T.zeros([2], anyArg('float16'))),
  err('full with an unknown dtype name', ArgumentError, ['full', 'complex64'], () => T.full([2], 1, anyArg('complex64'))),
  err('cast to an unknown dtype name', ArgumentError, ['cast', 'float64'], ([x]) => T.cast(x!, anyArg('float64')), [X2]),
  err('oneHot with an unknown dtype name', ArgumentError, ['oneHot', 'int64'], ([i]) => T.oneHot(i!, 2, { dtype: anyArg('int64') }), [i32([0])]),
  err('eye with an unknown dtype name', ArgumentError, ['eye', 'double'], () => T.eye(2, 2, anyArg('double'))),
  err('dropout rate 2', ArgumentError, ['dropout', 'rate', '2'], ([x]) => T.dropout(x!, 2), [X2]),
  err('dropout rate -0.1', ArgumentError, ['dropout', 'rate', '-0.1'], ([x]) => T.dropout(x!, -0.1), [X2]),
  err('dropout rate NaN', ArgumentError, ['dropout', 'rate', 'NaN'], ([x]) => T.dropout(x!, NaN), [X2]),
  err('conv2d stride 0', ArgumentError, ['conv2d', 'stride', '0'], ([x, w]) => T.conv2d(x!, w!, { stride: 0 }), [NCHW, zerosSpec([1, 3, 3, 3])]),
  err('conv2d fractional dilation', ArgumentError, ['conv2d', 'dilation', '1.5'], ([x, w]) => T.conv2d(x!, w!, { dilation: 1.5 }), [NCHW, zerosSpec([1, 3, 3, 3])]),
  err('conv2d negative padding', ArgumentError, ['conv2d', 'padding', '-1'], ([x, w]) => T.conv2d(x!, w!, { padding: -1 }), [NCHW, zerosSpec([1, 3, 3, 3])]),
  err('conv2d unknown padding mode', ArgumentError, ['conv2d', 'padding', 'full'], ([x, w]) => T.conv2d(x!, w!, { padding: anyArg('full') }), [NCHW, zerosSpec([1, 3, 3, 3])]),
  err('conv2d groups 0', ArgumentError, ['conv2d', 'groups', '0'], ([x, w]) => T.conv2d(x!, w!, { groups: 0 }), [NCHW, zerosSpec([1, 3, 3, 3])]),
  err('maxPool2d kernelSize 0', ArgumentError, ['maxPool2d', 'kernelSize', '0'], ([x]) => T.maxPool2d(x!, { kernelSize: 0 }), [NCHW]),
  err('avgPool2d negative padding', ArgumentError, ['avgPool2d', 'padding', '-1'], ([x]) => T.avgPool2d(x!, { kernelSize: 2, padding: -1 }), [NCHW]),
  err('slice with step 0', ArgumentError, ['slice', 'step', '0'], ([x]) => T.slice(x!, 0, 2, 0), [X2]),
  err('slice with a fractional bound', ArgumentError, ['slice', '0.5'], ([x]) => T.slice(x!, 0.5), [X2]),
  err('oneHot with depth -1', ArgumentError, ['oneHot', 'depth', '-1'], ([i]) => T.oneHot(i!, -1), [i32([0])]),
  err('arange with step 0', ArgumentError, ['arange', 'step'], () => T.arange(0, 5, 0)),
  err('arange with a NaN bound', ArgumentError, ['arange', 'NaN'], () => T.arange(0, NaN)),
  err('eye with a negative size', ArgumentError, ['eye', '-1'], () => T.eye(-1)),
  err('eye with a fractional size', ArgumentError, ['eye', '1.5'], () => T.eye(1.5)),
  err('manualSeed with a negative seed', ArgumentError, ['manualSeed', '-1'], () => T.manualSeed(-1)),
  err('rand with a fractional seed', ArgumentError, ['rand', 'seed', '1.5'], () => T.rand([2], { seed: 1.5 })),
  err('clip with a non-number bound', ArgumentError, ['clip', 'min'], ([x]) => T.clip(x!, anyArg('0')), [X2]),
  err('add with a string operand', ArgumentError, ['add', "'b'"], ([x]) => T.add(x!, anyArg('1')), [X2]),
  err('matmul with a non-tensor operand', ArgumentError, ['matmul', "'b'"], ([x]) => T.matmul(x!, anyArg([1, 2])), [X2]),
  err("gelu with approximate 'foo'", ArgumentError, ['gelu', 'foo'], ([x]) => T.gelu(x!, { approximate: anyArg('foo') }), [X2]),
  err('concat of an empty list', ArgumentError, ['concat'], () => T.concat([])),
  err('valueAndGrad of a function that returns no tensor', ArgumentError, ['valueAndGrad', 'Tensor'], ([x]) => T.valueAndGrad((_v: T.Tensor) => anyArg(3))(x!), [X2]),
  err('tidy of an async function', ArgumentError, ['tidy', 'Promise'], () => T.tidy(anyArg(async () => 1))),
];

const disposedErrors: Case[] = [
  err('add of a disposed tensor names add', DisposedError, ['add', 'disposed', '[2]'], ([x]) => T.add(x!, 1), [X2], [0]),
  err('exp of a disposed tensor names exp', DisposedError, ['exp', 'disposed'], ([x]) => T.exp(x!), [X2], [0]),
  err('method form of a disposed tensor names the op', DisposedError, ['mul', 'disposed'], ([x]) => x!.mul(2), [X2], [0]),
  err('matmul of a disposed operand names matmul and the argument', DisposedError, ['matmul', "'b'"], ([a, b]) => T.matmul(a!, b!), [zerosSpec([2, 2]), zerosSpec([2, 2])], [1]),
  err('conv2d of a disposed bias', DisposedError, ['conv2d', 'bias'], ([x, w, b]) => T.conv2d(x!, w!, { bias: b! }), [NCHW, zerosSpec([2, 3, 3, 3]), zerosSpec([2])], [2]),
  err('maxPool2d of a disposed tensor', DisposedError, ['maxPool2d', 'disposed'], ([x]) => T.maxPool2d(x!, { kernelSize: 2 }), [NCHW], [0]),
  err('reshape of a disposed tensor', DisposedError, ['reshape', 'disposed'], ([x]) => T.reshape(x!, [2]), [X2], [0]),
  err('sum of a disposed tensor', DisposedError, ['sum', 'disposed'], ([x]) => T.sum(x!), [X2], [0]),
  err('softmax of a disposed tensor', DisposedError, ['softmax', 'disposed'], ([x]) => T.softmax(x!), [X2], [0]),
  err('concat with a disposed element names its index', DisposedError, ['concat', 'xs[1]'], ([a, b]) => T.concat([a!, b!]), [X2, X2], [1]),
  err('where with a disposed cond', DisposedError, ['where', 'cond'], ([c, a]) => T.where(c!, a!, a!), [bool([1, 0]), X2], [0]),
  err('gather with disposed indices', DisposedError, ['gather', 'indices'], ([x, i]) => T.gather(x!, i!), [X2, i32([0])], [1]),
  err('cast of a disposed tensor', DisposedError, ['cast', 'disposed'], ([x]) => T.cast(x!, 'int32'), [X2], [0]),
  err('variable of a disposed tensor', DisposedError, ['variable', 'disposed'], ([x]) => T.variable(x!), [X2], [0]),
  err('valueAndGrad of a disposed argument', DisposedError, ['valueAndGrad', 'disposed'], ([x]) => T.valueAndGrad((v: T.Tensor) => T.sum(v))(x!), [X2], [0]),
  err('data() of a disposed tensor names data', DisposedError, ['data', 'disposed'], ([x]) => x!.data(), [X2], [0]),
  err('dataSync() of a disposed tensor names dataSync', DisposedError, ['dataSync', 'disposed'], ([x]) => x!.dataSync(), [X2], [0]),
  err('array() of a disposed tensor', DisposedError, ['disposed'], ([x]) => x!.array(), [X2], [0]),
  err('toBackend of a disposed tensor', DisposedError, ['toBackend', 'disposed'], ([x]) => T.toBackend(x!), [X2], [0]),
  err('a tensor freed by tidy is disposed afterwards', DisposedError, ['neg', 'disposed'], () => {
    let inner: T.Tensor | undefined;
    T.tidy(() => { inner = T.tensor([1]); });
    return T.neg(inner!);
  }),
];

const backendErrors: Case[] = [
  err("setBackend('nope') names setBackend and the name", BackendError, ['setBackend', 'nope'], () => T.setBackend('nope')),
  err("toBackend(t, 'nope') names toBackend and the name", BackendError, ['toBackend', 'nope'], ([x]) => T.toBackend(x!, 'nope'), [X2]),
];

// Pooling: padding at most half the effective kernel dilation * (kernelSize - 1) + 1 (torch's
// rule) is a ShapeError; an option outside the op's types is an ArgumentError, never reinterpreted.
const X44 = zerosSpec([1, 1, 4, 4]);
const poolErrors: Case[] = [
  err('maxPool2d padding 2 with kernel 3 (more than half the kernel)', ShapeError, ['maxPool2d', 'padding [2,2,2,2]', 'kernelSize [3,3]'], ([x]) => T.maxPool2d(x!, { kernelSize: 3, stride: 1, padding: 2 }), [zerosSpec([1, 1, 2, 2])]),
  err('avgPool2d padding 2 with kernel 2', ShapeError, ['avgPool2d', 'padding [2,2,2,2]', 'kernelSize [2,2]'], ([x]) => T.avgPool2d(x!, { kernelSize: 2, stride: 1, padding: 2 }), [zerosSpec([1, 1, 1, 1])]),
  err('minPool2d bottom padding 2 with kernel 2', ShapeError, ['minPool2d', 'padding [0,2,0,0]', 'kernelSize [2,2]'], ([x]) => T.minPool2d(x!, { kernelSize: 2, padding: [0, 2, 0, 0] }), [X44]),
  err('maxPool2d padding [0, 2] with a [2, 1] kernel', ShapeError, ['maxPool2d', 'padding [0,0,2,2]', 'kernelSize [2,1]'], ([x]) => T.maxPool2d(x!, { kernelSize: [2, 1], padding: [0, 2] }), [X44]),
  err('maxPool2d padding 3 with kernel 2 dilated by 3 (effective kernel 4)', ShapeError, ['maxPool2d', 'padding [3,3,3,3]', 'kernelSize [2,2]', 'dilation [3,3]', 'effective kernel [4,4]'], ([x]) => T.maxPool2d(x!, { kernelSize: 2, dilation: 3, padding: 3 }), [X44]),
  err("maxPool2d padding 'SAME' (only 'same')", ArgumentError, ['maxPool2d', 'padding', "'SAME'"], ([x]) => T.maxPool2d(x!, { kernelSize: 2, padding: anyArg('SAME') }), [X44]),
  err("avgPool2d padding 'foo'", ArgumentError, ['avgPool2d', 'padding', "'foo'"], ([x]) => T.avgPool2d(x!, { kernelSize: 2, padding: anyArg('foo') }), [X44]),
  err('minPool2d padding 1.5', ArgumentError, ['minPool2d', 'padding', '1.5'], ([x]) => T.minPool2d(x!, { kernelSize: 2, padding: 1.5 }), [X44]),
  err('maxPool2d padding null', ArgumentError, ['maxPool2d', 'padding', 'null'], ([x]) => T.maxPool2d(x!, { kernelSize: 2, padding: anyArg(null) }), [X44]),
  err('maxPool2d padding of 3 numbers', ArgumentError, ['maxPool2d', 'padding', '[1,1,1]'], ([x]) => T.maxPool2d(x!, { kernelSize: 2, padding: anyArg([1, 1, 1]) }), [X44]),
  err('maxPool2d stride 0', ArgumentError, ['maxPool2d', 'stride', '0'], ([x]) => T.maxPool2d(x!, { kernelSize: 2, stride: 0 }), [X44]),
  err('avgPool2d stride 1.5', ArgumentError, ['avgPool2d', 'stride', '1.5'], ([x]) => T.avgPool2d(x!, { kernelSize: 2, stride: 1.5 }), [X44]),
  err('minPool2d stride null', ArgumentError, ['minPool2d', 'stride', 'null'], ([x]) => T.minPool2d(x!, { kernelSize: 2, stride: anyArg(null) }), [X44]),
  err("maxPool2d kernelSize '2'", ArgumentError, ['maxPool2d', 'kernelSize', "'2'"], ([x]) => T.maxPool2d(x!, { kernelSize: anyArg('2') }), [X44]),
  err('maxPool2d without options', ArgumentError, ['maxPool2d', 'options', 'kernelSize'], ([x]) => T.maxPool2d(x!, anyArg(undefined)), [X44]),
  err('maxPool2d dilation 0', ArgumentError, ['maxPool2d', 'dilation', '0'], ([x]) => T.maxPool2d(x!, { kernelSize: 2, dilation: 0 }), [X44]),
  err("maxPool2d ceilMode 'yes'", ArgumentError, ['maxPool2d', 'ceilMode', "'yes'"], ([x]) => T.maxPool2d(x!, { kernelSize: 2, ceilMode: anyArg('yes') }), [X44]),
  err('avgPool2d ceilMode 1', ArgumentError, ['avgPool2d', 'ceilMode', '1'], ([x]) => T.avgPool2d(x!, { kernelSize: 2, ceilMode: anyArg(1) }), [X44]),
  err("avgPool2d countIncludePad 'false'", ArgumentError, ['avgPool2d', 'countIncludePad', "'false'"], ([x]) => T.avgPool2d(x!, { kernelSize: 2, countIncludePad: anyArg('false') }), [X44]),
  err("minPool2d returnIndices 'yes'", ArgumentError, ['minPool2d', 'returnIndices', "'yes'"], ([x]) => T.minPool2d(x!, { kernelSize: 2, returnIndices: anyArg('yes') }), [X44]),
  err('avgPool2d with dilation (not an avgPool2d option)', ArgumentError, ['avgPool2d', 'dilation'], ([x]) => T.avgPool2d(x!, anyArg({ kernelSize: 2, dilation: 2 })), [X44]),
  err('maxPool2d with countIncludePad (an avgPool2d option)', ArgumentError, ['maxPool2d', 'countIncludePad'], ([x]) => T.maxPool2d(x!, anyArg({ kernelSize: 2, countIncludePad: false })), [X44]),
  err('maxPool2d with a misspelt option', ArgumentError, ['maxPool2d', 'kernel_size'], ([x]) => T.maxPool2d(x!, anyArg({ kernelSize: 2, kernel_size: 3 })), [X44]),
];

// Option values outside an op's types throw; none is read as truthy or turned into NaN.
const optionErrors: Case[] = [
  err("sum with keepDims 'yes'", ArgumentError, ['sum', 'keepDims', "'yes'"], ([x]) => T.sum(x!, 1, anyArg('yes')), [X23]),
  err('argmax with keepDims 1', ArgumentError, ['argmax', 'keepDims'], ([x]) => T.argmax(x!, 1, anyArg(1)), [X23]),
  err("variance with correction 'a'", ArgumentError, ['variance', 'correction'], ([x]) => T.variance(x!, 1, false, { correction: anyArg('a') }), [X23]),
  err("matmul with transposeA 'yes'", ArgumentError, ['matmul', 'transposeA'], ([a]) => T.matmul(a!, a!, { transposeA: anyArg('yes') }), [X23]),
  err('fusedMatMul with transposeB 0', ArgumentError, ['fusedMatMul', 'transposeB'], ([a]) => T.fusedMatMul(a!, a!, { transposeB: anyArg(0) }), [X23]),
  err("dropout with training 'no'", ArgumentError, ['dropout', 'training'], ([x]) => T.dropout(x!, 0.5, { training: anyArg('no') }), [X23]),
  err("leakyRelu with alpha 'a'", ArgumentError, ['leakyRelu', 'alpha'], ([x]) => T.leakyRelu(x!, anyArg('a')), [X23]),
  err('elu with alpha NaN', ArgumentError, ['elu', 'alpha', 'NaN'], ([x]) => T.elu(x!, NaN), [X23]),
  err("oneHot with on 'x'", ArgumentError, ['oneHot', 'on'], ([i]) => T.oneHot(i!, 3, { on: anyArg('x') }), [i32([1])]),
  err("randn with std 'a'", ArgumentError, ['randn', 'std'], () => T.randn([2], { std: anyArg('a') })),
];

export const errors: Case[] = [...shapeErrors, ...dtypeErrors, ...argumentErrors, ...disposedErrors, ...backendErrors, ...poolErrors, ...optionErrors];
