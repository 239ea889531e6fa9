/** Base class of every error Tensile throws on purpose. */
export class TensileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit the op (rank, broadcasting, sizes, axes, attribute ranges). */
export class ShapeError extends TensileError {}

/** A dtype the op does not accept, or operands whose dtypes cannot be combined. */
export class DTypeError extends TensileError {}

/** A tensor used after `dispose()`. */
export class DisposedError extends TensileError {}

/** A backend problem: unknown name, not ready, spec mismatch, unsupported synchronous read. */
export class BackendError extends TensileError {}

/** An argument with the wrong type or an out-of-range value that is not about shapes. */
export class ArgumentError extends TensileError {}

/** Formats a shape as `[2,3]` for error messages. */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** A backend reported loss (e.g. GPU device loss) or was removed; its tensors' data is gone. */
export class DeviceLostError extends BackendError {}

/** A buffer could not be allocated; the message names the op, shape and bytes. */
export class AllocationError extends TensileError {}
