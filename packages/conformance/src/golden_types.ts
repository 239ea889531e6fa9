// Shape of the PyTorch-generated fixtures (fixtures/gen.py writes fixtures/golden.ts).
import type { DType } from '@tensile/core';

export interface GoldenTensor {
  shape: number[];
  dtype: DType;
  values: number[];
}

export interface GoldenCase {
  name: string;
  /** The Tensile op the case calls. */
  op: string;
  /** The op's options, in Tensile's names (gen.py translates them for torch). */
  attrs: Record<string, unknown>;
  inputs: GoldenTensor[];
  outputs: GoldenTensor[];
  /** Weights W (one per output; null for integer outputs) of the gradient objective sum(op(x) * W). */
  weights?: (GoldenTensor | null)[];
  /** torch.autograd's gradient of that objective for each input (null for integer inputs). */
  grads?: (GoldenTensor | null)[];
  /** The inputs keep a margin from the op's kinks: finite differences are valid too. */
  fd: boolean;
}
