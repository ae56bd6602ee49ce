/**
 * Where a tensor's elements sit in its storage: element `idx` (a multi-index) is at
 * `offset + Σ idx[d] * strides[d]`. Kernels receive buffers plus layouts and never see a Tensor.
 *
 * @example
 * ```ts
 * const transposed: Layout = { shape: [3, 2], strides: [1, 3], offset: 0 };
 * ```
 */
export interface Layout {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Any storage a kernel can read or write. */
export type Buffer = Float32Array | Float64Array | Int32Array | Uint8Array;

/** Floating storage, the only kind compute-bound kernels accept. */
export type FloatBuffer = Float32Array | Float64Array;
