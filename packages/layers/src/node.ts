/// <reference types="node" />
// @tensile/layers/node: safetensors files on disk (Node only; the main entry stays
// platform-neutral and works on bytes).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ArgumentError, type Tensor } from '@tensile/core';
import type { CheckpointInfo } from './checkpoint.js';
import type { AnyModule, LoadResult, LoadStateDictOptions } from './module.js';
import { loadSafetensors, loadWeights, saveSafetensors, saveWeights, type SaveSafetensorsOptions } from './safetensors.js';

/**
 * Writes `bytes` to `path`, creating its directory, through a temporary file renamed into
 * place, so a crash mid-write never leaves a truncated file where a good one was.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

/** Reads a safetensors file into tensors (see `loadSafetensors`). @example const sd = await readSafetensorsFile('model.safetensors'); */
export async function readSafetensorsFile(path: string): Promise<Record<string, Tensor>> {
  return loadSafetensors(await readFile(path));
}

/** Writes tensors as a safetensors file (see `saveSafetensors`). @example await writeSafetensorsFile('t.safetensors', { w }); */
export async function writeSafetensorsFile(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>, opts?: SaveSafetensorsOptions): Promise<void> {
  await writeFileAtomic(path, await saveSafetensors(tensors, metadata, opts));
}

/** Saves the model's state dict to a safetensors file (see `saveWeights`). @example await saveWeightsFile(model, 'lenet5.safetensors'); */
export async function saveWeightsFile(model: AnyModule, path: string, opts?: SaveSafetensorsOptions & { metadata?: Record<string, string> }): Promise<void> {
  await writeFileAtomic(path, await saveWeights(model, opts));
}

/** Loads a safetensors file into the model (see `loadWeights`). @example await loadWeightsFile(model, 'lenet5.safetensors'); */
export async function loadWeightsFile(model: AnyModule, path: string, opts?: LoadStateDictOptions): Promise<LoadResult> {
  return loadWeights(model, await readFile(path), opts);
}

/**
 * A `save` function for ModelCheckpoint that writes to `template`, where `{epoch}` and
 * `{<log name>}` (e.g. `{valLoss}`, 4 decimals) are replaced by the epoch's values.
 * @example new ModelCheckpoint({ save: saveToFile('ckpt/epoch{epoch}-{valAccuracy}.safetensors'), monitor: 'valAccuracy' })
 */
export function saveToFile(template: string): (bytes: Uint8Array, info: CheckpointInfo) => Promise<void> {
  if (typeof template !== 'string' || template === '') throw new ArgumentError(`saveToFile: the path must be a non-empty string, got ${String(template)}`);
  return async (bytes, { epoch, logs }) => {
    const path = template.replace(/\{(\w+)\}/g, (_, key: string) => {
      if (key === 'epoch') return String(epoch);
      const v = logs[key];
      if (typeof v !== 'number') throw new ArgumentError(`saveToFile: '{${key}}' in '${template}' is not in the epoch's logs (they have: ${Object.keys(logs).join(', ')})`);
      return v.toFixed(4);
    });
    await writeFileAtomic(path, bytes);
  };
}
