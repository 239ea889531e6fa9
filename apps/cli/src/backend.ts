// Picks the compute backend: the one asked for, or the highest-priority registered one that
// starts: 'wasm' (Rust SIMD kernels, priority 2) where WebAssembly SIMD loads, else 'js'.
import '@tensile/backend-js/register';
import '@tensile/backend-wasm/register';
// WebGPU (Dawn in Node; SwiftShader where there is no GPU) registers below backend-js's priority.
import '@tensile/backend-webgpu/register';
import { listBackends, setBackend } from '@tensile/core';
import { CliError, UsageError } from './args.js';

/**
 * Activates `name`, or else the first registered backend (highest priority first) that
 * initialises; returns the name chosen. An unknown name is a UsageError and one that fails to
 * start a CliError, each one line naming the other backends.
 */
export async function useBestBackend(name?: string): Promise<string> {
  const registered = listBackends();
  if (name !== undefined) {
    const others = registered.filter((b) => b !== name).join(', ') || 'none';
    if (!registered.includes(name)) throw new UsageError(`unknown backend '${name}' (available: ${others})`);
    try {
      await setBackend(name);
      return name;
    } catch (err) {
      throw new CliError(`backend '${name}' is unavailable: ${firstLine(err)} (available: ${others})`);
    }
  }
  const failures: string[] = [];
  for (const candidate of registered) {
    try {
      await setBackend(candidate);
      return candidate;
    } catch (err) {
      failures.push(`${candidate}: ${firstLine(err)}`);
    }
  }
  throw new CliError(`no usable backend (${failures.join('; ') || 'none registered'})`);
}

/** The first line of the root cause (core wraps a factory's error as a BackendError with a cause). */
function firstLine(err: unknown): string {
  const root = err instanceof Error && err.cause !== undefined ? err.cause : err;
  return (root instanceof Error ? root.message : String(root)).split('\n')[0]!;
}
