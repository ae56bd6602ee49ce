import { Node } from "../../autograd/node.js";
import { isGradEnabled } from "../../autograd/grad-mode.js";
import type { Layout } from "../../backend/layout.js";
import { RuntimeError } from "../../util/errors.js";
import { dtypeCategory, getDefaultDtype, promoteTypes, type DType } from "../dtype.js";
import { broadcastStrides, numelOf } from "../shape.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { to } from "./cast.js";

/**
 * The dtype PyTorch's `result_type` gives for operands: dimensioned tensors decide, unless a
 * zero-dim tensor or a plain number belongs to a higher category (bool < integer < floating). A
 * float number never widens a float tensor; an integer-valued number counts as an integer.
 * @example
 * ```ts
 * resultType(tg.ones([3], { dtype: "int32" }), 2.5); // "float32" (the default dtype)
 * resultType(tg.ones([3], { dtype: "float32" }), tg.tensor(2, { dtype: "float64" })); // "float32"
 * ```
 */
export function resultType(...operands: TensorLike[]): DType {
  let dims: DType | null = null;
  let zeros: DType | null = null;
  let scalars: DType | null = null;
  for (const x of operands) {
    if (x instanceof Tensor) {
      if (x.ndim > 0) dims = dims ? promoteTypes(dims, x.dtype) : x.dtype;
      else zeros = zeros ? promoteTypes(zeros, x.dtype) : x.dtype;
    } else {
      const d = scalarDtype(x);
      scalars = scalars ? promoteTypes(scalars, d) : d;
    }
  }
  let out = dims;
  for (const next of [zeros, scalars]) {
    if (next === null) continue;
    if (out === null) out = next;
    else if (dtypeCategory(next) > dtypeCategory(out)) out = next;
  }
  return out ?? getDefaultDtype();
}

/**
 * The dtype a plain JS value takes when it becomes a tensor.
 * @example scalarDtype(3); // "int32" — scalarDtype(0.5) is the default float dtype, scalarDtype(true) "bool"
 */
export function scalarDtype(x: number | boolean): DType {
  if (typeof x === "boolean") return "bool";
  if (typeof x !== "number") throw new TypeError(`expected a Tensor or a number, got ${typeof x}`);
  return Number.isInteger(x) ? "int32" : getDefaultDtype();
}

/**
 * A tensor operand for a computation in `dtype`, as PyTorch's TensorIterator casts its inputs to
 * the common dtype: numbers become 0-dim tensors; a tensor whose values the computation dtype
 * cannot hold exactly (a float64 0-dim tensor in float32 arithmetic, an int32 tensor in float32,
 * a float in integer arithmetic) is converted first, through a recorded cast so gradients still
 * reach it. Exact widenings (float32 read as float64, int or bool read as float64) need no copy:
 * the kernels compute in double anyway.
 * @example const bt = operand(2, "float32"); // a 0-dim float32 tensor holding 2
 */
export function operand(x: TensorLike, dtype: DType): Tensor {
  if (x instanceof Tensor) {
    if (x.dtype === dtype || !castNeeded(x.dtype, dtype)) return x;
    return to(x, dtype);
  }
  const t = Tensor._empty([], dtype);
  t.data[0] = castScalar(typeof x === "boolean" ? (x ? 1 : 0) : x, dtype);
  return t;
}

/** Whether reading `from` values in a `to` computation must round or convert them first. */
function castNeeded(from: DType, target: DType): boolean {
  if (target === "float64") return false;
  if (target === "float32") return from === "float64" || from === "int32";
  return from !== "bool";
}

/**
 * A number converted as PyTorch converts a Python scalar to a dtype.
 * @example castScalar(-2.7, "int32"); // -2 (truncated); castScalar(0.1, "float32") is Math.fround(0.1)
 */
export function castScalar(v: number, dtype: DType): number {
  switch (dtype) {
    case "float32":
      return Math.fround(v);
    case "float64":
      return v;
    case "int32":
      return Math.trunc(v) | 0;
    case "bool":
      return v !== 0 ? 1 : 0;
  }
}

/**
 * A layout that reads `t` broadcast to `shape`.
 * @example broadcastTo(tg.ones([3, 1]), [2, 3, 4]); // { shape: [2, 3, 4], strides: [0, 1, 0], offset: 0 }
 */
export function broadcastTo(t: Tensor, shape: readonly number[]): Layout {
  return { shape, strides: broadcastStrides(t.shape, t.strides, shape), offset: t.offset };
}

/**
 * An empty contiguous tensor.
 * @example const out = empty(x.shape, "float32"); // values unset: the kernel fills them
 */
export function empty(shape: readonly number[], dtype: DType): Tensor {
  return Tensor._empty(shape, dtype);
}

/**
 * Whether an op on these inputs must be recorded for autograd.
 * @example if (!needsGrad(a, b)) return out; // no graph bookkeeping under noGrad or for constants
 */
export function needsGrad(...inputs: ReadonlyArray<Tensor | null | undefined>): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t && t.requiresGrad) return true;
  return false;
}

/**
 * Attach a new graph node to `out` when any input requires grad (and grad mode is on); returns
 * the node so the caller can save tensors, or null when nothing is recorded.
 * @example
 * ```ts
 * const node = record(out, "mul", "MulBackward0", [a, b]);
 * if (node) node.save([a, b]); // the backward rule reads both factors
 * ```
 */
export function record(
  out: Tensor,
  op: string,
  name: string,
  inputs: ReadonlyArray<Tensor | null>,
  ctx: Record<string, unknown> = {},
): Node | null {
  if (!needsGrad(...inputs)) return null;
  const node = new Node(op, name, inputs, ctx);
  out.gradFn = node;
  return node;
}

/**
 * Reject non-floating tensors where an op needs floating point.
 * @example requireFloating(input, "nll_loss"); // throws RuntimeError for an int32 or bool input
 */
export function requireFloating(t: Tensor, what: string): void {
  if (t.dtype !== "float32" && t.dtype !== "float64") {
    throw new RuntimeError(`${what} only supports floating point dtypes, got ${t.dtype}`);
  }
}

/**
 * Number of elements of a shape (re-exported for op files).
 * @example numel([2, 3, 4]); // 24
 */
export const numel = numelOf;
