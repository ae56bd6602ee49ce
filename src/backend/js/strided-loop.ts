/**
 * The row walker shared by every strided kernel: it merges dimensions that are contiguous for all
 * operands, then calls `row` once per innermost run with the start offset of each operand. Work
 * per element then stays inside the caller's tight loop, which V8 optimises well, while the
 * N-dimensional bookkeeping runs once per row.
 */

/**
 * Merge adjacent dims that every operand walks contiguously; drops size-1 dims.
 * @example
 * ```ts
 * coalesce([2, 3, 4], [[12, 4, 1]]); // { shape: [24], strides: [[1]] }: one contiguous run
 * coalesce([2, 1, 3], [[3, 3, 1], [0, 0, 1]]); // { shape: [2, 3], strides: [[3, 1], [0, 1]] }
 * ```
 */
export function coalesce(
  shape: readonly number[],
  strides: ReadonlyArray<readonly number[]>,
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d] as number;
    if (size === 1) continue;
    const last = outShape.length - 1;
    let merge = last >= 0;
    if (merge) {
      for (let k = 0; k < strides.length; k++) {
        const s = outStrides[k] as number[];
        // The previous (outer) dim can absorb this one when its stride equals this stride × size.
        if ((s[last] as number) !== (strides[k]![d] as number) * size) {
          merge = false;
          break;
        }
      }
    }
    if (merge) {
      outShape[last] = (outShape[last] as number) * size;
      for (let k = 0; k < strides.length; k++) {
        (outStrides[k] as number[])[last] = strides[k]![d] as number;
      }
    } else {
      outShape.push(size);
      for (let k = 0; k < strides.length; k++) (outStrides[k] as number[]).push(strides[k]![d] as number);
    }
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Visit every innermost row of an N-d iteration. `row(starts, length, innerStrides)` receives the
 * offset of the row's first element for each operand (the array is reused between calls).
 * @example
 * ```ts
 * forEachRow([2, 3], [[3, 1], [1, 2]], [0, 0], (starts, n, inner) => {
 *   // called twice: starts [0, 0] then [3, 1], n = 3, inner = [1, 2]
 * });
 * ```
 */
export function forEachRow(
  shape: readonly number[],
  strides: ReadonlyArray<readonly number[]>,
  offsets: readonly number[],
  row: (starts: number[], length: number, innerStrides: number[]) => void,
): void {
  for (const d of shape) if (d === 0) return;
  const c = coalesce(shape, strides);
  const nops = offsets.length;
  const starts = offsets.slice();
  const ndim = c.shape.length;
  if (ndim === 0) {
    row(starts, 1, new Array<number>(nops).fill(0));
    return;
  }
  const inner = c.shape[ndim - 1] as number;
  const innerStrides = c.strides.map((s) => s[ndim - 1] as number);
  if (ndim === 1) {
    row(starts, inner, innerStrides);
    return;
  }
  const outer = ndim - 1;
  const counter = new Array<number>(outer).fill(0);
  const base = offsets.slice();
  for (;;) {
    for (let k = 0; k < nops; k++) starts[k] = base[k] as number;
    row(starts, inner, innerStrides);
    let d = outer - 1;
    for (; d >= 0; d--) {
      const cd = (counter[d] as number) + 1;
      if (cd < (c.shape[d] as number)) {
        counter[d] = cd;
        for (let k = 0; k < nops; k++) base[k] = (base[k] as number) + (c.strides[k]![d] as number);
        break;
      }
      counter[d] = 0;
      for (let k = 0; k < nops; k++) {
        base[k] = (base[k] as number) - (c.strides[k]![d] as number) * ((c.shape[d] as number) - 1);
      }
    }
    if (d < 0) return;
  }
}

/**
 * The storage offsets of every element in row-major order of `shape` (small tensors, indexing).
 * @example elementOffsets([2, 2], [1, 2], 0) // Int32Array [0, 2, 1, 3]
 */
export function elementOffsets(
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): Int32Array {
  let n = 1;
  for (const d of shape) n *= d;
  const out = new Int32Array(n);
  let i = 0;
  forEachRow(shape, [strides], [offset], (starts, len, inner) => {
    let o = starts[0] as number;
    const s = inner[0] as number;
    for (let j = 0; j < len; j++, o += s) out[i++] = o;
  });
  return out;
}
