// Shape ops: reshape, flatten, squeeze, expandDims, transpose, slice, concat, stack, pad,
// tile, broadcastTo. Values are hand-derived (written beside each case).
import * as T from '@tensile/core';
import { FD } from '../tol.js';
import type { Case } from '../types.js';
import { bool, f32, i32 } from '../util.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const R6 = f32(range(6), [6]);
const R10 = f32(range(10), [10]);
// [[0,1,2,3],[4,5,6,7],[8,9,10,11]]
const R34 = f32(range(12), [3, 4]);
const M23 = f32([1, 2, 3, 4, 5, 6], [2, 3]);
const G23 = f32([0.3, -1.2, 0.8, 1.5, -0.4, 0.9], [2, 3]);
const fd = { tol: FD };

export const shape: Case[] = [
  // x = [[1,2],[3,4]] as [1,1,2,2]: joined with itself on axis 1, stacked on a new axis 0;
  // the one 2x2 window has max 4, mean 2.5, min 1
  {
    name: 'method forms: concat, stack, maxPool2d, avgPool2d, minPool2d', composite: true,
    inputs: [f32([1, 2, 3, 4], [1, 1, 2, 2])],
    run: ([x]) => [x!.concat([x!], 1), x!.stack([x!]), x!.maxPool2d({ kernelSize: 2 }), x!.avgPool2d({ kernelSize: 2 }), x!.minPool2d({ kernelSize: 2 })],
    expected: [f32([1, 2, 3, 4, 1, 2, 3, 4], [1, 2, 2, 2]), f32([1, 2, 3, 4, 1, 2, 3, 4], [2, 1, 1, 2, 2]), f32([4], [1, 1, 1, 1]), f32([2.5], [1, 1, 1, 1]), f32([1], [1, 1, 1, 1])],
  },
  // reshape: metadata only, row-major order kept
  { name: 'reshape [6] -> [2,3]', inputs: [R6], run: ([x]) => T.reshape(x!, [2, 3]), expected: f32(range(6), [2, 3]) },
  { name: 'reshape infers one -1 dim', inputs: [R6], run: ([x]) => T.reshape(x!, [3, -1]), expected: f32(range(6), [3, 2]) },
  { name: 'reshape [1] -> rank-0 and rank-0 -> [1,1]', inputs: [f32([7], [1]), f32([8], [])], run: ([x, y]) => [T.reshape(x!, []), T.reshape(y!, [1, 1])], expected: [f32([7], []), f32([8], [1, 1])] },
  { name: 'reshape size-0 [0,3] -> [3,0]', inputs: [f32([], [0, 3])], run: ([x]) => T.reshape(x!, [3, 0]), expected: f32([], [3, 0]) },
  { name: 'reshape keeps int32 and bool', inputs: [i32([1, 2, 3, 4]), bool([1, 0, 0, 1])], run: ([x, y]) => [T.reshape(x!, [2, 2]), T.reshape(y!, [2, 2])], expected: [i32([1, 2, 3, 4], [2, 2]), bool([1, 0, 0, 1], [2, 2])] },
  { name: 'reshape method form', inputs: [R6], run: ([x]) => x!.reshape([2, -1]), expected: f32(range(6), [2, 3]) },
  { name: 'reshape gradient', inputs: [G23], run: ([x]) => T.reshape(x!, [3, 2]), grad: fd },
  // flatten(x, startDim = 0, endDim = -1), as torch.flatten
  { name: 'flatten everything', inputs: [f32(range(24), [2, 3, 4])], run: ([x]) => T.flatten(x!), expected: f32(range(24), [24]) },
  { name: 'flatten from startDim 1', inputs: [f32(range(24), [2, 3, 4])], run: ([x]) => T.flatten(x!, 1), expected: f32(range(24), [2, 12]) },
  { name: 'flatten dims 0..1', inputs: [f32(range(24), [2, 3, 4])], run: ([x]) => T.flatten(x!, 0, 1), expected: f32(range(24), [6, 4]) },
  { name: 'flatten negative dims -2..-1', inputs: [f32(range(24), [2, 3, 4])], run: ([x]) => T.flatten(x!, -2, -1), expected: f32(range(24), [2, 12]) },
  { name: 'flatten a single dim is a no-op', inputs: [f32(range(6), [2, 3])], run: ([x]) => T.flatten(x!, 1, 1), expected: f32(range(6), [2, 3]) },
  { name: 'flatten rank-0 gives [1]', inputs: [f32([5], [])], run: ([x]) => T.flatten(x!), expected: f32([5], [1]) },
  { name: 'flatten gradient', inputs: [f32([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, 0.8], [2, 2, 2])], run: ([x]) => T.flatten(x!, 1), grad: fd },
  { name: 'flatten size-0', inputs: [f32([], [2, 0, 3])], run: ([x]) => T.flatten(x!, 1), expected: f32([], [2, 0]) },
  // squeeze / expandDims
  { name: 'squeeze all size-1 dims', inputs: [f32([1, 2, 3], [1, 3, 1])], run: ([x]) => T.squeeze(x!), expected: f32([1, 2, 3], [3]) },
  { name: 'squeeze one axis', inputs: [f32([1, 2, 3], [1, 3, 1])], run: ([x]) => T.squeeze(x!, 0), expected: f32([1, 2, 3], [3, 1]) },
  { name: 'squeeze a negative axis', inputs: [f32([1, 2, 3], [1, 3, 1])], run: ([x]) => T.squeeze(x!, -1), expected: f32([1, 2, 3], [1, 3]) },
  { name: 'squeeze a list of axes', inputs: [f32([1, 2, 3], [1, 3, 1])], run: ([x]) => T.squeeze(x!, [0, 2]), expected: f32([1, 2, 3], [3]) },
  { name: 'squeeze with nothing to squeeze', inputs: [f32([1, 2], [2])], run: ([x]) => T.squeeze(x!), expected: f32([1, 2], [2]) },
  { name: 'squeeze [1,1] to rank-0', inputs: [f32([4], [1, 1])], run: ([x]) => T.squeeze(x!), expected: f32([4], []) },
  { name: 'squeeze of a rank-0 tensor is a no-op (as torch)', inputs: [f32([4], [])], run: ([x]) => T.squeeze(x!, 0), expected: f32([4], []) },
  { name: 'squeeze keeps size-0 dims', inputs: [f32([], [1, 0])], run: ([x]) => T.squeeze(x!), expected: f32([], [0]) },
  { name: 'expandDims at 0, 1, -1', inputs: [f32([1, 2, 3])], run: ([x]) => [T.expandDims(x!, 0), T.expandDims(x!, 1), T.expandDims(x!, -1)], expected: [f32([1, 2, 3], [1, 3]), f32([1, 2, 3], [3, 1]), f32([1, 2, 3], [3, 1])] },
  { name: 'expandDims gradient', inputs: [f32([0.5, -1, 2])], run: ([x]) => T.expandDims(x!, 1), grad: fd },
  { name: 'expandDims of rank-0', inputs: [f32([5], [])], run: ([x]) => T.expandDims(x!), expected: f32([5], [1]) },
  { name: 'squeeze gradient', inputs: [f32([0.5, -1, 2], [1, 3, 1])], run: ([x]) => T.squeeze(x!), grad: fd },
  // transpose: out.shape[i] = x.shape[perm[i]]
  { name: 'transpose reverses dims by default', inputs: [M23], run: ([x]) => T.transpose(x!), expected: f32([1, 4, 2, 5, 3, 6], [3, 2]) },
  // out[k][i][j] = x[i][j][k] = 12 i + 4 j + k
  { name: 'transpose [2,3,4] by [2,0,1]', inputs: [f32(range(24), [2, 3, 4])], run: ([x]) => T.transpose(x!, [2, 0, 1]), expected: f32([0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23], [4, 2, 3]) },
  { name: 'transpose with negative perm entries', inputs: [f32(range(24), [2, 3, 4])], run: ([x]) => T.transpose(x!, [-1, 0, 1]), expected: f32([0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23], [4, 2, 3]) },
  // NCHW -> NHWC: x[0][c][h][w] = 4c + 2h + w, read in (h, w, c) order
  { name: 'transpose NCHW -> NHWC', inputs: [f32(range(8), [1, 2, 2, 2])], run: ([x]) => T.transpose(x!, [0, 2, 3, 1]), expected: f32([0, 4, 1, 5, 2, 6, 3, 7], [1, 2, 2, 2]) },
  { name: 'transpose int32 and bool', inputs: [i32([1, 2, 3, 4, 5, 6], [2, 3]), bool([1, 0, 0, 1, 1, 0], [3, 2])], run: ([x, y]) => [T.transpose(x!), T.transpose(y!)], expected: [i32([1, 4, 2, 5, 3, 6], [3, 2]), bool([1, 0, 1, 0, 1, 0], [2, 3])] },
  { name: 'transpose rank-0 and size-0', inputs: [f32([3], []), f32([], [0, 2])], run: ([x, y]) => [T.transpose(x!), T.transpose(y!)], expected: [f32([3], []), f32([], [2, 0])] },
  { name: 'transpose method form', inputs: [M23], run: ([x]) => x!.transpose([1, 0]), expected: f32([1, 4, 2, 5, 3, 6], [3, 2]) },
  { name: 'transpose gradient', inputs: [f32([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2], [2, 3, 2])], run: ([x]) => T.transpose(x!, [1, 2, 0]), grad: fd },
  // slice: Python semantics per leading axis
  { name: 'slice with negative end and a step', inputs: [R10], run: ([x]) => T.slice(x!, 2, -2, 3), expected: f32([2, 5]) },
  { name: 'slice with a negative begin', inputs: [R10], run: ([x]) => T.slice(x!, -3), expected: f32([7, 8, 9]) },
  { name: 'slice with null begin', inputs: [R10], run: ([x]) => T.slice(x!, null, 4), expected: f32([0, 1, 2, 3]) },
  { name: 'slice bounds clamp like Python', inputs: [R10], run: ([x]) => [T.slice(x!, 5, 100), T.slice(x!, -100, 2)], expected: [f32([5, 6, 7, 8, 9]), f32([0, 1])] },
  { name: 'slice with begin past end is empty', inputs: [R10], run: ([x]) => T.slice(x!, 7, 3), expected: f32([], [0]) },
  // rows 1.., cols 1..2 of [[0,1,2,3],[4,5,6,7],[8,9,10,11]]
  { name: 'slice two axes', inputs: [R34], run: ([x]) => T.slice(x!, [1, 1], [null, 3]), expected: f32([5, 6, 9, 10], [2, 2]) },
  { name: 'slice only the leading axis', inputs: [R34], run: ([x]) => T.slice(x!, 1), expected: f32([4, 5, 6, 7, 8, 9, 10, 11], [2, 4]) },
  { name: 'slice with steps on both axes', inputs: [R34], run: ([x]) => T.slice(x!, [0, 0], [null, null], [2, 2]), expected: f32([0, 2, 8, 10], [2, 2]) },
  { name: 'slice int32', inputs: [i32([1, 2, 3, 4])], run: ([x]) => T.slice(x!, 1, 3), expected: i32([2, 3]) },
  { name: 'slice rank-0 and size-0', inputs: [f32([3], []), f32([], [0, 2])], run: ([x, y]) => [T.slice(x!), T.slice(y!, [0, 1])], expected: [f32([3], []), f32([], [0, 1])] },
  { name: 'slice method form', inputs: [R10], run: ([x]) => x!.slice(8), expected: f32([8, 9]) },
  { name: 'slice gradient (step 1)', inputs: [G23], run: ([x]) => T.slice(x!, [0, 1], [2, 3]), grad: fd },
  { name: 'slice gradient (steps 2)', inputs: [f32([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, 0.8, -0.9, 1, 1.1, -1.2], [3, 4])], run: ([x]) => T.slice(x!, [0, 1], [null, null], [2, 2]), grad: fd },
  // concat / stack
  { name: 'concat along axis 0', inputs: [f32([1, 2], [1, 2]), f32([3, 4, 5, 6], [2, 2])], run: ([a, b]) => T.concat([a!, b!]), expected: f32([1, 2, 3, 4, 5, 6], [3, 2]) },
  { name: 'concat along axis 1', inputs: [f32([1, 2], [2, 1]), f32([3, 4, 5, 6], [2, 2])], run: ([a, b]) => T.concat([a!, b!], 1), expected: f32([1, 3, 4, 2, 5, 6], [2, 3]) },
  { name: 'concat along axis -1 of three', inputs: [f32([1], [1, 1]), f32([2, 3], [1, 2]), f32([4], [1, 1])], run: ([a, b, c]) => T.concat([a!, b!, c!], -1), expected: f32([1, 2, 3, 4], [1, 4]) },
  { name: 'concat promotes int32 and float32', inputs: [i32([1, 2]), f32([0.5])], run: ([a, b]) => T.concat([a!, b!]), expected: f32([1, 2, 0.5]) },
  { name: 'concat with a size-0 input', inputs: [f32([], [0, 2]), f32([1, 2], [1, 2])], run: ([a, b]) => T.concat([a!, b!]), expected: f32([1, 2], [1, 2]) },
  { name: 'concat of one tensor copies', inputs: [f32([1, 2])], run: ([a]) => T.concat([a!]), expected: f32([1, 2]) },
  { name: 'concat bool', inputs: [bool([1]), bool([0, 1])], run: ([a, b]) => T.concat([a!, b!]), expected: bool([1, 0, 1]) },
  { name: 'concat gradient', inputs: [f32([0.5, -1, 2, 0.1], [2, 2]), f32([0.3, 0.7], [2, 1])], run: ([a, b]) => T.concat([a!, b!], 1), grad: fd },
  { name: 'stack along axis 0', inputs: [f32([1, 2]), f32([3, 4])], run: ([a, b]) => T.stack([a!, b!]), expected: f32([1, 2, 3, 4], [2, 2]) },
  { name: 'stack along axis 1', inputs: [f32([1, 2]), f32([3, 4])], run: ([a, b]) => T.stack([a!, b!], 1), expected: f32([1, 3, 2, 4], [2, 2]) },
  { name: 'stack along axis -1 equals axis 1 for 1-D', inputs: [f32([1, 2]), f32([3, 4])], run: ([a, b]) => T.stack([a!, b!], -1), expected: f32([1, 3, 2, 4], [2, 2]) },
  { name: 'stack rank-0 tensors', inputs: [f32([1], []), f32([2], []), f32([3], [])], run: ([a, b, c]) => T.stack([a!, b!, c!]), expected: f32([1, 2, 3]) },
  { name: 'stack gradient', inputs: [f32([0.5, -1, 2]), f32([0.3, 0.7, -0.2])], run: ([a, b]) => T.stack([a!, b!], 1), grad: fd },
  // pad(x, [[before, after], ...], value)
  { name: 'pad 1-D', inputs: [f32([1, 2])], run: ([x]) => T.pad(x!, [[1, 2]]), expected: f32([0, 1, 2, 0, 0]) },
  { name: 'pad with a value', inputs: [f32([1, 2])], run: ([x]) => T.pad(x!, [[1, 2]], 9), expected: f32([9, 1, 2, 9, 9]) },
  { name: 'pad 2-D', inputs: [f32([1, 2, 3, 4], [2, 2])], run: ([x]) => T.pad(x!, [[1, 0], [0, 1]]), expected: f32([0, 0, 0, 1, 2, 0, 3, 4, 0], [3, 3]) },
  { name: 'pad int32', inputs: [i32([5])], run: ([x]) => T.pad(x!, [[1, 1]], -1), expected: i32([-1, 5, -1]) },
  { name: 'pad a size-0 tensor', inputs: [f32([], [0])], run: ([x]) => T.pad(x!, [[2, 1]], 3), expected: f32([3, 3, 3]) },
  { name: 'pad rank-0 with no pairs', inputs: [f32([4], [])], run: ([x]) => T.pad(x!, []), expected: f32([4], []) },
  { name: 'pad method form', inputs: [f32([1])], run: ([x]) => x!.pad([[0, 1]]), expected: f32([1, 0]) },
  { name: 'pad gradient', inputs: [G23], run: ([x]) => T.pad(x!, [[1, 0], [2, 1]], 5), grad: fd },
  // tile (numpy rules)
  { name: 'tile 1-D', inputs: [f32([1, 2])], run: ([x]) => T.tile(x!, [2]), expected: f32([1, 2, 1, 2]) },
  { name: 'tile rows', inputs: [f32([1, 2, 3, 4], [2, 2])], run: ([x]) => T.tile(x!, [2, 1]), expected: f32([1, 2, 3, 4, 1, 2, 3, 4], [4, 2]) },
  { name: 'tile columns', inputs: [f32([1, 2, 3, 4], [2, 2])], run: ([x]) => T.tile(x!, [1, 2]), expected: f32([1, 2, 1, 2, 3, 4, 3, 4], [2, 4]) },
  { name: 'tile with fewer reps than dims pads reps with 1s', inputs: [f32([1, 2, 3, 4], [2, 2])], run: ([x]) => T.tile(x!, [2]), expected: f32([1, 2, 1, 2, 3, 4, 3, 4], [2, 4]) },
  { name: 'tile with more reps than dims prepends dims', inputs: [f32([1, 2])], run: ([x]) => T.tile(x!, [2, 1]), expected: f32([1, 2, 1, 2], [2, 2]) },
  { name: 'tile with 0 reps is empty', inputs: [f32([1, 2])], run: ([x]) => T.tile(x!, [0]), expected: f32([], [0]) },
  { name: 'tile int32', inputs: [i32([7])], run: ([x]) => T.tile(x!, [3]), expected: i32([7, 7, 7]) },
  { name: 'tile gradient sums the tiles', inputs: [f32([0.5, -1, 2, 0.25], [2, 2])], run: ([x]) => T.tile(x!, [2, 3]), grad: fd },
  // broadcastTo
  { name: 'broadcastTo [3] -> [2,3]', inputs: [f32([1, 2, 3])], run: ([x]) => T.broadcastTo(x!, [2, 3]), expected: f32([1, 2, 3, 1, 2, 3], [2, 3]) },
  { name: 'broadcastTo [2,1] -> [2,3]', inputs: [f32([1, 2], [2, 1])], run: ([x]) => T.broadcastTo(x!, [2, 3]), expected: f32([1, 1, 1, 2, 2, 2], [2, 3]) },
  { name: 'broadcastTo rank-0 -> [2,2]', inputs: [f32([5], [])], run: ([x]) => T.broadcastTo(x!, [2, 2]), expected: f32([5, 5, 5, 5], [2, 2]) },
  { name: 'broadcastTo the same shape', inputs: [f32([1, 2])], run: ([x]) => T.broadcastTo(x!, [2]), expected: f32([1, 2]) },
  { name: 'broadcastTo [3] -> [0,3]', inputs: [f32([1, 2, 3])], run: ([x]) => T.broadcastTo(x!, [0, 3]), expected: f32([], [0, 3]) },
  { name: 'broadcastTo int32 and bool', inputs: [i32([4]), bool([1])], run: ([x, y]) => [T.broadcastTo(x!, [2]), T.broadcastTo(y!, [2])], expected: [i32([4, 4]), bool([1, 1])] },
  { name: 'broadcastTo gradient', inputs: [f32([0.5, -1], [2, 1])], run: ([x]) => T.broadcastTo(x!, [3, 2, 4]), grad: fd },
];
