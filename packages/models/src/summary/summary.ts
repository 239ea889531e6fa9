// summary(model, inputShape): torchinfo's table, as data and as text. One forward pass runs on
// a zeros input of `inputShape` (batch included) under noGrad, in eval mode; forward hooks on
// every module record, per call and in execution order, the output shape, parameters,
// activation bytes, MACs, receptive field and jump. The hooks, the input and every
// intermediate are gone when it returns, and each module's train/eval mode is restored.
//
// Rows follow torchinfo: one per module call, nested by call depth. A row is a leaf when no
// submodule ran through `call` inside it; leaves carry the MACs (containers show their output
// and "--"), and a module called a second time is marked recursive so its parameters are not
// counted twice. The receptive field is exact along chains of module calls (the field travels
// with the tensor each call returns); a tensor made outside any module (a residual sum, an
// inception concatenation) gets the widest field recorded so far, which is the widest branch.
import { ArgumentError, DTypeError, ShapeError, Tensor, bytesPerElement, noGrad, tidy, zeros } from '@tensile/core';
import { moduleName, type AnyModule, type HookHandle } from '@tensile/layers';
import { formatSummary } from './format.js';
import { layerMacs, torchinfoMultAdds } from './macs.js';
import { INPUT_FIELD, fieldAfter, widest, type FieldState } from './receptive_field.js';

/** One call of one module. */
export interface SummaryRow {
  /** Dotted path from the model ('' for the model itself), as in `namedModules()`. */
  name: string;
  /** The module's class (`Conv2d`). */
  className: string;
  /** Call nesting: 0 for the model, 1 for what it calls, ... */
  depth: number;
  /** No submodule ran inside this call: the row carries MACs (torchinfo's leaf layers). */
  leaf: boolean;
  /** The module was already listed (called again): its parameters count once, in the first row. */
  recursive: boolean;
  /** Shape of the first tensor argument ([] when none). */
  inputShape: number[];
  /** Shape of the first tensor of the output (torchinfo's output_size). */
  outputShape: number[];
  /** Parameters of the module and its submodules, each once. */
  params: number;
  /** Of those, the ones that require gradients. */
  trainableParams: number;
  /** Of those, the frozen ones (`requiresGrad_(false)`). */
  frozenParams: number;
  /** Parameters registered on this module itself (a container's own, torchinfo's leftover). */
  ownParams: number;
  /** Activation memory: bytes of the output tensor (the first one when it returns several). */
  outputBytes: number;
  /** Multiply-accumulates of this call, whole batch (leaves only; see macs.ts). */
  macs: number;
  /** torchinfo 1.8's Mult-Adds for the same call (its leaves only; see macs.ts). */
  multAdds: number;
  /** Receptive field [H, W] in input pixels, for rows with an NCHW output; else null. */
  receptiveField: [number, number] | null;
  /** Jump (effective stride) [H, W] in input pixels, for rows with an NCHW output; else null. */
  jump: [number, number] | null;
}

/** What `summary` returns: the rows, the totals (torchinfo's) and the printed table. */
export interface ModelSummary {
  /** The model's class. */
  modelName: string;
  /** The input shape, batch included. */
  inputShape: number[];
  rows: SummaryRow[];
  /** Every parameter of the model, each once (tied weights once). */
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Sum of the leaves' MACs. */
  totalMacs: number;
  /** Sum of the leaves' torchinfo Mult-Adds ("Total mult-adds"). */
  totalMultAdds: number;
  /** Bytes of the input tensor. */
  inputBytes: number;
  /** torchinfo's "Forward/backward pass size": 2 × the output bytes of every leaf call that has parameters (activation and gradient). */
  forwardBackwardBytes: number;
  /** Bytes of the parameters (the model size; buffers such as running statistics excluded, as torchinfo). */
  paramsBytes: number;
  /** input + forward/backward + params (torchinfo's "Estimated Total Size"). */
  totalBytes: number;
  /** The table as printed. */
  table: string;
}

export interface SummaryOptions {
  /** Print the table: true (default, console.log, as torchinfo), false, or a function given the text. */
  print?: boolean | ((text: string) => void);
  /** dtype of the zeros input: 'float32' (default) or 'int32' (token ids for Embedding models). */
  dtype?: 'float32' | 'int32';
}

/** The first tensor in a value (depth first through arrays and plain objects), or null. */
function firstTensor(v: unknown): Tensor | null {
  if (v instanceof Tensor) return v;
  if (Array.isArray(v)) {
    for (const e of v) {
      const t = firstTensor(e);
      if (t) return t;
    }
  } else if (v !== null && typeof v === 'object') {
    for (const e of Object.values(v)) {
      const t = firstTensor(e);
      if (t) return t;
    }
  }
  return null;
}

const fmtShape = (s: readonly unknown[]): string => `[${s.join(', ')}]`;

function checkInputShape(inputShape: unknown): number[] {
  if (!Array.isArray(inputShape) || inputShape.length === 0 || !inputShape.every((d) => Number.isInteger(d) && d >= 1)) {
    const seen = Array.isArray(inputShape) ? fmtShape(inputShape) : String(inputShape);
    throw new ArgumentError(`summary: inputShape must be a non-empty array of positive integers, batch first (e.g. [1, 3, 224, 224]), got ${seen}`);
  }
  return [...inputShape] as number[];
}

interface Frame {
  row: SummaryRow;
  fieldIn: FieldState;
}

/**
 * Runs one forward pass of `model` on zeros of `inputShape` (batch included) and returns (and by
 * default prints) a torchinfo-style table: per call its output shape, parameters (trainable and
 * frozen), activation bytes, MACs, receptive field and jump, with totals and sizes in bytes.
 * @example summary(lenet5Classic(), [1, 1, 28, 28]) // prints the table; .totalParams === 61706
 */
export function summary(model: AnyModule, inputShape: readonly number[], opts: SummaryOptions = {}): ModelSummary {
  const shape = checkInputShape(inputShape);
  const dtype = opts.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'int32') throw new ArgumentError(`summary: dtype must be 'float32' or 'int32', got ${String(dtype)}`);
  const print = opts.print ?? true;
  if (typeof print !== 'boolean' && typeof print !== 'function') throw new ArgumentError(`summary: print must be a boolean or a function, got ${typeof print}`);

  const names = new Map<AnyModule, string>();
  for (const [n, m] of model.namedModules()) names.set(m, n);
  const rows: SummaryRow[] = [];
  const listed = new Set<AnyModule>();
  const stack: Frame[] = [];
  const fields = new WeakMap<Tensor, FieldState>();
  let widestSoFar = INPUT_FIELD;

  const before = (m: AnyModule, args: unknown[]): void => {
    const parent = stack[stack.length - 1];
    if (parent) parent.row.leaf = false;
    const x = firstTensor(args);
    const params = m.parameters();
    const count = (ps: typeof params): number => ps.reduce((n, p) => n + p.size, 0);
    const trainable = count(params.filter((p) => p.requiresGrad));
    const row: SummaryRow = {
      name: names.get(m) ?? moduleName(m), className: moduleName(m), depth: stack.length, leaf: true, recursive: listed.has(m),
      inputShape: x ? [...x.shape] : [], outputShape: [], params: count(params), trainableParams: trainable, frozenParams: count(params) - trainable,
      ownParams: count(m.parameters({ recurse: false })), outputBytes: 0, macs: 0, multAdds: 0, receptiveField: null, jump: null,
    };
    listed.add(m);
    rows.push(row);
    stack.push({ row, fieldIn: (x && fields.get(x)) ?? widestSoFar });
  };

  const after = (m: AnyModule, args: unknown[], output: unknown): void => {
    const { row, fieldIn } = stack.pop()!;
    const y = firstTensor(output);
    row.outputShape = y ? [...y.shape] : [];
    row.outputBytes = y ? y.size * bytesPerElement(y.dtype) : 0;
    if (row.leaf) {
      const inputs = args.filter((a): a is Tensor => a instanceof Tensor).map((t) => [...t.shape]);
      row.macs = layerMacs(m, { inputs, output: row.outputShape });
      row.multAdds = m.children().length === 0 ? torchinfoMultAdds(m, row.outputShape) : 0;
    }
    const field = (y && fields.get(y)) ?? (row.leaf ? fieldAfter(m, fieldIn, row.inputShape, row.outputShape) : widestSoFar);
    if (y) fields.set(y, field);
    if (row.outputShape.length === 4) {
      row.receptiveField = [...field.r];
      row.jump = [...field.j];
      widestSoFar = widest(widestSoFar, field);
    }
  };

  const modes = new Map(model.modules().map((m) => [m, m.training]));
  const handles: HookHandle[] = [];
  try {
    for (const m of model.modules()) handles.push(m.registerForwardPreHook(before), m.registerForwardHook(after));
    model.eval();
    noGrad(() => tidy(() => {
      const x = zeros(shape, dtype);
      fields.set(x, INPUT_FIELD);
      try {
        model.call(x);
      } catch (err) {
        // The same kind of error, saying it came from summary's input (the original as its cause).
        const E = err instanceof ShapeError ? ShapeError : err instanceof DTypeError ? DTypeError : err instanceof ArgumentError ? ArgumentError : null;
        if (E === null) throw err;
        throw new E(`summary: ${moduleName(model)} cannot run on an input of inputShape ${fmtShape(shape)} (${dtype}): ${(err as Error).message}`, { cause: err });
      }
    }));
  } finally {
    for (const h of handles) h.remove();
    for (const [m, t] of modes) m.training = t;
  }

  const params = model.parameters();
  const totalParams = params.reduce((n, p) => n + p.size, 0);
  const trainableParams = params.filter((p) => p.requiresGrad).reduce((n, p) => n + p.size, 0);
  const leaves = rows.filter((r) => r.leaf);
  const inputBytes = shape.reduce((a, b) => a * b, 1) * bytesPerElement(dtype);
  const forwardBackwardBytes = leaves.filter((r) => r.params > 0).reduce((n, r) => n + 2 * r.outputBytes, 0);
  const paramsBytes = params.reduce((n, p) => n + p.size * bytesPerElement(p.dtype), 0);
  const result: ModelSummary = {
    modelName: moduleName(model), inputShape: shape, rows, totalParams, trainableParams, nonTrainableParams: totalParams - trainableParams,
    totalMacs: leaves.reduce((n, r) => n + r.macs, 0), totalMultAdds: leaves.reduce((n, r) => n + r.multAdds, 0),
    inputBytes, forwardBackwardBytes, paramsBytes, totalBytes: inputBytes + forwardBackwardBytes + paramsBytes, table: '',
  };
  result.table = formatSummary(result);
  if (print === true) console.log(result.table);
  else if (typeof print === 'function') print(result.table);
  return result;
}
