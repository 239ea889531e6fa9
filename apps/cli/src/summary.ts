// `tensile summary <model>`: builds a zoo model and prints @tensile/models' summary table
// (output shapes, parameters, activation bytes, MACs, receptive field, totals and sizes).
import { TensileError } from '@tensile/core';
import type { AnyModule } from '@tensile/layers';
import {
  alexnet, googlenet, lenet5Classic, lenet5Modern, mlp, resnet18, resnet34, resnet50, summary, vgg11, vgg11Bn, vgg16, vgg16Bn,
} from '@tensile/models';
import { CliError, UsageError } from './args.js';
import { useBestBackend } from './backend.js';

/** How to build a model for an input [N, C, ...] and a class count, and its native input. */
interface ZooEntry {
  input: number[];
  classes: number;
  build(input: number[], numClasses: number): AnyModule;
}

// Vision models skip drawing random weights (their values do not change the table).
const vision = (make: (c: { numClasses: number; inChannels: number; skipInit: boolean }) => AnyModule): ZooEntry => ({
  input: [1, 3, 224, 224], classes: 1000, build: (input, numClasses) => make({ numClasses, inChannels: input[1]!, skipInit: true }),
});

/** The models `tensile summary` knows, with their native input shapes (batch 1) and class counts. */
export const SUMMARY_MODELS: Readonly<Record<string, ZooEntry>> = {
  lenet5: { input: [1, 1, 28, 28], classes: 10, build: (input, numClasses) => lenet5Classic({ numClasses, inChannels: input[1]! }) },
  'lenet5-modern': { input: [1, 1, 28, 28], classes: 10, build: (input, numClasses) => lenet5Modern({ numClasses, inChannels: input[1]! }) },
  mlp: { input: [1, 1, 28, 28], classes: 10, build: (input, numClasses) => mlp({ numClasses, inFeatures: input.slice(1).reduce((a, b) => a * b, 1) }) },
  alexnet: vision((c) => alexnet(c)),
  vgg11: vision((c) => vgg11(c)),
  'vgg11-bn': vision((c) => vgg11Bn(c)),
  vgg16: vision((c) => vgg16(c)),
  'vgg16-bn': vision((c) => vgg16Bn(c)),
  googlenet: vision((c) => googlenet(c)),
  resnet18: vision((c) => resnet18(c)),
  resnet34: vision((c) => resnet34(c)),
  resnet50: vision((c) => resnet50(c)),
};

/** Parses `--input 1,3,224,224` (batch first). */
export function parseInputShape(raw: string): number[] {
  const dims = raw.split(',').map((d) => d.trim());
  if (dims.length === 0 || !dims.every((d) => /^[1-9]\d*$/.test(d))) {
    throw new UsageError(`option --input must be positive integers separated by commas, batch first (e.g. 1,3,224,224), got '${raw}'`);
  }
  return dims.map(Number);
}

export interface SummaryFlags {
  model: string;
  input: string | undefined;
  classes: number | undefined;
  backend: string | undefined;
}

/** Builds the model, prints its summary table, frees it; resolves to the exit code. */
export async function summaryCommand(flags: SummaryFlags): Promise<number> {
  const entry = Object.hasOwn(SUMMARY_MODELS, flags.model) ? SUMMARY_MODELS[flags.model]! : undefined;
  if (entry === undefined) throw new UsageError(`unknown model '${flags.model}' (models: ${Object.keys(SUMMARY_MODELS).join(', ')})`);
  const input = flags.input === undefined ? entry.input : parseInputShape(flags.input);
  if (input.length < 2) throw new UsageError(`option --input needs a batch and a channel axis at least (e.g. ${entry.input.join(',')}), got '${flags.input}'`);
  const backend = await useBestBackend(flags.backend);
  let model: AnyModule | undefined;
  try {
    model = entry.build(input, flags.classes ?? entry.classes);
    summary(model, input, { print: (table) => console.log(`${flags.model}, input [${input.join(', ')}], on ${backend}\n${table}`) });
  } catch (err) {
    // A configuration or shape the model cannot take is the user's mistake: one line, no stack.
    if (err instanceof TensileError) throw new CliError(err.message);
    throw err;
  } finally {
    model?.dispose();
  }
  return 0;
}
