/// <reference types="@webgpu/types" preserve="true" />
// Uniform data without a buffer per dispatch: each dispatch of a batch takes a 256-byte-aligned
// slot of a host staging area; the batch writes the used part into a few reusable uniform
// buffers just before its submission (queue order makes reuse across batches safe).

/** One scalar of a program's uniform struct. */
export type UniformType = 'u32' | 'i32' | 'f32';
export type Uniform = readonly [name: string, type: UniformType, value: number];

const CHUNK = 65536;
const ALIGN = 256;

/** The slot a dispatch reads its uniforms from. */
export interface UniformSlot {
  chunk: number;
  offset: number;
  size: number;
}

/** The uniform data of one batch, staged on the host. */
export class UniformStage {
  private chunks: DataView[] = [];
  private used = 0;

  /** Writes `values` into a fresh slot; returns where. */
  push(values: readonly Uniform[]): UniformSlot {
    const size = Math.max(16, Math.ceil((values.length * 4) / 16) * 16);
    if (this.chunks.length === 0 || this.used + size > CHUNK) {
      this.chunks.push(new DataView(new ArrayBuffer(CHUNK)));
      this.used = 0;
    }
    const view = this.chunks[this.chunks.length - 1]!;
    const offset = this.used;
    values.forEach(([, type, v], i) => {
      const at = offset + i * 4;
      if (type === 'f32') view.setFloat32(at, v, true);
      else if (type === 'i32') view.setInt32(at, v, true);
      else view.setUint32(at, v, true);
    });
    this.used = Math.ceil((offset + size) / ALIGN) * ALIGN;
    return { chunk: this.chunks.length - 1, offset, size };
  }

  /** Uploads the staged data into `buffers` (grown as needed) through the queue. */
  upload(device: GPUDevice, buffers: GPUBuffer[]): void {
    this.chunks.forEach((view, i) => {
      if (!buffers[i]) buffers[i] = device.createBuffer({ size: CHUNK, usage: 0x40 /* UNIFORM */ | 0x08 /* COPY_DST */ });
      const last = i === this.chunks.length - 1;
      const bytes = last ? Math.min(CHUNK, Math.max(this.used, 16)) : CHUNK;
      device.queue.writeBuffer(buffers[i]!, 0, view.buffer as ArrayBuffer, 0, bytes);
    });
  }
}

/** The WGSL struct declaration of a uniform list (always at least one field). */
export function uniformStruct(values: readonly Uniform[]): string {
  const fields = values.length > 0 ? values.map(([n, t]) => `  ${n}: ${t},`) : ['  _pad: u32,'];
  return `struct Uniforms {\n${fields.join('\n')}\n}`;
}
