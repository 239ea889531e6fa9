/// <reference types="@webgpu/types" preserve="true" />
// Storage buffers by size class: freed buffers wait in a free list for a kernel that needs the
// same class, up to a byte cap; beyond it the oldest are destroyed (after the batch that may
// still use them is submitted).

/** Usage of every tensor buffer: bound as storage, copied from (reads, concat) and into. */
export const TENSOR_USAGE = 0x80 /* STORAGE */ | 0x04 /* COPY_SRC */ | 0x08 /* COPY_DST */;

/**
 * The size class of a request: 256 bytes at least, then powers of two split in four steps
 * (2^k, 1.25, 1.5, 1.75 x 2^k), so no buffer wastes more than a fifth of its bytes.
 * @example sizeClass(1000) === 1024
 */
export function sizeClass(bytes: number): number {
  if (bytes <= 256) return 256;
  const p = 2 ** Math.floor(Math.log2(bytes));
  const step = p / 4;
  return Math.ceil(bytes / step) * step;
}

/** Counts of a pool: live (handed out) and pooled (free, kept for reuse) buffers and bytes. */
export interface PoolStats {
  liveBuffers: number;
  liveBytes: number;
  pooledBuffers: number;
  pooledBytes: number;
}

/** A pool of storage buffers for one device. */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  /** Free buffers oldest first, for eviction over the cap. */
  private readonly order: GPUBuffer[] = [];
  private liveBuffers = 0;
  private liveBytes = 0;
  private pooledBytes = 0;

  /**
   * @param device the device that creates the buffers
   * @param capBytes most bytes kept in free lists
   * @param retire receives buffers to destroy once the work queued so far is submitted
   */
  constructor(
    private readonly device: GPUDevice,
    private readonly capBytes: number,
    private readonly retire: (b: GPUBuffer) => void,
  ) {}

  /** A buffer of at least `bytes` (its size class), reused when one is free. */
  acquire(bytes: number): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    let buf = list?.pop();
    if (buf) {
      this.order.splice(this.order.indexOf(buf), 1);
      this.pooledBytes -= size;
    } else {
      buf = this.device.createBuffer({ size, usage: TENSOR_USAGE });
    }
    this.liveBuffers++;
    this.liveBytes += size;
    return buf;
  }

  /** Counts a buffer created elsewhere (mapped at creation for an upload) as live. */
  adopt(buf: GPUBuffer): void {
    this.liveBuffers++;
    this.liveBytes += buf.size;
  }

  /** Returns a buffer to its free list, evicting the oldest free ones above the cap. */
  release(buf: GPUBuffer): void {
    this.liveBuffers--;
    this.liveBytes -= buf.size;
    const list = this.free.get(buf.size) ?? [];
    this.free.set(buf.size, list);
    list.push(buf);
    this.order.push(buf);
    this.pooledBytes += buf.size;
    while (this.pooledBytes > this.capBytes && this.order.length > 0) {
      const old = this.order.shift()!;
      const l = this.free.get(old.size)!;
      l.splice(l.indexOf(old), 1);
      this.pooledBytes -= old.size;
      this.retire(old);
    }
  }

  /** Destroys every free buffer (live ones stay). */
  trim(): void {
    for (const b of this.order) this.retire(b);
    this.order.length = 0;
    this.free.clear();
    this.pooledBytes = 0;
  }

  stats(): PoolStats {
    return { liveBuffers: this.liveBuffers, liveBytes: this.liveBytes, pooledBuffers: this.order.length, pooledBytes: this.pooledBytes };
  }
}
