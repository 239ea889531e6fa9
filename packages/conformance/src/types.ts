// The case format of the suite: every table in cases/ is an array of these.
import type { BackendFactory, DType, Tensor } from '@tensile/core';

/** Values of a tensor, row-major; booleans are read as 0/1. */
export type Values = readonly (number | boolean)[] | ArrayLike<number>;

/** A tensor written as data: values, shape and dtype (default float32). */
export interface TensorSpec {
  values: Values;
  shape: number[];
  dtype?: DType;
}

/**
 * How close a float result must be: |got - want| <= atol + rtol * |want|, with a one-line
 * reason for the size. NaN must meet NaN and an infinity the same infinity.
 */
export interface Tol {
  rtol: number;
  atol: number;
  why: string;
}

/** Central finite-difference check of the gradient of sum(op(x) * W) w.r.t. the float inputs. */
export interface FDCheck {
  tol: Tol;
  /** Step (default 1e-2); inputs must stay farther than this from the op's kinks. */
  eps?: number;
  /** Indices of the inputs to differentiate (default: every float32 input). */
  wrt?: number[];
  /** W, one per output (null for integer outputs); default: fixed pseudo-random weights. */
  weights?: (TensorSpec | null)[];
}

/** Expected gradients of sum(op(x) * W), e.g. from torch.autograd. */
export interface GoldenGrad {
  weights: (TensorSpec | null)[];
  /** One per input; null for inputs that are not differentiated (integer inputs). */
  grads: (TensorSpec | null)[];
  tol: Tol;
}

/** An error class (ShapeError, DTypeError, ...). */
export type ErrorClass = abstract new (...args: never[]) => Error;

interface CaseBase {
  name: string;
  /** Dtypes the case needs beyond those of its inputs and outputs (checked against caps). */
  dtypes?: DType[];
  /** Only where the backend reads synchronously (caps.readSync). */
  needsReadSync?: boolean;
}

/** Calls a public op on `inputs` and compares outputs (and optionally gradients). */
export interface ValueCase extends CaseBase {
  inputs: TensorSpec[];
  run: (xs: Tensor[]) => Tensor | Tensor[];
  /**
   * `run` calls several ops: the runner frees its intermediates with tidy. Without it, the
   * runner checks that the op leaves alive exactly its outputs.
   */
  composite?: boolean;
  expected?: TensorSpec | TensorSpec[];
  /** Tolerance of the forward comparison; default exact. */
  tol?: Tol;
  grad?: FDCheck;
  goldenGrad?: GoldenGrad;
}

/** Calls a public op with bad input and expects a typed error whose message names the problem. */
export interface ErrorCase extends CaseBase {
  inputs?: TensorSpec[];
  /** Indices of inputs the runner disposes before `run` (to test DisposedError). */
  disposed?: number[];
  run: (xs: Tensor[]) => unknown;
  throws: {
    error: ErrorClass;
    /** Substrings the message must contain: the op, the argument, the shapes seen. */
    includes: string[];
  };
}

/** Anything that does not fit a value table (API contracts, memory, backend switching). */
export interface CustomCase extends CaseBase {
  check: (ctx: SuiteContext) => void | Promise<void>;
}

export type Case = ValueCase | ErrorCase | CustomCase;

/** What a backend declares about itself; the suite branches only on these. */
export interface Caps {
  /** The backend implements readSync (lazy moves off it and dataSync work). */
  readSync: boolean;
  /** Dtypes the backend stores; cases using others are not registered. Default: all. */
  dtypes?: DType[];
}

/** Passed to custom cases. */
export interface SuiteContext {
  /** The name the backend under test is registered under. */
  name: string;
  factory: BackendFactory;
  caps: Caps;
  /** Reads a tensor's values as plain numbers (async; works on every backend). */
  read(t: Tensor): Promise<number[]>;
  /** Asserts a tensor's dtype, shape and values. */
  expectTensor(t: Tensor, want: TensorSpec, tol?: Tol, label?: string): Promise<void>;
}
