// The JS backend object: owns plain typed arrays and runs every kernel on the CPU thread.
import { DisposedError, SPEC_VERSION, allocate } from '@tensile/core';
import type { Backend, DataId, DType, FusedKernelTable, KernelTable, TensorInfo, TypedArray } from '@tensile/core';
import { fused, kernels } from './kernels/index.js';

/** What a JS backend DataId holds: the tensor's values, contiguous and row-major. */
export interface JsData {
  values: TypedArray;
}

/** The plain-TypeScript reference backend. */
export interface JsBackend extends Backend {
  readonly name: 'js';
  readonly kernels: KernelTable<JsBackend>;
  readonly fused: FusedKernelTable<JsBackend>;
  readSync(id: DataId): TypedArray;
  /** The values behind a tensor, not a copy: kernels read them and never write. */
  values(info: TensorInfo): TypedArray;
  /** Adopts freshly computed `values` as a kernel's output tensor. */
  output(values: TypedArray, shape: number[], dtype: DType): TensorInfo;
}

/** Creates a JS backend with its own buffer accounting. */
export function createJsBackend(): JsBackend {
  const live = new Set<JsData>();
  let bytes = 0;

  const adopt = (values: TypedArray): JsData => {
    const data: JsData = { values };
    live.add(data);
    bytes += values.byteLength;
    return data;
  };
  const dataOf = (id: DataId): JsData => {
    if (!live.has(id as JsData)) throw new DisposedError('js backend: the data id is disposed or belongs to another backend');
    return id as JsData;
  };

  return {
    name: 'js',
    specVersion: SPEC_VERSION,
    kernels,
    fused,
    write(values, shape, dtype) {
      // Copy into the dtype's own storage, so the caller keeps ownership of `values`.
      const copy = allocate(dtype, values.length);
      copy.set(values);
      return adopt(copy);
    },
    read(id) {
      return Promise.resolve(dataOf(id).values.slice());
    },
    readSync(id) {
      return dataOf(id).values.slice();
    },
    dispose(id) {
      const data = id as JsData;
      if (!live.delete(data)) return;
      bytes -= data.values.byteLength;
    },
    memory() {
      return { buffers: live.size, bytes };
    },
    values(info) {
      return dataOf(info.id).values;
    },
    output(values, shape, dtype) {
      return { id: adopt(values), shape, dtype };
    },
  };
}
