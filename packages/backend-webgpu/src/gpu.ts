/// <reference types="@webgpu/types" preserve="true" />
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
  /**
   * Node only: when Dawn finds no adapter and VK_ICD_FILENAMES is unset, retry once on this
   * Vulkan ICD (default: Debian chromium's SwiftShader, a CPU implementation); '' disables it.
   */
  fallbackIcd?: string;
}

/** Debian chromium's SwiftShader Vulkan ICD: WebGPU on the CPU where there is no GPU. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

// The specifier sits in a variable so that bundlers (Vite) leave the Node-only import alone.
const NODE_WEBGPU = 'webgpu';
const NODE_FS = 'node:fs';
/**
 * Dawn's instance, created once per process and held here: if it were garbage-collected while
 * its devices live, Dawn's event processing would touch freed memory and abort the process.
 */
let nodeGpu: GPU | undefined;

interface DawnModule {
  create: (flags: string[]) => GPU;
  globals: Record<string, unknown>;
}

async function platformGpu(): Promise<{ gpu: GPU; source: string; dawn?: DawnModule }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, source: 'navigator.gpu' };
  const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
  if (!isNode) throw new BackendError('webgpu: this environment has no navigator.gpu (WebGPU is not available)');
  const mod = (await import(/* @vite-ignore */ NODE_WEBGPU)) as DawnModule;
  if (nodeGpu) return { gpu: nodeGpu, source: 'webgpu (Dawn)', dawn: mod };
  // The kernels use GPUBufferUsage, GPUMapMode and friends as globals, as in a browser.
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  nodeGpu ??= mod.create([]);
  return { gpu: nodeGpu, source: 'webgpu (Dawn)', dawn: mod };
}

/** Node without a GPU: points the Vulkan loader at a CPU ICD and makes a fresh Dawn instance. */
async function fallbackGpu(dawn: DawnModule, icd: string): Promise<GPU | undefined> {
  if (icd === '' || process.env.VK_ICD_FILENAMES !== undefined) return undefined;
  const fs = (await import(/* @vite-ignore */ NODE_FS)) as { existsSync(p: string): boolean };
  if (!fs.existsSync(icd)) return undefined;
  process.env.VK_ICD_FILENAMES = icd;
  nodeGpu = dawn.create([]);
  return nodeGpu;
}

/**
 * The platform's GPU object: `navigator.gpu`, or in Node Dawn's (falling back to SwiftShader
 * when Dawn finds no adapter), e.g. to hand the same GPU to another library.
 * @example (globalThis as any).navigator = { gpu: await getGpu() };
 */
export async function getGpu(opts: Pick<GpuOptions, 'fallbackIcd'> = {}): Promise<GPU> {
  const { gpu, dawn } = await platformGpu();
  if (!dawn || (await gpu.requestAdapter())) return gpu;
  return (await fallbackGpu(dawn, opts.fallbackIcd ?? SWIFTSHADER_ICD)) ?? gpu;
}

/**
 * Requests an adapter and a device with the adapter's largest storage limits (and its
 * subgroups, where it has them).
 * @example const { device } = await requestGpu();
 */
export async function requestGpu(opts: GpuOptions = {}): Promise<GpuHandle> {
  const { gpu, source, dawn } = opts.gpu ? { gpu: opts.gpu, source: 'given GPU', dawn: undefined } : await platformGpu();
  const request = opts.powerPreference ? { powerPreference: opts.powerPreference } : {};
  let adapter = await gpu.requestAdapter(request);
  if (!adapter && dawn) adapter = (await (await fallbackGpu(dawn, opts.fallbackIcd ?? SWIFTSHADER_ICD))?.requestAdapter(request)) ?? null;
  if (!adapter) {
    throw new BackendError(`webgpu: ${source} offers no adapter (no GPU; on Linux without one, set VK_ICD_FILENAMES to SwiftShader's ICD)`);
  }
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    // Subgroups let CPU adapters share loads between SIMD lanes (backend.subgroups).
    requiredFeatures: adapter.features.has('subgroups') ? ['subgroups'] : [],
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
