/**
 * Index helpers shared by the PyTorch and numpy printers, which walk row-major values the same
 * way: a dimension longer than `2 * edgeitems` is summarised to its first and last `edgeitems`.
 */

/**
 * Row-major (C-order) strides of `shape`, in elements.
 * @example rowMajorStrides([2, 3, 4]) // [12, 4, 1]
 */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= shape[d] as number;
  }
  return strides;
}

/** The indices printed along one dimension and whether a `...` goes between them. */
export interface KeptIndices {
  /** Indices before the ellipsis (all of them when nothing is elided). */
  leading: number[];
  /** Indices after the ellipsis (empty when nothing is elided). */
  trailing: number[];
  /** Whether the dimension is summarised. */
  elided: boolean;
}

/**
 * Which indices of a dimension of length `size` are printed.
 * @example keptIndices(10, 3, true) // { leading: [0, 1, 2], trailing: [7, 8, 9], elided: true }
 */
export function keptIndices(size: number, edgeitems: number, summarize: boolean): KeptIndices {
  const range = (from: number, to: number) =>
    Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  if (summarize && size > 2 * edgeitems) {
    return { leading: range(0, edgeitems), trailing: range(size - edgeitems, size), elided: true };
  }
  return { leading: range(0, size), trailing: [], elided: false };
}

/**
 * The values that remain after summarising every dimension (PyTorch's `get_summarized_data`,
 * numpy's `_leading_trailing`), in row-major order. Without `summarize`, all values.
 * @example summarizedValues([0, 1, 2, 3, 4, 5, 6, 7], [8], 2, true) // [0, 1, 6, 7]
 */
export function summarizedValues(
  values: ArrayLike<number>,
  shape: readonly number[],
  edgeitems: number,
  summarize: boolean,
): number[] {
  if (!summarize) return Array.from(values);
  const strides = rowMajorStrides(shape);
  const out: number[] = [];
  const walk = (dim: number, offset: number): void => {
    if (dim === shape.length) {
      out.push(values[offset] as number);
      return;
    }
    const { leading, trailing } = keptIndices(shape[dim] as number, edgeitems, true);
    for (const i of leading) walk(dim + 1, offset + i * (strides[dim] as number));
    for (const i of trailing) walk(dim + 1, offset + i * (strides[dim] as number));
  };
  walk(0, 0);
  return out;
}
