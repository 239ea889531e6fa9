// Buffer lifetime: every holder of a DataRef (a tensor handle, a gradient node's saved
// value) takes one reference; the last release frees the backend buffer exactly once.
import { state, type DataRef } from './state.js';

/** Takes one more hold on `ref`. */
export function hold(ref: DataRef): void {
  ref.refCount++;
}

/** Drops one hold on a buffer; the last one frees it (a lost backend has nothing to free). */
export function unref(ref: DataRef): void {
  if (--ref.refCount > 0) return;
  state.refs.delete(ref);
  state.bytes -= ref.bytes;
  if (!state.lost.has(ref.backend)) ref.backend.dispose(ref.id);
}

/** Starts tracking a fresh buffer (no holders yet). */
export function track(ref: DataRef): void {
  state.refs.add(ref);
  state.bytes += ref.bytes;
  if (state.bytes > state.peakBytes) state.peakBytes = state.bytes;
}
