// Waiting for a CPU adapter without taking a core from it. dawn.node (the `webgpu` package)
// settles a pending mapAsync by polling its events from setImmediate, so the main thread spins
// at 100% of a core until the GPU work is done; on a CPU adapter such as SwiftShader that is a
// core its worker threads need (on a 2-core machine, a 256 matmul ran 36 ms with the spin and
// 21-24 ms without it). While such a promise is pending, each turn of the event loop also
// sleeps the thread briefly (Atomics.wait, which Node allows on its main thread): the polling
// then costs a few percent of a core, and the answer comes at most a slice (1 ms) late.

/** The first sleep, in ms; each turn doubles it up to SLICE_MS (short waits stay short). */
const FIRST_MS = 0.1;
const SLICE_MS = 1;

/** Whether this thread may block in Atomics.wait: Node's main thread yes, a browser's main thread no. */
export function canSleep(): boolean {
  if (typeof process === 'undefined' || process.versions?.node === undefined || typeof SharedArrayBuffer === 'undefined') return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 0);
    return true;
  } catch {
    return false; // e.g. an Electron renderer
  }
}

/** The word Atomics.wait sleeps on (never notified: each wait just times out); made once. */
let cell: Int32Array | undefined;

/** Resolves as `p` does, sleeping the thread in slices while it is pending (see the header). */
export async function awaitSparingCpu<T>(p: Promise<T>): Promise<T> {
  let pending = true;
  const settled = p.finally(() => { pending = false; });
  const word = (cell ??= new Int32Array(new SharedArrayBuffer(4)));
  let ms = FIRST_MS;
  const turn = (): void => {
    if (!pending) return;
    Atomics.wait(word, 0, 0, ms);
    ms = Math.min(SLICE_MS, ms * 2);
    setImmediate(turn);
  };
  setImmediate(turn);
  return settled;
}
