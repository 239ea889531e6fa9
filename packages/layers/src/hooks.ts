// Forward hooks (torch.nn.Module.register_forward_hook / register_forward_pre_hook): functions a
// module runs around its `forward` on every `call`, to inspect or replace inputs and outputs
// (summary tables, activation capture, debugging). Each module keeps its own hooks; a module
// without hooks pays one field check per call.
import { ArgumentError } from '@tensile/core';
import { describe } from './check.js';

// The inputs and output are typed loosely (any, as PyTorch's hooks are untyped): tying them to the
// module's signature would make Module invariant in it, and a Module<[Tensor], Tensor> would no
// longer count as an AnyModule.

/**
 * Runs before `forward` with the module and its arguments. Return nothing to keep the
 * arguments, an array to replace them all, or a single value to replace a one-argument call
 * (PyTorch wraps a non-tuple result the same way).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ForwardPreHook<M = any, Args extends unknown[] = any[]> = (module: M, inputs: Args) => Args | Args[0] | void;

/** Runs after `forward` with the module, its (possibly replaced) arguments and its output; return nothing to keep the output or a value to replace it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ForwardHook<M = any, Args extends unknown[] = any[], Out = any> = (module: M, inputs: Args, output: Out) => Out | void;

/**
 * What registering a hook returns: `remove()` unregisters it (idempotent).
 * @example const h = conv.registerForwardHook((m, [x], y) => console.log(y.shape)); h.remove();
 */
export interface HookHandle {
  /** A number unique among this process's hooks. */
  readonly id: number;
  /** Unregisters the hook; calling it again does nothing. */
  remove(): void;
}

let nextHookId = 0;

/** One module's pre-hooks and hooks in registration order (Maps keep insertion order). */
export class ForwardHooks {
  readonly pre = new Map<number, ForwardPreHook>();
  readonly post = new Map<number, ForwardHook>();

  /** Whether no hook is registered. */
  get empty(): boolean {
    return this.pre.size === 0 && this.post.size === 0;
  }

  /** Adds `fn` to `kind`, after checking it is a function; returns its handle. */
  add(op: string, kind: 'pre' | 'post', fn: unknown): HookHandle {
    if (typeof fn !== 'function') throw new ArgumentError(`${op}: the hook must be a function, got ${describe(fn)}`);
    const id = nextHookId++;
    const map = kind === 'pre' ? this.pre : this.post;
    map.set(id, fn as ForwardPreHook & ForwardHook);
    return { id, remove: () => void map.delete(id) };
  }

  /**
   * Runs the pre-hooks, `forward` and the hooks, in registration order. Each set is copied
   * first, so a hook that removes itself (or registers another) affects the next call only.
   */
  run<Args extends unknown[], Out>(module: unknown, args: Args, forward: (...a: Args) => Out): Out {
    let inputs = args;
    for (const fn of [...this.pre.values()]) {
      const r = fn(module, inputs);
      if (r !== undefined) inputs = (Array.isArray(r) ? r : [r]) as Args;
    }
    let output = forward(...inputs);
    for (const fn of [...this.post.values()]) {
      const r = fn(module, inputs, output);
      if (r !== undefined) output = r as Out;
    }
    return output;
  }
}
