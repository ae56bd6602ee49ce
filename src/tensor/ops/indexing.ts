import { copyStrided, mapBinary, mapTernary } from "../../backend/js/elementwise.js";
import { elementOffsets } from "../../backend/js/strided-loop.js";
import { IndexError, RuntimeError } from "../../util/errors.js";
import { broadcastShapes, contiguousStrides, formatShape, normalizeDim, shapesEqual } from "../shape.js";
import { Tensor } from "../tensor.js";
import { broadcastTo, castScalar, empty, record, resultType } from "./common.js";

function checkIndexTensor(index: Tensor, what: string): void {
  if (!(index instanceof Tensor)) throw new TypeError(`${what}(): index must be a Tensor`);
  if (index.dtype !== "int32") {
    throw new RuntimeError(
      `${what}(): Expected dtype ${what === "index_select" ? "int32 or int64" : "int64"} for index`,
    );
  }
}

/**
 * Slices of `x` along `dim` picked by a 1-D (or 0-D) int index tensor.
 * @example indexSelect(tg.tensor([[1, 2], [3, 4], [5, 6]]), 0, tg.tensor([2, 0])); // [[5, 6], [1, 2]]
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndexTensor(index, "index_select");
  if (index.ndim > 1) throw new IndexError("index_select(): Index is supposed to be a vector");
  const d = normalizeDim(dim, x.ndim);
  const size = x.ndim === 0 ? 1 : (x.shape[d] as number);
  const ids = elementOffsets(index.shape, index.strides, index.offset);
  const n = ids.length;
  const outShape = x.ndim === 0 ? [...index.shape] : [...x.shape];
  if (x.ndim > 0) outShape[d] = n;
  const out = empty(outShape, x.dtype);
  const outStrides = contiguousStrides(outShape);
  // Copy one slice per index: the slice of x at position i goes to position j of the output.
  const sliceShape = x.shape.filter((_, k) => k !== d);
  const xStrides = x.strides.filter((_, k) => k !== d);
  const oStrides = outStrides.filter((_, k) => k !== d);
  for (let j = 0; j < n; j++) {
    const i = index.data[ids[j] as number] as number;
    if (i < 0 || i >= size) throw new IndexError("index out of range in self");
    copyStrided(
      x.data,
      {
        shape: sliceShape,
        strides: xStrides,
        offset: x.offset + i * (x.ndim === 0 ? 0 : (x.strides[d] as number)),
      },
      out.data,
      { shape: sliceShape, strides: oStrides, offset: j * (x.ndim === 0 ? 1 : (outStrides[d] as number)) },
    );
  }
  const node = record(out, "indexSelect", "IndexSelectBackward0", [x], { dim: d, shape: x.shape });
  if (node) node.save([index]);
  return out;
}

/** Visit every position of `shape` with its row-major multi-index (reused array). */
function forEachIndex(shape: readonly number[], visit: (idx: number[], flat: number) => void): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n === 0) return;
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    visit(idx, flat);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++(idx[d] as number) < (shape[d] as number)) break;
      idx[d] = 0;
    }
  }
}

function checkGatherShapes(x: Tensor, d: number, index: Tensor, other = "self"): void {
  if (index.ndim !== x.ndim && !(index.ndim <= 1 && x.ndim <= 1)) {
    throw new RuntimeError(
      `Index tensor must have the same number of dimensions as ${other === "self" ? "input" : other} tensor`,
    );
  }
  for (let k = 0; k < index.ndim; k++) {
    if (k !== d && (index.shape[k] as number) > (x.shape[k] as number)) {
      throw new RuntimeError(
        `Size does not match at dimension ${k} expected index ${formatShape(index.shape)} to be smaller than ${other} ${formatShape(x.shape)} apart from dimension ${d}`,
      );
    }
  }
}

/**
 * `out[..i..] = x[..index[..i..]..]` along `dim`.
 * @example gather(tg.tensor([[1, 2], [3, 4]]), 1, tg.tensor([[1, 0], [0, 0]])).tolist(); // [[2, 1], [3, 3]]
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndexTensor(index, "gather");
  const d = normalizeDim(dim, x.ndim);
  checkGatherShapes(x, d, index);
  const size = x.ndim === 0 ? 1 : (x.shape[d] as number);
  const out = empty(index.shape, x.dtype);
  forEachIndex(index.shape, (p, flat) => {
    let io = index.offset;
    let xo = x.offset;
    for (let k = 0; k < p.length; k++) {
      io += (p[k] as number) * (index.strides[k] as number);
      if (k !== d) xo += (p[k] as number) * (x.strides[k] as number);
    }
    const i = index.data[io] as number;
    if (i < -size || i >= size)
      throw new RuntimeError(`index ${i} is out of bounds for dimension ${d} with size ${size}`);
    out.data[flat] = x.data[
      xo + (i < 0 ? i + size : i) * (x.ndim === 0 ? 0 : (x.strides[d] as number))
    ] as number;
  });
  const node = record(out, "gather", "GatherBackward0", [x], { dim: d, shape: x.shape });
  if (node) node.save([index]);
  return out;
}

/**
 * `target[..index[..i..]..] += src[..i..]` along `dim`, in place on a contiguous `target`
 * (`scatter_add_`, the backward of gather). Not recorded.
 * @example
 * ```ts
 * const t = tg.zeros([3]);
 * scatterAddInto(t, 0, tg.tensor([0, 2, 0]), tg.tensor([1, 2, 3], { dtype: "float32" })); // t: [4, 0, 2]
 * ```
 */
export function scatterAddInto(target: Tensor, dim: number, index: Tensor, src: Tensor): void {
  const d = normalizeDim(dim, target.ndim);
  const size = target.ndim === 0 ? 1 : (target.shape[d] as number);
  forEachIndex(index.shape, (p) => {
    let io = index.offset;
    let so = src.offset;
    let to = target.offset;
    for (let k = 0; k < p.length; k++) {
      io += (p[k] as number) * (index.strides[k] as number);
      so += (p[k] as number) * (src.strides[k] as number);
      if (k !== d) to += (p[k] as number) * (target.strides[k] as number);
    }
    let i = index.data[io] as number;
    if (i < -size || i >= size)
      throw new RuntimeError(`index ${i} is out of bounds for dimension ${d} with size ${size}`);
    if (i < 0) i += size;
    const at = to + i * (target.ndim === 0 ? 0 : (target.strides[d] as number));
    target.data[at] = (target.data[at] as number) + (src.data[so] as number);
  });
}

/**
 * `target.index_add_(dim, index, src)`: add slice j of `src` into slice index[j] of `target`.
 * Not recorded (backward of indexSelect and embedding).
 * @example
 * ```ts
 * const g = tg.zeros([3, 2]);
 * indexAddInto(g, 0, tg.tensor([2, 0, 2]), tg.ones([3, 2])); // g: [[1, 1], [0, 0], [2, 2]]
 * ```
 */
export function indexAddInto(target: Tensor, dim: number, index: Tensor, src: Tensor): void {
  const d = normalizeDim(dim, target.ndim);
  const ids = elementOffsets(index.shape, index.strides, index.offset);
  const sliceShape = target.shape.filter((_, k) => k !== d);
  const tStrides = target.strides.filter((_, k) => k !== d);
  const sStrides = src.strides.filter((_, k) => k !== d);
  const tmpT = { shape: sliceShape, strides: tStrides, offset: 0 };
  for (let j = 0; j < ids.length; j++) {
    const i = index.data[ids[j] as number] as number;
    const to = target.offset + i * (target.ndim === 0 ? 0 : (target.strides[d] as number));
    const so = src.offset + j * (src.ndim === 0 ? 0 : (src.strides[d] as number));
    mapTernary(
      (a, b) => a + b,
      target.data,
      { ...tmpT, offset: to },
      src.data,
      { shape: sliceShape, strides: sStrides, offset: so },
      target.data,
      { ...tmpT, offset: to },
      target.data,
      { ...tmpT, offset: to },
    );
  }
}

/**
 * Concatenate along an existing dim.
 * @example tg.cat([tg.ones([2, 3]), tg.zeros([1, 3])]).shape; // [3, 3]; along dim 1: tg.cat([a, b], 1)
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new RuntimeError("torch.cat(): expected a non-empty list of Tensors");
  }
  // PyTorch skips legacy empty 1-D tensors of shape [0].
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.shape[0] === 0));
  if (parts.length === 0) return empty([0], resultType(...tensors));
  const ref = parts[0] as Tensor;
  if (ref.ndim === 0)
    throw new RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated");
  const d = normalizeDim(dim, ref.ndim);
  const dtype = resultType(...parts);
  let total = 0;
  parts.forEach((t, i) => {
    if (t.ndim !== ref.ndim) {
      throw new RuntimeError(`Tensors must have same number of dimensions: got ${ref.ndim} and ${t.ndim}`);
    }
    for (let k = 0; k < ref.ndim; k++) {
      if (k !== d && t.shape[k] !== ref.shape[k]) {
        throw new RuntimeError(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${t.shape[k]} for tensor number ${i} in the list.`,
        );
      }
    }
    total += t.shape[d] as number;
  });
  const outShape = [...ref.shape];
  outShape[d] = total;
  const out = empty(outShape, dtype);
  const outStrides = contiguousStrides(outShape);
  let at = 0;
  const sizes: number[] = [];
  for (const t of parts) {
    copyStrided(t.data, t, out.data, {
      shape: t.shape,
      strides: outStrides,
      offset: at * (outStrides[d] as number),
    });
    at += t.shape[d] as number;
    sizes.push(t.shape[d] as number);
  }
  record(out, "cat", "CatBackward0", parts, { dim: d, sizes });
  return out;
}

/**
 * Stack equal-shaped tensors along a new dim.
 * @example tg.stack([tg.ones([2, 3]), tg.zeros([2, 3])], 1).shape; // [2, 2, 3]
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0)
    throw new RuntimeError("stack expects a non-empty TensorList");
  const ref = tensors[0] as Tensor;
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, ref.shape)) {
      throw new RuntimeError(
        `stack expects each tensor to be equal size, but got ${formatShape(ref.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`,
      );
    }
  });
  const d = normalizeDim(dim, ref.ndim + 1);
  const dtype = resultType(...tensors);
  const outShape = [...ref.shape];
  outShape.splice(d, 0, tensors.length);
  const out = empty(outShape, dtype);
  const outStrides = contiguousStrides(outShape);
  const sliceStrides = outStrides.filter((_, k) => k !== d);
  tensors.forEach((t, i) => {
    copyStrided(t.data, t, out.data, {
      shape: t.shape,
      strides: sliceStrides,
      offset: i * (outStrides[d] as number),
    });
  });
  record(out, "stack", "StackBackward0", tensors, { dim: d });
  return out;
}

/**
 * `x` with `value` where `mask` is true; `x` and the mask broadcast together, as in PyTorch.
 * @example maskedFill(tg.tensor([1, 2, 3]), tg.tensor([true, false, true]), 0).tolist(); // [0, 2, 0]
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  checkMask(mask);
  const shape = broadcastShapes(x.shape, mask.shape);
  const v = castScalar(value, x.dtype);
  const out = empty(shape, x.dtype);
  mapBinary(
    (m, a) => (m !== 0 ? v : a),
    mask.data,
    broadcastTo(mask, shape),
    x.data,
    broadcastTo(x, shape),
    out.data,
    out,
  );
  const node = record(out, "maskedFill", "MaskedFillBackward0", [x]);
  if (node) node.save([mask]);
  return out;
}

/**
 * PyTorch's check that a mask is boolean (its message names the C type of the dtype).
 * @example checkMask(tg.tensor([1, 0])); // RuntimeError: "... but got mask with dtype long int"
 */
export function checkMask(mask: Tensor): void {
  if (!(mask instanceof Tensor)) throw new TypeError("masked_fill(): mask must be a Tensor");
  if (mask.dtype !== "bool") {
    const cName = { float32: "float", float64: "double", int32: "long int", bool: "bool" }[mask.dtype];
    throw new RuntimeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${cName}`);
  }
}
