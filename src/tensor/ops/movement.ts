import { copyStrided } from "../../backend/js/elementwise.js";
import { IndexError, RuntimeError } from "../../util/errors.js";
import { legacyTypeName } from "../dtype.js";
import { contiguousStrides, formatShape, inferShape, normalizeDim, numelOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { empty, record } from "./common.js";

/** A view of `t` sharing its storage and version counter. */
function makeView(t: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  return new Tensor(t.data, shape, strides, offset, t._version, t._base ?? t);
}

/**
 * Strides that let a tensor with `oldShape`/`oldStrides` be viewed as `newShape`, or null when
 * the memory layout does not allow it (PyTorch's rule: each run of dims that is contiguous in
 * memory may be re-split freely, but runs cannot be merged).
 * @example
 * ```ts
 * viewStrides([2, 3, 4], [12, 4, 1], [6, 4]); // [4, 1]
 * viewStrides([3, 2], [1, 3], [6]); // null: a transposed matrix cannot be flattened without a copy
 * ```
 */
export function viewStrides(
  oldShape: readonly number[],
  oldStrides: readonly number[],
  newShape: readonly number[],
): number[] | null {
  if (numelOf(oldShape) === 0) return contiguousStrides(newShape);
  const os = oldShape.length === 0 ? [1] : oldShape;
  const ost = oldShape.length === 0 ? [1] : oldStrides;
  const out = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = ost[ost.length - 1] as number;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = os.length - 1; d >= 0; d--) {
    tensorNumel *= os[d] as number;
    const endOfChunk =
      d === 0 || ((os[d - 1] as number) !== 1 && (ost[d - 1] as number) !== tensorNumel * chunkBase);
    if (endOfChunk) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD] as number;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = ost[d - 1] as number;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return out;
}

/**
 * `view(shape)`: a view with a new shape, or PyTorch's error when strides forbid it.
 * @example view(tg.arange(6), [2, -1]).shape; // [2, 3]; x.t().view([6]) throws: use reshape
 */
export function view(t: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(shape, t.numel());
  const strides = viewStrides(t.shape, t.strides, target);
  if (!strides) {
    throw new RuntimeError(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  }
  const out = makeView(t, target, strides, t.offset);
  record(out, "reshape", "ViewBackward0", [t], { shape: t.shape });
  return out;
}

/**
 * `reshape(shape)`: a view when possible, otherwise a contiguous copy.
 * @example reshape(tg.arange(6).view([2, 3]).t(), [6]).tolist(); // [0, 3, 1, 4, 2, 5] (a copy)
 */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape(shape, t.numel());
  const strides = viewStrides(t.shape, t.strides, target);
  if (strides) {
    const out = makeView(t, target, strides, t.offset);
    record(out, "reshape", "ViewBackward0", [t], { shape: t.shape });
    return out;
  }
  const copy = copyContiguous(t);
  const out = makeView(copy, target, contiguousStrides(target), 0);
  record(out, "reshape", "UnsafeViewBackward0", [t], { shape: t.shape });
  return out;
}

/**
 * Flatten dims `start..end` into one.
 * @example flatten(tg.ones([2, 3, 4]), 1, -1).shape; // [2, 12], as x.flatten(1)
 */
export function flatten(t: Tensor, startDim: number, endDim: number): Tensor {
  if (t.ndim === 0) return reshape(t, [1]);
  const s = normalizeDim(startDim, t.ndim);
  const e = normalizeDim(endDim, t.ndim);
  if (s > e) throw new RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim");
  if (s === e) return t;
  const shape = [...t.shape.slice(0, s), numelOf(t.shape.slice(s, e + 1)), ...t.shape.slice(e + 1)];
  return reshape(t, shape);
}

/**
 * Swap two dims.
 * @example transpose(tg.ones([2, 3, 4]), 0, 2).shape; // [4, 3, 2] (a view: strides swapped)
 */
export function transpose(t: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim(dim0, t.ndim);
  const b = normalizeDim(dim1, t.ndim);
  const shape = [...t.shape];
  const strides = [...t.strides];
  if (t.ndim > 0) {
    [shape[a], shape[b]] = [shape[b] as number, shape[a] as number];
    [strides[a], strides[b]] = [strides[b] as number, strides[a] as number];
  }
  const out = makeView(t, shape, strides, t.offset);
  record(out, "transpose", "TransposeBackward0", [t], { dim0: a, dim1: b });
  return out;
}

/**
 * Transpose of a tensor with at most 2 dims.
 * @example t(tg.ones([2, 3])).shape; // [3, 2]; a 1-D or 0-D tensor comes back as a view of itself
 */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) {
    throw new RuntimeError(`t() expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  }
  const out =
    x.ndim < 2
      ? makeView(x, x.shape, x.strides, x.offset)
      : makeView(x, [x.shape[1]!, x.shape[0]!], [x.strides[1]!, x.strides[0]!], x.offset);
  record(out, "transpose", "TBackward0", [x], { dim0: 0, dim1: x.ndim < 2 ? 0 : 1 });
  return out;
}

/**
 * Reorder dims.
 * @example permute(tg.ones([2, 3, 4]), [2, 0, 1]).shape; // [4, 2, 3]
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw new RuntimeError(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.ndim} is not equal to len(dims) = ${dims.length}`,
    );
  }
  const nd = dims.map((d) => normalizeDim(d, x.ndim));
  if (new Set(nd).size !== nd.length) throw new RuntimeError("permute(): duplicate dims are not allowed.");
  const out = makeView(
    x,
    nd.map((d) => x.shape[d] as number),
    nd.map((d) => x.strides[d] as number),
    x.offset,
  );
  const inverse = new Array<number>(nd.length);
  nd.forEach((d, i) => (inverse[d] = i));
  record(out, "permute", "PermuteBackward0", [x], { inverse });
  return out;
}

/**
 * Insert a size-1 dim at `dim` (which may equal ndim).
 * @example unsqueeze(tg.ones([3]), 0).shape; // [1, 3]; unsqueeze(x, -1) gives [3, 1]
 */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim + 1);
  const shape = [...x.shape];
  const strides = [...x.strides];
  const stride = d < x.ndim ? (x.shape[d] as number) * (x.strides[d] as number) : 1;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, stride);
  const out = makeView(x, shape, strides, x.offset);
  record(out, "reshape", "UnsqueezeBackward0", [x], { shape: x.shape });
  return out;
}

/**
 * Remove all size-1 dims, or only `dim` when it has size 1.
 * @example squeeze(tg.ones([1, 3, 1])).shape; // [3]; squeeze(x, 0) gives [3, 1]; squeeze(x, 1) is a no-op
 */
export function squeeze(x: Tensor, dim?: number): Tensor {
  let keep: number[];
  if (dim === undefined) keep = x.shape.map((_, i) => i).filter((i) => x.shape[i] !== 1);
  else {
    const d = normalizeDim(dim, x.ndim);
    keep = x.shape.map((_, i) => i).filter((i) => i !== d || x.shape[i] !== 1);
  }
  const out = makeView(
    x,
    keep.map((i) => x.shape[i] as number),
    keep.map((i) => x.strides[i] as number),
    x.offset,
  );
  record(out, "reshape", dim === undefined ? "SqueezeBackward0" : "SqueezeBackward1", [x], {
    shape: x.shape,
  });
  return out;
}

/**
 * Broadcast to `shape` without copying (-1 keeps a dim).
 * @example expand(tg.ones([3, 1]), [2, -1, 4]); // shape [2, 3, 4], strides [0, 1, 0]: no data copied
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (shape.length < x.ndim) {
    throw new RuntimeError(
      `expand(${legacyTypeName(x.dtype)}{${formatShape(x.shape)}}, size=${formatShape(shape)}): the number of sizes provided (${shape.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`,
    );
  }
  const lead = shape.length - x.ndim;
  const outShape = new Array<number>(shape.length);
  const strides = new Array<number>(shape.length);
  for (let i = 0; i < shape.length; i++) {
    const want = shape[i] as number;
    if (i < lead) {
      if (want < 0)
        throw new RuntimeError(
          `The expanded size of the tensor (${want}) isn't allowed in a leading, non-existing dimension ${i}`,
        );
      outShape[i] = want;
      strides[i] = 0;
      continue;
    }
    const have = x.shape[i - lead] as number;
    if (want === -1 || want === have) {
      outShape[i] = have;
      strides[i] = x.strides[i - lead] as number;
    } else if (have === 1) {
      outShape[i] = want;
      strides[i] = 0;
    } else {
      throw new RuntimeError(
        `The expanded size of the tensor (${want}) must match the existing size (${have}) at non-singleton dimension ${i}.  Target sizes: ${formatShape(shape)}.  Tensor sizes: ${formatShape(x.shape)}`,
      );
    }
  }
  const out = makeView(x, outShape, strides, x.offset);
  record(out, "expand", "ExpandBackward0", [x], { shape: x.shape });
  return out;
}

/**
 * A dense row-major copy, not recorded (internal building block).
 * @example const dense = copyContiguous(x.t()); // row-major strides, no grad_fn
 */
export function copyContiguous(x: Tensor): Tensor {
  const out = empty(x.shape, x.dtype);
  copyStrided(x.data, x, out.data, out);
  return out;
}

/**
 * `x` itself if contiguous, else a recorded contiguous copy.
 * @example contiguous(x.t()).isContiguous(); // true: a recorded copy (a contiguous x comes back as is)
 */
export function contiguous(x: Tensor): Tensor {
  if (x.isContiguous()) return x;
  return clone(x);
}

/**
 * A recorded copy.
 * @example clone(w).gradFn?.name; // "CloneBackward0" when w requires grad
 */
export function clone(x: Tensor): Tensor {
  const out = copyContiguous(x);
  record(out, "identity", "CloneBackward0", [x]);
  return out;
}

/**
 * Index one position of `dim`, removing the dim.
 * @example select(tg.tensor([[1, 2, 3], [4, 5, 6]]), 1, -1).tolist(); // [3, 6], as x.select(1, -1)
 */
export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.ndim === 0) throw new IndexError("select() cannot be applied to a 0-dim tensor.");
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d] as number;
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new IndexError(
      `select(): index ${index} out of range for tensor of size ${formatShape(x.shape)} at dimension ${d}`,
    );
  }
  const i = index < 0 ? index + size : index;
  const shape = x.shape.filter((_, k) => k !== d);
  const strides = x.strides.filter((_, k) => k !== d);
  const out = makeView(x, shape, strides, x.offset + i * (x.strides[d] as number));
  record(out, "select", "SelectBackward0", [x], { shape: x.shape, dim: d, index: i });
  return out;
}

/**
 * `length` positions of `dim` from `start`.
 * @example narrow(tg.tensor([[1, 2, 3], [4, 5, 6]]), 1, 1, 2).tolist(); // [[2, 3], [5, 6]]
 */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  if (x.ndim === 0) throw new RuntimeError("narrow() cannot be applied to a 0-dim tensor.");
  if (length < 0) throw new RuntimeError("narrow(): length must be non-negative.");
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d] as number;
  if (start < -size || start > size) {
    throw new IndexError(
      `start out of range (expected to be in range of [${-size}, ${size}], but got ${start})`,
    );
  }
  const s = start < 0 ? start + size : start;
  if (s + length > size) {
    throw new RuntimeError(`start (${s}) + length (${length}) exceeds dimension size (${size}).`);
  }
  return sliceView(x, d, s, s + length, 1, "SliceBackward0");
}

/**
 * Python-style `x[start:end:step]` along `dim` (clamped like Python slicing).
 * @example slice(tg.arange(10), 0, 1, 100, 3).tolist(); // [1, 4, 7], as Python's x[1:100:3]
 */
export function slice(
  x: Tensor,
  dim: number,
  start: number | null,
  end: number | null,
  step: number,
): Tensor {
  const d = normalizeDim(dim, x.ndim);
  if (!Number.isInteger(step) || step <= 0) throw new RuntimeError("slice step must be positive");
  const size = x.shape[d] as number;
  const clampIdx = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  const s = start === null ? 0 : clampIdx(start);
  const e = Math.max(end === null ? size : clampIdx(end), s);
  return sliceView(x, d, s, e, step, "SliceBackward0");
}

function sliceView(x: Tensor, d: number, start: number, end: number, step: number, name: string): Tensor {
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape[d] = Math.ceil((end - start) / step);
  strides[d] = (x.strides[d] as number) * step;
  const out = makeView(x, shape, strides, x.offset + start * (x.strides[d] as number));
  record(out, "slice", name, [x], { shape: x.shape, dim: d, start, step });
  return out;
}

/**
 * Views of consecutive chunks of `splitSize` along `dim`.
 * @example split(tg.arange(5), 2, 0).map((p) => p.tolist()); // [[0, 1], [2, 3], [4]]
 */
export function split(x: Tensor, splitSize: number, dim: number): Tensor[] {
  if (!Number.isInteger(splitSize) || splitSize < 0) {
    throw new RuntimeError(`split expects split_size be non-negative, but got split_size=${splitSize}`);
  }
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d] as number;
  if (splitSize === 0 && size !== 0) {
    throw new RuntimeError(
      `split_size can only be 0 if dimension size is 0, but got dimension size of ${size}`,
    );
  }
  // PyTorch: max(ceil(size / splitSize), 1) chunks, the last one possibly shorter (or empty).
  const count = splitSize === 0 ? 1 : Math.max(Math.ceil(size / splitSize), 1);
  const out: Tensor[] = [];
  for (let i = 0; i < count; i++) {
    const s = i * splitSize;
    out.push(sliceView(x, d, s, Math.min(s + splitSize, size), 1, "SplitBackward0"));
  }
  return out;
}

/**
 * `chunks` nearly equal views along `dim` (the last may be smaller).
 * @example chunk(tg.arange(6), 4, 0).length; // 3 (chunks of ceil(6 / 4) = 2), as in PyTorch
 */
export function chunk(x: Tensor, chunks: number, dim: number): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0)
    throw new RuntimeError("chunk expects `chunks` to be greater than 0, got: " + chunks);
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d] as number;
  if (size === 0) {
    // An empty dim splits into `chunks` empty views, as PyTorch's chunk does.
    return Array.from({ length: chunks }, () => sliceView(x, d, 0, 0, 1, "SplitBackward0"));
  }
  return split(x, Math.ceil(size / chunks), d);
}

/**
 * Tile the tensor `repeats[i]` times along each dim.
 * @example repeat(tg.tensor([1, 2]), [2, 2]).tolist(); // [[1, 2, 1, 2], [1, 2, 1, 2]]
 */
export function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  if (repeats.length < x.ndim) {
    throw new RuntimeError(
      "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
    );
  }
  const lead = repeats.length - x.ndim;
  const padded = [...new Array<number>(lead).fill(1), ...x.shape];
  const outShape = padded.map((s, i) => s * (repeats[i] as number));
  // Expand a [r0, s0, r1, s1, ...] view of the input and copy it: each block is one repetition.
  const inter: number[] = [];
  const interStrides: number[] = [];
  const xs = [...new Array<number>(lead).fill(0), ...x.strides];
  padded.forEach((s, i) => {
    inter.push(repeats[i] as number, s);
    interStrides.push(0, xs[i] as number);
  });
  const out = empty(outShape, x.dtype);
  copyStrided(x.data, { shape: inter, strides: interStrides, offset: x.offset }, out.data, {
    shape: inter,
    strides: contiguousStrides(inter),
    offset: 0,
  });
  record(out, "repeat", "RepeatBackward0", [x], { shape: x.shape, repeats: [...repeats] });
  return out;
}

/**
 * Re-apply a recorded view op to a fresh tensor (used by backward rules to place gradients).
 * @example applySliceLike(zeros, "select", { dim: 1, index: 2 }, 1); // where x.select(1, 2) read from
 */
export function applySliceLike(
  target: Tensor,
  op: "select" | "slice",
  ctx: { dim: number; index?: number; start?: number; step?: number },
  length: number,
): Tensor {
  if (op === "select") return select(target, ctx.dim, ctx.index as number);
  return sliceView(
    target,
    ctx.dim,
    ctx.start as number,
    (ctx.start as number) + length * (ctx.step as number),
    ctx.step as number,
    "SliceBackward0",
  );
}
