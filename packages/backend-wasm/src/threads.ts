// Worker threads for the threaded kernels: each worker instantiates the same module on the
// shared memory, takes its own stack and TLS block, and parks in `tk_worker_loop`, where the
// kernels' fork-join (rust-kernels/kernels/src/threads.rs) wakes it with memory.atomic.notify.
// Node uses worker_threads, browsers Web Workers (from a Blob, so bundlers need no extra file).
import type { KernelExports } from './exports.js';

/** Stack of each worker (the main thread's is the linker's, 1 MiB). */
const WORKER_STACK_BYTES = 1 << 20;
/** How long to wait for workers to park before giving up on them. */
const START_TIMEOUT_MS = 10_000;

/** What the main thread hands each worker. */
interface WorkerStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  stackTop: number;
  tls: number;
}

/**
 * The worker's whole program, as source (plain JS, run in both environments): instantiate,
 * set `__stack_pointer` and TLS, report, park. `reply` posts to the main thread.
 */
const WORKER_BODY = `
function start(d, reply) {
  try {
    const imports = {};
    for (const imp of WebAssembly.Module.imports(d.module)) {
      const ns = (imports[imp.module] ??= {});
      ns[imp.name] = imp.kind === 'memory' ? d.memory : () => {};
    }
    const e = new WebAssembly.Instance(d.module, imports).exports;
    e.__stack_pointer.value = d.stackTop;
    e.__wasm_init_tls(d.tls);
    reply({ ready: true });
    e.tk_worker_loop();
  } catch (err) {
    reply({ error: String(err && err.stack || err) });
  }
}
`;

/** One started worker: how to stop it. */
export interface KernelWorker {
  terminate(): void;
}

/** Everything the main instance exports that workers need set up per thread. */
interface ThreadExports extends KernelExports {
  __tls_size: WebAssembly.Global;
  __tls_align: WebAssembly.Global;
}

type Reply = { ready?: boolean; error?: string };

/** The part of Node's worker_threads used here (the package compiles without Node's types). */
interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
  once(event: 'message', listener: (m: Reply) => void): void;
  once(event: 'error', listener: (e: unknown) => void): void;
}
type NodeWorkerClass = new (code: string, opts: { eval: true; workerData: WorkerStart }) => NodeWorker;

async function startNodeWorker(d: WorkerStart): Promise<[KernelWorker, Promise<Reply>]> {
  const specifier = 'node:worker_threads';
  const { Worker } = (await import(/* @vite-ignore */ specifier)) as { Worker: NodeWorkerClass };
  const code = `${WORKER_BODY}\nconst { parentPort, workerData } = require('node:worker_threads');\nstart(workerData, (m) => parentPort.postMessage(m));\n`;
  const w = new Worker(code, { eval: true, workerData: d });
  w.unref(); // parked workers must not keep Node alive
  const reply = new Promise<Reply>((resolve) => {
    w.once('message', (m: Reply) => resolve(m));
    w.once('error', (e) => resolve({ error: String(e) }));
  });
  return [{ terminate: () => void w.terminate() }, reply];
}

function startWebWorker(d: WorkerStart): [KernelWorker, Promise<Reply>] {
  const code = `${WORKER_BODY}\nonmessage = (ev) => start(ev.data, (m) => postMessage(m));\n`;
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  const w = new Worker(url);
  const reply = new Promise<Reply>((resolve) => {
    w.onmessage = (ev: MessageEvent<Reply>) => resolve(ev.data);
    w.onerror = (ev) => resolve({ error: ev.message });
  });
  w.postMessage(d);
  URL.revokeObjectURL(url);
  return [{ terminate: () => w.terminate() }, reply];
}

const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

/**
 * Whether this thread may block in memory.atomic.wait while workers finish: Node's threads and
 * browser workers may, a browser page's main thread may not (it spins instead).
 */
export const callerCanBlock = isNode || typeof (globalThis as { document?: unknown }).document === 'undefined';

/**
 * Starts `count` workers on `memory` and waits until the kernels see them parked; returns
 * them, or throws (after stopping any started) with the reason threads cannot run.
 * @example const workers = await startWorkers(module, memory, exports, 1); // 2 threads with the caller
 */
export async function startWorkers(
  module: WebAssembly.Module, memory: WebAssembly.Memory, exports: KernelExports, count: number,
): Promise<KernelWorker[]> {
  const ex = exports as ThreadExports;
  const tlsBytes = Math.max(16, ex.__tls_size.value as number);
  const started: [KernelWorker, Promise<Reply>][] = [];
  for (let i = 0; i < count; i++) {
    const stack = exports.tk_alloc(WORKER_STACK_BYTES);
    const tls = exports.tk_alloc(tlsBytes);
    if (stack === 0 || tls === 0) throw new Error('no memory for worker stacks');
    const d: WorkerStart = { module, memory, stackTop: stack + WORKER_STACK_BYTES, tls };
    started.push(isNode ? await startNodeWorker(d) : startWebWorker(d));
  }
  const workers = started.map(([w]) => w);
  const stopAll = () => workers.forEach((w) => w.terminate());
  const replies = await Promise.all(started.map(([, r]) => r));
  const failed = replies.find((r) => r.error !== undefined);
  if (failed) {
    stopAll();
    throw new Error(`a worker failed to start: ${failed.error}`);
  }
  // 'ready' is posted just before the worker parks: wait until the kernels count it.
  exports.tk_set_threads(count + 1, Number(callerCanBlock));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (exports.tk_threads() < count + 1) {
    if (Date.now() > deadline) {
      stopAll();
      throw new Error(`workers did not park within ${START_TIMEOUT_MS} ms`);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  return workers;
}
