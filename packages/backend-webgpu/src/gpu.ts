// Finds a WebGPU implementation at run time: the browser's `navigator.gpu`, or in Node the
// `webgpu` package (Dawn), loaded only there so that bundles for browsers never see it.
import { BackendError } from '@tensile/core';

/** What the backend needs to start: an adapter's device and a description of the adapter. */
export interface GpuHandle {
  device: GPUDevice;
  adapter: GPUAdapter;
  /** Where the GPU came from: 'navigator.gpu' or 'webgpu (Dawn)'. */
  source: string;
}

/** Options of `requestGpu`. */
export interface GpuOptions {
  powerPreference?: GPUPowerPreference;
  /** A GPU to use instead of the platform's (e.g. one the application already holds). */
  gpu?: GPU;
}

// The specifier sits in a variable so that bundlers (Vite) leave the Node-only import alone.
const NODE_WEBGPU = 'webgpu';
/**
 * Dawn's instance, created once per process and held here: if it were garbage-collected while
 * its devices live, Dawn's event processing would touch freed memory and abort the process.
 */
let nodeGpu: GPU | undefined;

async function platformGpu(): Promise<{ gpu: GPU; source: string }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, source: 'navigator.gpu' };
  const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
  if (!isNode) throw new BackendError('webgpu: this environment has no navigator.gpu (WebGPU is not available)');
  if (nodeGpu) return { gpu: nodeGpu, source: 'webgpu (Dawn)' };
  const mod = (await import(/* @vite-ignore */ NODE_WEBGPU)) as {
    create: (flags: string[]) => GPU;
    globals: Record<string, unknown>;
  };
  // The kernels use GPUBufferUsage, GPUMapMode and friends as globals, as in a browser.
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  nodeGpu ??= mod.create([]);
  return { gpu: nodeGpu, source: 'webgpu (Dawn)' };
}

/**
 * Requests an adapter and a device with the adapter's largest storage limits.
 * @example const { device } = await requestGpu();
 */
export async function requestGpu(opts: GpuOptions = {}): Promise<GpuHandle> {
  const { gpu, source } = opts.gpu ? { gpu: opts.gpu, source: 'given GPU' } : await platformGpu();
  const adapter = await gpu.requestAdapter(opts.powerPreference ? { powerPreference: opts.powerPreference } : {});
  if (!adapter) {
    throw new BackendError(`webgpu: ${source} offers no adapter (no GPU; on Linux without one, set VK_ICD_FILENAMES to SwiftShader's ICD)`);
  }
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupSizeY: l.maxComputeWorkgroupSizeY,
    },
  });
  return { device, adapter, source };
}
