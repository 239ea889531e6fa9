// Every table of the suite, one per op family, in the order they run.
import type { Case } from '../types.js';
import { activations } from './activations.js';
import { autograd } from './autograd.js';
import { binary } from './binary.js';
import { compare } from './compare.js';
import { conv2d, convTranspose2d } from './conv.js';
import { creation } from './creation.js';
import { errors } from './errors.js';
import { fused } from './fused.js';
import { gather } from './gather.js';
import { graph } from './graph.js';
import { matmul } from './matmul.js';
import { memoryCases } from './memory.js';
import { normalization } from './normalization.js';
import { customGrad, randomStream } from './custom_grad.js';
import { split, takeAlongAxis } from './take_split.js';
import { pool } from './pool.js';
import { random } from './random.js';
import { argreduce, reduce } from './reduce.js';
import { edgeCases } from './edge_cases.js';
import { shape } from './shape.js';
import { softmax } from './softmax.js';
import { unary } from './unary.js';
import { whereCast } from './where_cast.js';

export const TABLES: readonly (readonly [family: string, cases: readonly Case[]])[] = [
  ['creation', creation],
  ['unary', unary],
  ['binary', binary],
  ['compare & logical', compare],
  ['where & cast', whereCast],
  ['reduce', reduce],
  ['argreduce', argreduce],
  ['softmax', softmax],
  ['matmul', matmul],
  ['fused kernels', fused],
  ['batchNorm & layerNorm (fused)', normalization],
  ['conv2d', conv2d],
  ['convTranspose2d', convTranspose2d],
  ['pool', pool],
  ['shape ops', shape],
  ['gather & oneHot', gather],
  ['takeAlongAxis', takeAlongAxis],
  ['split & unstack', split],
  ['clip & activations', activations],
  ['random & dropout', random],
  ['random stream (seed + offset)', randomStream],
  ['autograd API', autograd],
  ['customGrad', customGrad],
  ['gradient graph', graph],
  ['memory & backend switching', memoryCases],
  ['errors', errors],
  ['edge cases', edgeCases],
];
