/// <reference types="@webgpu/types" preserve="true" />
// The WebGPU backend object: tensors live in pooled storage buffers, kernels queue dispatches
// into a batch that is encoded and submitted as one command buffer on flush() or read(), and
// reads map a staging buffer asynchronously (there is no readSync on a GPU).
import { BackendError, DeviceLostError, DisposedError, SPEC_VERSION, allocate } from '@tensile/core';
import type { Backend, DataId, DType, FusedKernelTable, KernelTable, TensorInfo } from '@tensile/core';
import { BufferPool, TENSOR_USAGE, sizeClass, type PoolStats } from './buffer_pool.js';
import { requestGpu, type GpuOptions } from './gpu.js';
import { shaderSource, type Program } from './program.js';
import { awaitSparingCpu, canSleep } from './spare_cpu.js';
import { UniformStage, type UniformSlot } from './uniforms.js';
import { fused, kernels } from './kernels/index.js';

/** What a WebGPU DataId holds: a storage buffer of `length` logical elements, 4 bytes each. */
export interface GpuData {
  readonly buffer: GPUBuffer;
  readonly length: number;
  readonly dtype: DType;
}

/** Options of `createWebGpuBackend`. */
export interface WebGpuOptions extends GpuOptions {
  /** Bytes of freed buffers kept for reuse (default 256 MiB); the rest are destroyed. */
  poolBytes?: number;
  /** Dispatches queued before a batch is submitted without waiting for a read (default 512). */
  maxBatch?: number;
  /**
   * Use workgroup memory and barriers (matmul tiles, softmax row reductions) as GPUs want, or
   * not, as CPU adapters such as SwiftShader want (barriers cost more there than they save).
   * Default: by the adapter.
   */
  tiled?: boolean;
}

/** What `getBackendInfo()` reports. */
export interface WebGpuInfo {
  source: string;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  features: string[];
}

interface PipelineEntry {
  key: string;
  pipeline?: GPUComputePipeline;
  ready: Promise<GPUComputePipeline>;
  layout: GPUBindGroupLayout;
}

type Command =
  | { kind: 'dispatch'; entry: PipelineEntry; buffers: GPUBuffer[]; slot: UniformSlot; groups: [number, number, number] }
  | { kind: 'copy'; src: GPUBuffer; srcOffset: number; dst: GPUBuffer; dstOffset: number; size: number };

interface Batch {
  commands: Command[];
  stage: UniformStage;
}

/** The WebGPU backend. */
export interface WebGpuBackend extends Backend {
  readonly kernels: KernelTable<WebGpuBackend>;
  readonly fused: FusedKernelTable<WebGpuBackend>;
  readonly lost: Promise<string>;
  /** Submits the queued work; resolves once it is submitted (reads wait for completion). */
  flush(): Promise<void>;
  readonly device: GPUDevice;
  /** Whether kernels use workgroup memory and barriers (see WebGpuOptions.tiled). */
  readonly tiled: boolean;
  /** The sizes of the subgroups shaders see, where the device has WGSL subgroups. */
  readonly subgroups?: { readonly minSize: number; readonly maxSize: number };
  /** The adapter and where it came from. */
  getBackendInfo(): WebGpuInfo;
  /** Live and pooled buffers, and how many pipelines are cached. */
  stats(): PoolStats & { pipelines: number; submits: number };
  /** Queues a program (kernels call this). */
  run(p: Program): void;
  /** Queues a buffer-to-buffer copy of `bytes` (multiple of 4). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void;
  /** A fresh output tensor of `shape` and `dtype` (its buffer from the pool). */
  output(shape: number[], dtype: DType): TensorInfo;
  /** The buffer behind a tensor. */
  data(info: TensorInfo): GpuData;
  /** Frees every pooled buffer and destroys the device; `lost` resolves. */
  destroy(): void;
}

const MiB = 1 << 20;

/**
 * Creates a WebGPU backend on the platform's GPU (the browser's, or Dawn's in Node).
 * @example registerBackend('webgpu', () => createWebGpuBackend()); await setBackend('webgpu');
 */
export async function createWebGpuBackend(opts: WebGpuOptions = {}): Promise<WebGpuBackend> {
  const { device, adapter, source } = await requestGpu(opts);
  const info = adapter.info;
  const backendInfo: WebGpuInfo = {
    source,
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    features: [...adapter.features].sort(),
  };
  const maxBatch = opts.maxBatch ?? 512;
  const cpuAdapter = /swiftshader|llvmpipe|lavapipe|cpu/i.test(`${backendInfo.vendor} ${backendInfo.architecture} ${backendInfo.device} ${backendInfo.description}`);
  const tiled = opts.tiled ?? !cpuAdapter;
  // Reads wait without spinning a core that a CPU adapter's threads need (spare_cpu.ts).
  const sparing = cpuAdapter && canSleep();
  const live = new Set<GpuData>();
  const retired: GPUBuffer[] = [];
  const pool = new BufferPool(device, opts.poolBytes ?? 256 * MiB, (b) => retired.push(b));
  const pipelines = new Map<string, PipelineEntry>();
  const layouts = new Map<string, { bgl: GPUBindGroupLayout; pl: GPUPipelineLayout }>();
  const uniformBuffers: GPUBuffer[] = [];
  let batch: Batch = { commands: [], stage: new UniformStage() };
  let chain: Promise<void> = Promise.resolve();
  let inFlight = 0;
  let submits = 0;
  let lostReason: string | undefined;
  let gpuError: string | undefined;

  let resolveLost!: (reason: string) => void;
  const lost = new Promise<string>((resolve) => (resolveLost = resolve));
  void device.lost.then((l) => {
    lostReason = l.message || l.reason || 'device lost';
    resolveLost(`webgpu device lost: ${lostReason}`);
  });
  device.onuncapturederror = (e) => {
    gpuError ??= e.error.message;
  };

  const assertUsable = (op: string): void => {
    if (lostReason !== undefined) throw new DeviceLostError(`webgpu: ${op}: the GPU device was lost (${lostReason}); \`await setBackend('webgpu')\` to re-create it`);
  };
  const dataOf = (id: DataId, op: string): GpuData => {
    assertUsable(op);
    if (!live.has(id as GpuData)) throw new DisposedError(`webgpu: ${op}: the data id is disposed or belongs to another backend`);
    return id as GpuData;
  };

  const layoutFor = (p: Program): { bgl: GPUBindGroupLayout; pl: GPUPipelineLayout } => {
    const sig = p.bindings.map((b) => (b.write ? 'w' : 'r')).join('');
    let l = layouts.get(sig);
    if (!l) {
      const entries: GPUBindGroupLayoutEntry[] = [{ binding: 0, visibility: 4 /* COMPUTE */, buffer: { type: 'uniform' } }];
      p.bindings.forEach((b, i) =>
        entries.push({ binding: i + 1, visibility: 4, buffer: { type: b.write ? 'storage' : 'read-only-storage' } }));
      const bgl = device.createBindGroupLayout({ entries });
      l = { bgl, pl: device.createPipelineLayout({ bindGroupLayouts: [bgl] }) };
      layouts.set(sig, l);
    }
    return l;
  };

  const pipelineFor = (p: Program): PipelineEntry => {
    let e = pipelines.get(p.key);
    if (e) return e;
    const { bgl, pl } = layoutFor(p);
    const code = shaderSource(p);
    const module = device.createShaderModule({ code, label: p.key });
    const entry: PipelineEntry = {
      key: p.key,
      layout: bgl,
      ready: device.createComputePipelineAsync({ layout: pl, compute: { module, entryPoint: 'main' }, label: p.key }).then(
        (pipeline) => (entry.pipeline = pipeline),
        async (err: unknown) => {
          const info = await module.getCompilationInfo();
          const msgs = info.messages.map((m) => `${m.type} ${m.lineNum}:${m.linePos} ${m.message}`).join('\n');
          throw new BackendError(`webgpu: shader '${p.key}' failed to compile: ${(err as Error).message}\n${msgs}`);
        },
      ),
    };
    // Failures surface on the flush that needs the pipeline, not as unhandled rejections.
    entry.ready.catch(() => undefined);
    pipelines.set(p.key, entry);
    return entry;
  };

  const encodeAndSubmit = async (b: Batch): Promise<void> => {
    const pending = b.commands.flatMap((c) => (c.kind === 'dispatch' && !c.entry.pipeline ? [c.entry.ready] : []));
    if (pending.length > 0) await (sparing ? awaitSparingCpu(Promise.all(pending)) : Promise.all(pending));
    if (lostReason !== undefined) return;
    b.stage.upload(device, uniformBuffers);
    const enc = device.createCommandEncoder();
    let pass: GPUComputePassEncoder | undefined;
    for (const c of b.commands) {
      if (c.kind === 'copy') {
        pass?.end();
        pass = undefined;
        enc.copyBufferToBuffer(c.src, c.srcOffset, c.dst, c.dstOffset, c.size);
        continue;
      }
      pass ??= enc.beginComputePass();
      pass.setPipeline(c.entry.pipeline!);
      const entries: GPUBindGroupEntry[] = [
        { binding: 0, resource: { buffer: uniformBuffers[c.slot.chunk]!, offset: c.slot.offset, size: c.slot.size } },
      ];
      c.buffers.forEach((buffer, i) => entries.push({ binding: i + 1, resource: { buffer } }));
      pass.setBindGroup(0, device.createBindGroup({ layout: c.entry.layout, entries }));
      pass.dispatchWorkgroups(...c.groups);
    }
    pass?.end();
    device.queue.submit([enc.finish()]);
    submits++;
  };

  /** Submits the current batch after the ones before it; resolves once it is submitted. */
  const submit = (): Promise<void> => {
    const b = batch;
    const toRetire = retired.splice(0);
    batch = { commands: [], stage: new UniformStage() };
    inFlight++;
    const done = chain.then(async () => {
      try {
        if (b.commands.length > 0) await encodeAndSubmit(b);
      } finally {
        inFlight--;
        for (const buf of toRetire) buf.destroy();
      }
    });
    // A failed batch fails its own waiters only; the next batches still run.
    chain = done.catch(() => undefined);
    return done;
  };

  const failIfErrored = (op: string): void => {
    if (gpuError !== undefined) {
      const msg = gpuError;
      gpuError = undefined;
      throw new BackendError(`webgpu: ${op}: the GPU reported an error: ${msg}`);
    }
  };

  const backend: WebGpuBackend = {
    name: 'webgpu',
    specVersion: SPEC_VERSION,
    kernels,
    fused,
    lost,
    device,
    tiled,
    subgroups: device.features.has('subgroups') && info?.subgroupMinSize && info.subgroupMaxSize
      ? { minSize: info.subgroupMinSize, maxSize: info.subgroupMaxSize }
      : undefined,
    getBackendInfo: () => backendInfo,
    stats: () => ({ ...pool.stats(), pipelines: pipelines.size, submits }),

    write(values, shape, dtype) {
      assertUsable('write');
      const n = values.length;
      const bytes = Math.max(4, n * 4);
      let buffer: GPUBuffer;
      if (batch.commands.length === 0 && inFlight === 0) {
        // Nothing queued can still read a recycled buffer: upload through the queue.
        buffer = pool.acquire(bytes);
        const host = dtype === 'float32' ? Float32Array.from(values as ArrayLike<number>) : Int32Array.from(values as ArrayLike<number>);
        if (n > 0) device.queue.writeBuffer(buffer, 0, host.buffer as ArrayBuffer, 0, n * 4);
      } else {
        // Queued work may still read a recycled buffer: a fresh one, filled while mapped.
        buffer = device.createBuffer({ size: sizeClass(bytes), usage: TENSOR_USAGE, mappedAtCreation: true });
        const range = buffer.getMappedRange(0, n * 4 + (n === 0 ? 4 : 0));
        (dtype === 'float32' ? new Float32Array(range, 0, n) : new Int32Array(range, 0, n)).set(values as ArrayLike<number>);
        buffer.unmap();
        pool.adopt(buffer);
      }
      const d: GpuData = { buffer, length: n, dtype };
      live.add(d);
      return d;
    },

    async read(id) {
      const d = dataOf(id, 'read');
      failIfErrored('read');
      if (d.length === 0) return allocate(d.dtype, 0);
      const bytes = d.length * 4;
      const staging = device.createBuffer({ size: bytes, usage: 0x01 /* MAP_READ */ | 0x08 /* COPY_DST */ });
      batch.commands.push({ kind: 'copy', src: d.buffer, srcOffset: 0, dst: staging, dstOffset: 0, size: bytes });
      try {
        await submit();
        assertUsable('read');
        const mapped = staging.mapAsync(1 /* READ */);
        await (sparing ? awaitSparingCpu(mapped) : mapped);
      } catch (err) {
        staging.destroy();
        assertUsable('read');
        throw err instanceof BackendError ? err : new BackendError(`webgpu: read failed: ${(err as Error).message}`, { cause: err });
      }
      const range = staging.getMappedRange();
      const out = allocate(d.dtype, d.length);
      out.set(d.dtype === 'float32' ? new Float32Array(range) : new Int32Array(range));
      staging.unmap();
      staging.destroy();
      failIfErrored('read');
      return out;
    },

    dispose(id) {
      const d = id as GpuData;
      if (!live.delete(d)) return;
      if (lostReason === undefined) pool.release(d.buffer);
    },

    memory() {
      return { buffers: live.size, bytes: pool.stats().liveBytes };
    },

    async flush() {
      assertUsable('flush');
      await submit();
      failIfErrored('flush');
    },

    run(p) {
      assertUsable(p.key);
      const entry = pipelineFor(p);
      const slot = batch.stage.push(p.uniforms);
      batch.commands.push({ kind: 'dispatch', entry, buffers: p.bindings.map((b) => b.buffer), slot, groups: p.dispatch });
      if (batch.commands.length >= maxBatch) submit().catch((err: Error) => (gpuError ??= err.message));
    },

    copy(src, srcOffset, dst, dstOffset, size) {
      assertUsable('copy');
      if (size > 0) batch.commands.push({ kind: 'copy', src, srcOffset, dst, dstOffset, size });
    },

    output(shape, dtype) {
      assertUsable('output');
      const n = shape.reduce((a, b) => a * b, 1);
      const bytes = Math.max(4, n * 4);
      if (bytes > device.limits.maxStorageBufferBindingSize) {
        // A RangeError: core turns it into an AllocationError naming the op, shape and bytes.
        throw new RangeError(`webgpu: cannot allocate a ${dtype} tensor of shape [${shape.join(', ')}] (${bytes} bytes): the device binds at most ${device.limits.maxStorageBufferBindingSize} bytes`);
      }
      const d: GpuData = { buffer: pool.acquire(bytes), length: n, dtype };
      live.add(d);
      return { id: d, shape, dtype };
    },

    data(info) {
      return dataOf(info.id, 'kernel');
    },

    destroy() {
      pool.trim();
      for (const b of retired.splice(0)) b.destroy();
      device.destroy();
    },
  };
  return backend;
}
