// The raw exports of kernels.wasm, typed: one function per `tk_*` in rust-kernels/kernels/src/exports.rs.

/** Every export the backend binds once at start-up. Addresses and sizes are u32. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  abi_version(): number;
  tk_alloc(bytes: number): number;
  tk_free(at: number, bytes: number): void;
  tk_set_threads(n: number, canBlock: number): void;
  tk_threads(): number;
  tk_worker_loop(): void;
  tk_unary(op: number, dt: number, x: number, out: number, n: number, alpha: number): void;
  tk_binary(op: number, dt: number, a: number, b: number, out: number, plan: number): void;
  tk_where(dt: number, cond: number, a: number, b: number, out: number, plan: number): void;
  tk_fill(dt: number, out: number, n: number, value: number): void;
  tk_broadcast_to(dt: number, x: number, out: number, plan: number): void;
  tk_cast(src: number, dst: number, x: number, out: number, n: number): void;
  tk_reduce(op: number, dt: number, x: number, n: number, out: number, outSize: number, p: number): void;
  tk_arg_reduce(op: number, dt: number, x: number, out: number, outer: number, len: number, inner: number): void;
  tk_softmax(x: number, out: number, outer: number, len: number, inner: number, log: number): void;
  tk_matmul(dt: number, a: number, b: number, out: number, rows: number, n: number, k: number, ta: number, tb: number, p: number, count: number): void;
  tk_fused_matmul(
    a: number, b: number, bias: number, out: number, rows: number, n: number, k: number, ta: number, tb: number,
    p: number, count: number, outRows: number, relu: number,
  ): void;
  tk_batch_norm(
    x: number, mean: number, variance: number, weight: number, bias: number, out: number, outer: number, c: number,
    inner: number, eps: number,
  ): void;
  tk_layer_norm(x: number, weight: number, bias: number, out: number, rows: number, len: number, eps: number): void;
  tk_conv2d(x: number, w: number, out: number, p: number): void;
  tk_conv2d_backprop_input(dy: number, w: number, dx: number, p: number): void;
  tk_conv2d_backprop_filter(x: number, dy: number, dw: number, p: number): void;
  tk_pool2d(x: number, out: number, p: number, indices: number): void;
  tk_pool2d_grad(x: number, dy: number, dx: number, p: number): void;
  tk_transpose(dt: number, x: number, out: number, plan: number): void;
  tk_slice(dt: number, x: number, base: number, out: number, plan: number): void;
  tk_concat(dt: number, out: number, outer: number, p: number): void;
  tk_pad(dt: number, x: number, out: number, outSize: number, p: number, value: number): void;
  tk_gather(dt: number, x: number, idx: number, out: number, outer: number, len: number, inner: number, m: number): void;
  tk_scatter_add(dt: number, upd: number, idx: number, out: number, outer: number, size: number, inner: number, m: number): void;
  tk_one_hot(dt: number, idx: number, count: number, depth: number, on: number, off: number, out: number): void;
  tk_random(dist: number, seed: number, offset: number, out: number, n: number): void;
}

/** Names every kernels.wasm must export (checked at load, so a stale artifact fails clearly). */
export const EXPORT_NAMES: readonly (keyof KernelExports)[] = [
  'memory', 'abi_version', 'tk_alloc', 'tk_free', 'tk_set_threads', 'tk_threads', 'tk_worker_loop', 'tk_unary', 'tk_binary', 'tk_where', 'tk_fill', 'tk_broadcast_to', 'tk_cast',
  'tk_reduce', 'tk_arg_reduce', 'tk_softmax', 'tk_matmul', 'tk_fused_matmul', 'tk_batch_norm', 'tk_layer_norm', 'tk_conv2d',
  'tk_conv2d_backprop_input', 'tk_conv2d_backprop_filter', 'tk_pool2d', 'tk_pool2d_grad', 'tk_transpose',
  'tk_slice', 'tk_concat', 'tk_pad', 'tk_gather', 'tk_scatter_add', 'tk_one_hot', 'tk_random',
];
