// Deferred kernels. A kernel call allocates its outputs at once (so memory errors surface at the
// op) but only records its calls into Rust; the recorded calls run, in order, when memory is
// read (read, memory(), a full queue). A kernel whose outputs are all disposed unread before
// then never runs: dead-code elimination, as jax's jit and tinygrad's lazy graphs do. `grad` of
// sum(A@B), for one, never computes A@B, which only the discarded value needed.
import type { DType } from '@tensile/core';

/** A block of linear memory behind one DataId, with what the queue knows about it. */
export interface Block {
  readonly ptr: number;
  /** Bytes requested for the block (elements * bytes per element). */
  readonly bytes: number;
  readonly size: number;
  readonly dtype: DType;
  /** Core disposed it; its memory goes back once no pending kernel reads or writes it. */
  disposed: boolean;
  freed: boolean;
  /** Pending kernels that read it. */
  readers: number;
  /** The pending kernel that writes it, or null once written. */
  producer: Pending | null;
}

/** One recorded kernel: its calls into Rust and the blocks they read and write. */
interface Pending {
  readonly calls: { fn: (...args: number[]) => void; args: number[] }[];
  readonly inputs: Block[];
  readonly outputs: Block[];
  dead: boolean;
}

/** Kernels recorded before the queue runs by itself: bounds the memory held for pending work. */
const MAX_PENDING = 64;

/** The queue of recorded kernels of one backend instance. */
export class KernelQueue {
  private pending: Pending[] = [];
  private current: Pending | null = null;
  /** Kernels run, and kernels dropped unrun because nothing needed their outputs. */
  readonly counts = { run: 0, skipped: 0 };

  /** `free` returns a block's memory to the allocator; `afterRun` runs after each flush (arena reset). */
  constructor(private readonly free: (b: Block) => void, private readonly afterRun: () => void) {}

  /** Runs `kernel`, recording the Rust calls it makes (see `call`) as one pending kernel. */
  record<T>(kernel: () => T): T {
    if (this.current !== null) return kernel(); // a kernel built from kernels is one pending kernel
    if (this.pending.length >= MAX_PENDING) this.flush();
    const node: Pending = { calls: [], inputs: [], outputs: [], dead: false };
    this.current = node;
    let out: T;
    try {
      out = kernel();
    } catch (err) {
      for (const o of node.outputs) this.dispose(o); // core never saw them
      throw err;
    } finally {
      this.current = null;
    }
    if (node.calls.length > 0) {
      for (const i of node.inputs) i.readers++;
      for (const o of node.outputs) o.producer = node;
      this.pending.push(node);
    }
    return out;
  }

  /** A call into Rust: recorded inside `record`, run at once (after pending work) elsewhere. */
  call(fn: (...args: number[]) => void, args: number[]): void {
    if (this.current !== null) {
      this.current.calls.push({ fn, args });
      return;
    }
    this.flush();
    fn(...args);
  }

  /** Notes that the kernel being recorded reads `b`. */
  reads(b: Block): void {
    this.current?.inputs.push(b);
  }

  /** Notes that the kernel being recorded writes `b` (a block it just allocated). */
  writes(b: Block): void {
    this.current?.outputs.push(b);
  }

  /** Runs every pending kernel, in order, freeing what each leaves unused. */
  flush(): void {
    const nodes = this.pending;
    if (nodes.length === 0) return;
    this.pending = [];
    try {
      for (const node of nodes) {
        if (node.dead) continue;
        this.counts.run++;
        try {
          for (const { fn, args } of node.calls) fn(...args);
        } finally {
          this.retire(node);
        }
      }
    } finally {
      // After a failed kernel (a trap) the rest stay unrun; retire them so nothing stays held.
      for (const node of nodes) if (!node.dead) this.retire(node);
      this.afterRun();
    }
  }

  /** Core disposed `b`: free it now, or once the pending kernels that touch it are gone. */
  dispose(b: Block): void {
    b.disposed = true;
    this.collect(b);
  }

  /** Frees `b` if nothing needs it; a pending producer none of whose outputs is needed is dropped unrun. */
  private collect(b: Block): void {
    if (!b.disposed || b.readers > 0 || b.freed) return;
    const p = b.producer;
    if (p === null) {
      b.freed = true;
      this.free(b);
    } else if (p.outputs.every((o) => o.disposed && o.readers === 0)) {
      this.counts.skipped++;
      this.retire(p);
    }
  }

  /** Ends a pending kernel, run or dropped: its outputs are written, its inputs read by one kernel fewer. */
  private retire(p: Pending): void {
    p.dead = true;
    for (const o of p.outputs) {
      o.producer = null;
      this.collect(o);
    }
    for (const i of p.inputs) {
      i.readers--;
      this.collect(i);
    }
  }
}
