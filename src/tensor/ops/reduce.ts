import { mapBinary, mapUnary } from "../../backend/js/elementwise.js";
import { planReduce, reduceExtreme, reduceProd, reduceSum, reduceVar } from "../../backend/js/reduce.js";
import { IndexError, RuntimeError } from "../../util/errors.js";
import { isFloatingDType, type DType } from "../dtype.js";
import { normalizeDim, normalizeDims, shapesEqual } from "../shape.js";
import type { Tensor, VarOptions } from "../tensor.js";
import { broadcastTo, empty, record } from "./common.js";
import { expand, reshape } from "./movement.js";

type Dims = number | readonly number[] | null;

/** Dims to reduce: all when `dims` is null or an empty list (PyTorch's legacy `dim=[]`). */
function resolveDims(t: Tensor, dims: Dims): number[] {
  if (dims === null || (Array.isArray(dims) && dims.length === 0)) return normalizeDims(undefined, t.ndim);
  return normalizeDims(dims, t.ndim);
}

/**
 * The shape after reducing `dims`.
 * @example reducedShape([2, 3, 4], [1], false); // [2, 4]; with keepdim true: [2, 1, 4]
 */
export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  shape.forEach((s, i) => {
    if (!dims.includes(i)) out.push(s);
    else if (keepdim) out.push(1);
  });
  return out;
}

/**
 * PyTorch's checks for reductions without an identity (max, min, argmax, ...): reducing everything
 * of an empty tensor asks for a dim; reducing over a dim of size 0 names that dim.
 */
function checkNonEmpty(t: Tensor, dim: Dims, dims: readonly number[], name: string, allHint = true): void {
  if (t.numel() !== 0) return;
  if (dim === null || (Array.isArray(dim) && dim.length === 0)) {
    const msg = `${name}(): Expected reduction dim to be specified for input.numel() == 0.`;
    if (allHint) throw new RuntimeError(`${msg} Specify the reduction dim with the 'dim' argument.`);
    throw new IndexError(msg);
  }
  for (const d of dims) {
    if (t.shape[d] === 0) {
      throw new IndexError(`${name}(): Expected reduction dim ${d} to have non-zero size.`);
    }
  }
}

/**
 * Sum over dims; integer and bool inputs sum to int (PyTorch's int64).
 * @example sum(tg.tensor([[1, 2, 3], [4, 5, 6]]), 1, false).tolist(); // [6, 15] (int32), as x.sum(1)
 */
export function sum(t: Tensor, dim: Dims, keepdim: boolean): Tensor {
  const dims = resolveDims(t, dim);
  const dtype: DType = isFloatingDType(t.dtype) ? t.dtype : "int32";
  const out = empty(reducedShape(t.shape, dims, keepdim), dtype);
  reduceSum(t.data, planReduce(t, dims), out.data);
  record(out, "sum", dim === null ? "SumBackward0" : "SumBackward1", [t], { dims, keepdim, shape: t.shape });
  return out;
}

/**
 * Mean over dims (floating inputs only, as in PyTorch).
 * @example mean(x, [0, 1], true); // shape [1, 1], as x.mean([0, 1], true); an int32 x throws RuntimeError
 */
export function mean(t: Tensor, dim: Dims, keepdim: boolean): Tensor {
  if (!isFloatingDType(t.dtype)) {
    throw new RuntimeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${t.dtype === "bool" ? "Bool" : "Long"}`,
    );
  }
  const dims = resolveDims(t, dim);
  let count = 1;
  for (const d of dims) count *= t.shape[d] ?? 1;
  const out = empty(reducedShape(t.shape, dims, keepdim), t.dtype);
  reduceSum(t.data, planReduce(t, dims), out.data);
  // Round the sum to the dtype first, then divide, as PyTorch does (sum kernel, then div).
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = (o[i] as number) / count;
  record(out, "mean", dim === null ? "MeanBackward0" : "MeanBackward1", [t], {
    dims,
    keepdim,
    shape: t.shape,
    count,
  });
  return out;
}

/**
 * Product over all elements or one dim.
 * @example prod(tg.tensor([[1, 2, 3], [4, 5, 6]]), 1, false).tolist(); // [6, 120]; dim null gives 720
 */
export function prod(t: Tensor, dim: number | null, keepdim: boolean): Tensor {
  const dims = dim === null ? resolveDims(t, null) : [normalizeDim(dim, t.ndim)];
  const dtype: DType = isFloatingDType(t.dtype) ? t.dtype : "int32";
  const out = empty(reducedShape(t.shape, dims, keepdim), dtype);
  reduceProd(t.data, planReduce(t, dims), out.data);
  const node = record(out, "prod", dim === null ? "ProdBackward0" : "ProdBackward1", [t], {
    dims,
    keepdim,
    shape: t.shape,
  });
  if (node) node.save([t]);
  return out;
}

/**
 * amax/amin over dims (values only; ties share the gradient).
 * @example amaxAmin(tg.tensor([[1, 2, 3], [4, 5, 6]]), 1, false, true).tolist(); // [3, 6], as x.amax(1)
 */
export function amaxAmin(t: Tensor, dim: Dims, keepdim: boolean, wantMax: boolean): Tensor {
  const dims = resolveDims(t, dim);
  checkNonEmpty(t, dim, dims, wantMax ? "amax" : "amin");
  const out = empty(reducedShape(t.shape, dims, keepdim), t.dtype);
  reduceExtreme(t.data, planReduce(t, dims), wantMax, out.data, null);
  const node = record(out, "amax", wantMax ? "AmaxBackward0" : "AminBackward0", [t], {
    dims,
    keepdim,
    shape: t.shape,
  });
  if (node) node.save([t, out], [false, true]);
  return out;
}

/**
 * max()/min() of all elements.
 * @example maxAll(tg.tensor([[1, 2, 3], [4, 5, 6]]), true).item(); // 6, as x.max(); wantMax false: 1
 */
export function maxAll(t: Tensor, wantMax: boolean): Tensor {
  if (t.numel() === 0) {
    throw new RuntimeError(
      `${wantMax ? "max" : "min"}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`,
    );
  }
  const dims = resolveDims(t, null);
  const out = empty([], t.dtype);
  reduceExtreme(t.data, planReduce(t, dims), wantMax, out.data, null);
  const node = record(out, "amax", wantMax ? "MaxBackward1" : "MinBackward1", [t], {
    dims,
    keepdim: false,
    shape: t.shape,
  });
  if (node) node.save([t, out], [false, true]);
  return out;
}

/**
 * max(dim)/min(dim): values and the index of the first extreme.
 * @example
 * ```ts
 * const { values, indices } = maxDim(tg.tensor([[1, 7, 7], [9, 2, 3]]), 1, false, true);
 * // values [7, 9], indices [1, 0] (int32; the first of tied maxima), as x.max(1)
 * ```
 */
export function maxDim(
  t: Tensor,
  dim: number,
  keepdim: boolean,
  wantMax: boolean,
): { values: Tensor; indices: Tensor } {
  const d = normalizeDim(dim, t.ndim);
  if ((t.shape[d] ?? 1) === 0) {
    throw new IndexError(`${wantMax ? "max" : "min"}(): Expected reduction dim ${d} to have non-zero size.`);
  }
  const dims = t.ndim === 0 ? [] : [d];
  const shape = reducedShape(t.shape, dims, keepdim);
  const values = empty(shape, t.dtype);
  const indices = empty(shape, "int32");
  reduceExtreme(t.data, planReduce(t, dims), wantMax, values.data, indices.data as Int32Array);
  const node = record(values, "maxDim", wantMax ? "MaxBackward0" : "MinBackward0", [t], {
    dim: d,
    keepdim,
    shape: t.shape,
  });
  if (node) node.save([indices]);
  return { values, indices };
}

/**
 * argmax/argmin, flattened when `dim` is null.
 * @example argExtreme(tg.tensor([[1, 7], [9, 2]]), null, false, true).item(); // 2: a flat index
 */
export function argExtreme(t: Tensor, dim: number | null, keepdim: boolean, wantMax: boolean): Tensor {
  const name = wantMax ? "argmax" : "argmin";
  if (dim === null) {
    checkNonEmpty(t, null, [], name, false);
    const flat = reshape(t.isContiguous() ? t : t.contiguous(), [-1]);
    const out = empty(keepdim ? t.shape.map(() => 1) : [], "int32");
    reduceExtreme(flat.data, planReduce(flat, [0]), wantMax, null, out.data as Int32Array);
    return out;
  }
  const d = normalizeDim(dim, t.ndim);
  const dims = t.ndim === 0 ? [] : [d];
  checkNonEmpty(t, dim, dims, name);
  const out = empty(reducedShape(t.shape, dims, keepdim), "int32");
  reduceExtreme(t.data, planReduce(t, dims), wantMax, null, out.data as Int32Array);
  return out;
}

/**
 * var/std with `correction` (default 1).
 * @example
 * ```ts
 * variance(tg.tensor([1, 2, 3, 4], { dtype: "float64" }), null, {}, false).item(); // 1.6666666666666667
 * variance(x, null, { correction: 0 }, true); // population std, as x.std(null, { correction: 0 })
 * ```
 */
export function variance(t: Tensor, dim: Dims, options: VarOptions, isStd: boolean): Tensor {
  if (!isFloatingDType(t.dtype))
    throw new RuntimeError("std and var only support floating point and complex dtypes");
  const correction = options.correction ?? (options.unbiased === false ? 0 : 1);
  const keepdim = options.keepdim ?? false;
  const dims = resolveDims(t, dim);
  const out = empty(reducedShape(t.shape, dims, keepdim), t.dtype);
  reduceVar(t.data, planReduce(t, dims), correction, out.data);
  if (isStd) {
    const o = out.data;
    for (let i = 0; i < o.length; i++) o[i] = Math.sqrt(o[i] as number);
  }
  const node = record(out, isStd ? "std" : "var", isStd ? "StdBackward0" : "VarBackward0", [t], {
    dims,
    keepdim,
    correction,
    shape: t.shape,
  });
  if (node) node.save(isStd ? [t, out] : [t], isStd ? [false, true] : []);
  return out;
}

/**
 * Reshape a reduced tensor so it broadcasts against the input (re-insert dropped dims).
 * @example unsqueezeReduced(g, [2, 3], [1], false).shape; // [2, 1] for a g of shape [2]
 */
export function unsqueezeReduced(
  g: Tensor,
  inputShape: readonly number[],
  dims: readonly number[],
  keepdim: boolean,
): Tensor {
  if (keepdim) return g;
  return reshape(g, reducedShape(inputShape, dims, true));
}

/**
 * A reduced tensor broadcast back to the input shape (a view).
 * @example expandReduced(g, [2, 3], [1], false); // g of shape [2] seen as [2, 3] (strides [1, 0])
 */
export function expandReduced(
  g: Tensor,
  inputShape: readonly number[],
  dims: readonly number[],
  keepdim: boolean,
): Tensor {
  return expand(unsqueezeReduced(g, inputShape, dims, keepdim), inputShape);
}

/**
 * `log(sum(exp(x)))` computed as PyTorch does: max-shifted, with infinite maxima treated as 0.
 * @example logsumexp(tg.tensor([1000, 1000], { dtype: "float64" }), 0, false).item(); // 1000.6931471805599
 */
export function logsumexp(t: Tensor, dim: number | readonly number[], keepdim: boolean): Tensor {
  const dims = resolveDims(t, dim);
  const dtype = isFloatingDType(t.dtype) ? t.dtype : "float32";
  const plan = planReduce(t, dims);
  const maxes = new Float64Array(plan.outer);
  reduceExtreme(t.data, plan, true, maxes, null);
  const out = empty(reducedShape(t.shape, dims, keepdim), dtype);
  const { outer, inner, bases, stride, rel } = plan;
  const src = t.data;
  for (let o = 0; o < outer; o++) {
    if (inner === 0) {
      out.data[o] = -Infinity;
      continue;
    }
    let m = maxes[o] as number;
    if (!Number.isFinite(m) && !Number.isNaN(m)) m = 0;
    const base = bases[o] as number;
    let s = 0;
    for (let j = 0; j < inner; j++)
      s += Math.exp((src[rel ? base + (rel[j] as number) : base + j * stride] as number) - m);
    out.data[o] = Math.log(s) + m;
  }
  const node = record(out, "logsumexp", "LogsumexpBackward0", [t], { dims, keepdim, shape: t.shape });
  if (node) node.save([t, out], [false, true]);
  return out;
}

/**
 * softmax or log_softmax along one dim.
 * @example
 * ```ts
 * softmax(logits, -1, false); // rows sum to 1, as logits.softmax(-1)
 * softmax(logits, -1, true); // log_softmax, as logits.logSoftmax(-1)
 * ```
 */
export function softmax(t: Tensor, dim: number, log: boolean): Tensor {
  const d = normalizeDim(dim, t.ndim);
  if (!isFloatingDType(t.dtype)) {
    // PyTorch dispatches on the dtype inside its kernels, whose names the message carries (1.13
    // reports log_softmax over an inner dim under the softmax kernel's name).
    const last = d >= t.ndim - 1;
    const kernel = last
      ? log
        ? "log_softmax_lastdim_kernel_impl"
        : "softmax_lastdim_kernel_impl"
      : "softmax_kernel_impl";
    throw new RuntimeError(`"${kernel}" not implemented for '${t.dtype === "bool" ? "Bool" : "Long"}'`);
  }
  const dtype = t.dtype;
  const out = empty(t.shape, dtype);
  const dims = t.ndim === 0 ? [] : [d];
  const plan = planReduce(t, dims);
  const outPlan = planReduce(out, dims);
  const { outer, inner, bases, stride, rel } = plan;
  const src = t.data;
  const dst = out.data;
  const tmp = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = bases[o] as number;
    let m = -Infinity;
    for (let j = 0; j < inner; j++) {
      const v = src[rel ? base + (rel[j] as number) : base + j * stride] as number;
      tmp[j] = v;
      if (v > m || v !== v) m = v;
    }
    let s = 0;
    for (let j = 0; j < inner; j++) s += Math.exp((tmp[j] as number) - m);
    const ob = outPlan.bases[o] as number;
    const os = outPlan.stride;
    if (log) {
      const ls = Math.log(s);
      for (let j = 0; j < inner; j++) dst[ob + j * os] = (tmp[j] as number) - m - ls;
    } else {
      for (let j = 0; j < inner; j++) dst[ob + j * os] = Math.exp((tmp[j] as number) - m) / s;
    }
  }
  const node = record(
    out,
    log ? "logSoftmax" : "softmax",
    log ? "LogSoftmaxBackward0" : "SoftmaxBackward0",
    [t],
    { dim: d },
  );
  if (node) node.save([out], [true]);
  return out;
}

/**
 * Vector p-norm over dims (`torch.linalg.vector_norm`).
 * @example
 * ```ts
 * norm(tg.tensor([3, -4], { dtype: "float32" }), 2, null, false).item(); // 5
 * // p = Infinity gives 4 (max |x|), p = 1 gives 7
 * ```
 */
export function norm(t: Tensor, p: number, dim: Dims, keepdim: boolean): Tensor {
  if (!isFloatingDType(t.dtype))
    throw new RuntimeError(
      "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long",
    );
  const dims = resolveDims(t, dim);
  if (t.numel() === 0 && (p < 0 || p === Infinity)) {
    // No identity for max (or for negative orders): PyTorch refuses to reduce an empty dim.
    const ord = p === Infinity ? "inf" : p === -Infinity ? "-inf" : String(p);
    if (dim === null || (Array.isArray(dim) && dim.length === 0)) {
      throw new RuntimeError(
        `linalg.vector_norm cannot compute the ${ord} norm on an empty tensor because the operation does not have an identity`,
      );
    }
    for (const d of dims) {
      if (t.shape[d] === 0) {
        throw new RuntimeError(
          `linalg.vector_norm cannot compute the ${ord} norm on the dimension ${d}because this dimension is empty and the operation does not have an identity`,
        );
      }
    }
  }
  const plan = planReduce(t, dims);
  const out = empty(reducedShape(t.shape, dims, keepdim), t.dtype);
  const { outer, inner, bases, stride, rel } = plan;
  const src = t.data;
  for (let o = 0; o < outer; o++) {
    const base = bases[o] as number;
    let acc = p === Infinity ? 0 : p === -Infinity ? Infinity : 0;
    for (let j = 0; j < inner; j++) {
      const a = Math.abs(src[rel ? base + (rel[j] as number) : base + j * stride] as number);
      if (p === 2) acc += a * a;
      else if (p === 1) acc += a;
      else if (p === Infinity) acc = a > acc || a !== a ? a : acc;
      else if (p === -Infinity) acc = a < acc || a !== a ? a : acc;
      else if (p === 0) acc += a !== 0 ? 1 : 0;
      else acc += Math.pow(a, p);
    }
    out.data[o] =
      p === 2 ? Math.sqrt(acc) : p === 1 || p === 0 || !Number.isFinite(p) ? acc : Math.pow(acc, 1 / p);
  }
  const node = record(out, "norm", "LinalgVectorNormBackward0", [t], { dims, keepdim, shape: t.shape, p });
  if (node) node.save([t, out], [false, true]);
  return out;
}

/**
 * Sum a broadcast gradient back to `shape`: over leading dims and over dims where `shape` is 1.
 * Not recorded (backward runs without grad).
 * @example sumToShape(tg.ones([4, 2, 3]), [1, 3]).tolist(); // [[8, 8, 8]]: the gradient of a [1, 3] operand
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  const out = empty(reducedShape(g.shape, dims, true).slice(lead), g.dtype);
  reduceSum(g.data, planReduce(g, dims), out.data);
  return reshape(out, shape);
}

/**
 * `a ⊙ b` where b broadcasts, without recording (helper for rules).
 * @example mulNoGrad(g, mask); // g ⊙ mask for a g of shape [2, 3] and a mask of shape [3], not recorded
 */
export function mulNoGrad(a: Tensor, b: Tensor): Tensor {
  const out = empty(a.shape, a.dtype);
  mapBinary((x, y) => x * y, a.data, a, b.data, broadcastTo(b, a.shape), out.data, out);
  return out;
}

/**
 * Elementwise map without recording (helper for rules).
 * @example mapNoGrad(x, (v) => (v > 0 ? 1 : 0)); // a mask-like factor for a backward rule, same dtype as x
 */
export function mapNoGrad(a: Tensor, fn: (x: number) => number): Tensor {
  const out = empty(a.shape, a.dtype);
  mapUnary(fn, a.data, a, out.data, out);
  return out;
}
