import {
  arith,
  axpyTorch,
  mapBinary,
  mapTernary,
  mapUnary,
  type ArithOp,
} from "../../backend/js/elementwise.js";
import type { Layout } from "../../backend/layout.js";
import { erf } from "../../backend/js/scalar-math.js";
import { noGrad } from "../../autograd/grad-mode.js";
import { RuntimeError } from "../../util/errors.js";
import { getDefaultDtype, isFloatingDType, type DType } from "../dtype.js";
import { broadcastShapes } from "../shape.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { broadcastTo, castScalar, empty, operand, record, resultType } from "./common.js";

/** Unary ops with a gradient rule of the same name. */
export type UnaryOp =
  | "neg"
  | "abs"
  | "sign"
  | "sqrt"
  | "rsqrt"
  | "exp"
  | "log"
  | "log1p"
  | "expm1"
  | "sin"
  | "cos"
  | "tanh"
  | "sigmoid"
  | "relu"
  | "erf"
  | "reciprocal";

interface UnarySpec {
  fn: (x: number) => number;
  /**
   * The float32 kernel when PyTorch's is a chain of float32 operations rather than one
   * correctly rounded function (each step rounded as its vectorised kernel rounds it).
   */
  fn32?: (x: number) => number;
  /** PyTorch's grad_fn name. */
  name: string;
  /** Integer inputs produce the default float dtype (sqrt of an int tensor is float). */
  floatOut: boolean;
  /** What the backward rule needs: the input, the output, or nothing. */
  save: "input" | "output" | "none";
}

const f32 = Math.fround;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
// PyTorch's float32 sigmoid: (0 - x).exp(), + 1, reciprocal, each rounded to float32.
const sigmoid32 = (x: number) => 1 / f32(1 + f32(Math.exp(-x)));

const UNARY: Record<UnaryOp, UnarySpec> = {
  neg: { fn: (x) => -x, name: "NegBackward0", floatOut: false, save: "none" },
  abs: { fn: Math.abs, name: "AbsBackward0", floatOut: false, save: "input" },
  sign: {
    fn: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : 0),
    name: "SignBackward0",
    floatOut: false,
    save: "none",
  },
  sqrt: { fn: Math.sqrt, name: "SqrtBackward0", floatOut: true, save: "output" },
  rsqrt: {
    fn: (x) => 1 / Math.sqrt(x),
    fn32: (x) => 1 / f32(Math.sqrt(x)),
    name: "RsqrtBackward0",
    floatOut: true,
    save: "output",
  },
  exp: { fn: Math.exp, name: "ExpBackward0", floatOut: true, save: "output" },
  log: { fn: Math.log, name: "LogBackward0", floatOut: true, save: "input" },
  log1p: { fn: Math.log1p, name: "Log1PBackward0", floatOut: true, save: "input" },
  expm1: { fn: Math.expm1, name: "Expm1Backward0", floatOut: true, save: "output" },
  sin: { fn: Math.sin, name: "SinBackward0", floatOut: true, save: "input" },
  cos: { fn: Math.cos, name: "CosBackward0", floatOut: true, save: "input" },
  tanh: { fn: Math.tanh, name: "TanhBackward0", floatOut: true, save: "output" },
  sigmoid: { fn: sigmoid, fn32: sigmoid32, name: "SigmoidBackward0", floatOut: true, save: "output" },
  // clamp_min(x, 0) as std::max(x, 0): keeps x unless x < 0, so -0 and NaN pass through.
  relu: { fn: (x) => (x < 0 ? 0 : x), name: "ReluBackward0", floatOut: false, save: "output" },
  erf: { fn: erf, name: "ErfBackward0", floatOut: true, save: "input" },
  reciprocal: { fn: (x) => 1 / x, name: "ReciprocalBackward0", floatOut: true, save: "output" },
};

/**
 * Apply a unary op elementwise, recording its gradient rule.
 * @example
 * ```ts
 * unary("exp", x); // what x.exp() calls: grad_fn ExpBackward0, saving its output
 * unary("sqrt", tg.tensor([4, 9])).tolist(); // [2, 3] as float32 (integer input, floating op)
 * ```
 */
export function unary(op: UnaryOp, x: Tensor): Tensor {
  const spec = UNARY[op];
  if (x.dtype === "bool" && (op === "neg" || op === "sign")) {
    throw new RuntimeError(
      op === "neg"
        ? "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
        : "Boolean inputs not supported for sgn",
    );
  }
  const dtype = spec.floatOut && !isFloatingDType(x.dtype) ? getDefaultDtype() : x.dtype;
  const out = empty(x.shape, dtype);
  mapUnary(unaryFn(op, dtype), x.data, x, out.data, out);
  const node = record(out, op, spec.name, [x]);
  if (node && spec.save === "input") node.save([x]);
  if (node && spec.save === "output") node.save([out], [true]);
  return out;
}

/**
 * The scalar kernel of a unary op for an output dtype (the result is stored into that dtype).
 * @example mapUnary(unaryFn("sigmoid", out.dtype), x.data, x, out.data, out); // float32 gets its own kernel
 */
export function unaryFn(op: UnaryOp, dtype: DType): (x: number) => number {
  const spec = UNARY[op];
  return dtype === "float32" && spec.fn32 ? spec.fn32 : spec.fn;
}

/**
 * What a unary op's backward rule needs saved: its input, its output, or nothing.
 * @example unarySaves("exp"); // "output" (d exp = exp); "input" for sin, "none" for neg
 */
export function unarySaves(op: UnaryOp): "input" | "output" | "none" {
  return UNARY[op].save;
}

/**
 * PyTorch's grad_fn name of a unary op.
 * @example unaryName("exp"); // "ExpBackward0"
 */
export function unaryName(op: UnaryOp): string {
  return UNARY[op].name;
}

/**
 * `out = a + alpha·b` computed in `dtype` and stored into `out` (which may be `a` itself, or of a
 * narrower dtype for in-place ops): on floats with PyTorch's fused multiply-add rounding.
 * @example axpy(self, self, o, lo, alpha, self, dtype); // self.add_(o, { alpha }) in place
 */
export function axpy(
  a: Tensor,
  la: Layout,
  b: Tensor,
  lb: Layout,
  alpha: number,
  out: Tensor,
  dtype: DType,
): void {
  const al = castScalar(alpha, dtype);
  if (isFloatingDType(dtype)) axpyTorch(a.data, la, b.data, lb, al, out.data, out, dtype === "float32");
  else mapBinary((x, y) => x + al * y, a.data, la, b.data, lb, out.data, out);
}

function binaryArith(op: ArithOp, a: Tensor, b: TensorLike, alpha: number, name: string): Tensor {
  let dtype = resultType(a, b);
  if (op === "div" && !isFloatingDType(dtype)) dtype = getDefaultDtype();
  if (op === "sub") checkSubBool(a, b);
  if (!isFloatingDType(dtype) && !Number.isInteger(alpha)) {
    throw new RuntimeError("For integral input tensors, argument alpha must not be a floating point number.");
  }
  const shape = broadcastShapes(a.shape, b instanceof Tensor ? b.shape : []);
  const at = operand(a, dtype);
  const bt = operand(b, dtype);
  const out = empty(shape, dtype);
  const la = broadcastTo(at, shape);
  const lb = broadcastTo(bt, shape);
  if (alpha === 1) arith(op, at.data, la, bt.data, lb, out.data, out);
  else axpy(at, la, bt, lb, op === "sub" ? -alpha : alpha, out, dtype);
  if (dtype === "bool") boolify(out);
  const bIsTensor = b instanceof Tensor;
  const node = record(out, op, name, [at, bIsTensor ? bt : null], { alpha });
  if (node && (op === "mul" || op === "div")) node.save([at, bt]);
  return out;
}

/** PyTorch's refusal to subtract bools (a bool scalar counts as a bool tensor). */
function checkSubBool(a: Tensor, b: TensorLike): void {
  const aBool = a.dtype === "bool";
  const bBool = b instanceof Tensor ? b.dtype === "bool" : typeof b === "boolean";
  if (aBool && bBool) {
    throw new RuntimeError(
      "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.",
    );
  }
  if (aBool || bBool) {
    throw new RuntimeError(
      "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
    );
  }
}

function boolify(t: Tensor): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = d[i] !== 0 ? 1 : 0;
}

/**
 * `a + alpha·b` with broadcasting and type promotion.
 * @example
 * ```ts
 * add(tg.tensor([1, 2, 3]), tg.tensor([10, 20, 30]), 2).tolist(); // [21, 42, 63]
 * a.add(b, { alpha: 2 }); // the Tensor method that calls it
 * ```
 */
export function add(a: Tensor, b: TensorLike, alpha = 1): Tensor {
  return binaryArith("add", a, b, alpha, "AddBackward0");
}

/**
 * `a − alpha·b`.
 * @example sub(tg.tensor([1, 2, 3]), 1).tolist(); // [0, 1, 2] (int32), as a.sub(1)
 */
export function sub(a: Tensor, b: TensorLike, alpha = 1): Tensor {
  return binaryArith("sub", a, b, alpha, "SubBackward0");
}

/**
 * `a · b`.
 * @example mul(tg.tensor([1, 2, 3]), 0.5).tolist(); // [0.5, 1, 1.5] (float32: a float number promotes ints)
 */
export function mul(a: Tensor, b: TensorLike): Tensor {
  return binaryArith("mul", a, b, 1, "MulBackward0");
}

/**
 * True division `a / b`.
 * @example div(tg.tensor([1, 2, 3]), 2).tolist(); // [0.5, 1, 1.5] — integer division is still true division
 */
export function div(a: Tensor, b: TensorLike): Tensor {
  return binaryArith("div", a, b, 1, "DivBackward0");
}

/**
 * `x ** e` for a scalar exponent, with the special cases PyTorch's CPU kernel takes (squares and
 * cubes as products, ±0.5 as square roots, −1 and −2 as reciprocals), so float32 rounds the same.
 */
function powScalarFn(e: number, dtype: DType): (x: number) => number {
  const r = dtype === "float32" ? Math.fround : (v: number) => v;
  if (e === 2) return (x) => x * x;
  if (e === 3) return (x) => r(x * x) * x;
  if (e === 0.5) return Math.sqrt;
  if (e === -0.5) return (x) => 1 / Math.sqrt(x);
  if (e === -1) return (x) => 1 / x;
  if (e === -2) return (x) => 1 / r(x * x);
  if (e === 1) return (x) => x;
  if (e === 0) return () => 1;
  return (x) => Math.pow(x, e);
}

/**
 * `a ** exponent` for a scalar or tensor exponent.
 * @example
 * ```ts
 * pow(tg.tensor([1, 2, 3]), 2).tolist(); // [1, 4, 9]
 * pow(x, tg.tensor([3, 0.5])); // a tensor exponent broadcasts against x
 * ```
 */
export function pow(a: Tensor, exponent: TensorLike): Tensor {
  if (exponent instanceof Tensor) {
    const dtype = resultType(a, exponent);
    const shape = broadcastShapes(a.shape, exponent.shape);
    const at = operand(a, dtype);
    const et = operand(exponent, dtype);
    const out = empty(shape, dtype);
    mapBinary(Math.pow, at.data, broadcastTo(at, shape), et.data, broadcastTo(et, shape), out.data, out);
    const node = record(out, "powTensor", "PowBackward1", [at, et]);
    if (node) node.save([at, et, out], [false, false, true]);
    return out;
  }
  const e = typeof exponent === "boolean" ? (exponent ? 1 : 0) : exponent;
  const dtype = resultType(a, e);
  if (!isFloatingDType(dtype) && e < 0) {
    throw new RuntimeError("Integers to negative integer powers are not allowed.");
  }
  const out = empty(a.shape, dtype);
  const ec = castScalar(e, dtype);
  mapUnary(powScalarFn(ec, dtype), a.data, a, out.data, out);
  const node = record(out, "powScalar", "PowBackward0", [a], { exponent: e });
  if (node) node.save([a]);
  return out;
}

/**
 * Clamp into [min, max] (null = unbounded), NaN-propagating.
 * @example clamp(tg.tensor([-2, 0.5, 3]), 0, 1).tolist(); // [0, 0.5, 1]; clamp(x, null, 1) bounds only above
 */
export function clamp(x: Tensor, min: number | null, max: number | null): Tensor {
  if (min === null && max === null) {
    throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  }
  const dtype = resultType(x, ...(min !== null ? [min] : []), ...(max !== null ? [max] : []));
  const lo = min === null ? -Infinity : castScalar(min, dtype);
  const hi = max === null ? Infinity : castScalar(max, dtype);
  const out = empty(x.shape, dtype);
  mapUnary(clampFn(lo, hi), x.data, x, out.data, out);
  const node = record(out, "clamp", "ClampBackward1", [x], { min: lo, max: hi });
  if (node) node.save([x]);
  return out;
}

/**
 * Clamp function used by the op and its in-place form: PyTorch's `min(max(x, lo), hi)` with
 * std::max/min semantics (a bound replaces x only when strictly beyond it, so -0 survives a 0
 * bound and NaN passes through; with lo > hi every element becomes hi).
 * @example clampFn(0, 1)(-0); // -0 (kept: not strictly below 0); clampFn(0, 1)(NaN) is NaN
 */
export function clampFn(lo: number, hi: number): (x: number) => number {
  return (v) => {
    const r = v < lo ? lo : v;
    return r > hi ? hi : r;
  };
}

function extreme(a: Tensor, b: Tensor, wantMax: boolean): Tensor {
  if (!(b instanceof Tensor)) throw new TypeError(`${wantMax ? "maximum" : "minimum"}() expects a Tensor`);
  const dtype = resultType(a, b);
  const shape = broadcastShapes(a.shape, b.shape);
  const at = operand(a, dtype);
  const bt = operand(b, dtype);
  const out = empty(shape, dtype);
  const fn = wantMax
    ? (x: number, y: number) => (x !== x || y !== y ? NaN : x >= y ? x : y)
    : (x: number, y: number) => (x !== x || y !== y ? NaN : x <= y ? x : y);
  mapBinary(fn, at.data, broadcastTo(at, shape), bt.data, broadcastTo(bt, shape), out.data, out);
  if (dtype === "bool") boolify(out);
  const node = record(
    out,
    wantMax ? "maximum" : "minimum",
    wantMax ? "MaximumBackward0" : "MinimumBackward0",
    [at, bt],
  );
  if (node) node.save([at, bt]);
  return out;
}

/**
 * Elementwise maximum.
 * @example maximum(tg.tensor([1, 5]), tg.tensor([3, 2])).tolist(); // [3, 5] (NaN wins, as in PyTorch)
 */
export function maximum(a: Tensor, b: Tensor): Tensor {
  return extreme(a, b, true);
}

/**
 * Elementwise minimum.
 * @example minimum(tg.tensor([1, 5]), tg.tensor([3, 2])).tolist(); // [1, 2]
 */
export function minimum(a: Tensor, b: Tensor): Tensor {
  return extreme(a, b, false);
}

/** Comparison operators. */
export type CompareOp = "eq" | "ne" | "lt" | "le" | "gt" | "ge";

const COMPARE: Record<CompareOp, (x: number, y: number) => number> = {
  eq: (x, y) => (x === y ? 1 : 0),
  ne: (x, y) => (x !== y ? 1 : 0),
  lt: (x, y) => (x < y ? 1 : 0),
  le: (x, y) => (x <= y ? 1 : 0),
  gt: (x, y) => (x > y ? 1 : 0),
  ge: (x, y) => (x >= y ? 1 : 0),
};

/**
 * Elementwise comparison in the promoted dtype; the result is a bool tensor.
 * @example compare("gt", tg.tensor([1, 2, 3]), 2).tolist(); // [false, false, true], as x.gt(2)
 */
export function compare(op: CompareOp, a: Tensor, b: TensorLike): Tensor {
  const dtype = resultType(a, b);
  // Operands are converted to the promoted dtype first, so a float32 tensor is compared with the
  // float32 rounding of a number or of a 0-dim float64 tensor, as in PyTorch.
  const shape = broadcastShapes(a.shape, b instanceof Tensor ? b.shape : []);
  const at = noGrad(() => operand(a, dtype));
  const bt = noGrad(() => operand(b, dtype));
  const out = empty(shape, "bool");
  mapBinary(COMPARE[op], at.data, broadcastTo(at, shape), bt.data, broadcastTo(bt, shape), out.data, out);
  return out;
}

/**
 * Logical not: true where the element is zero.
 * @example logicalNot(tg.tensor([0, 2, -1])).tolist(); // [true, false, false]
 */
export function logicalNot(a: Tensor): Tensor {
  const out = empty(a.shape, "bool");
  mapUnary((x) => (x === 0 ? 1 : 0), a.data, a, out.data, out);
  return out;
}

/**
 * Whether each element is finite (bool).
 * @example isfinite(tg.tensor([1, Infinity, NaN])).tolist(); // [true, false, false]
 */
export function isfinite(a: Tensor): Tensor {
  const out = empty(a.shape, "bool");
  mapUnary((x) => (Number.isFinite(x) ? 1 : 0), a.data, a, out.data, out);
  return out;
}

/**
 * `where(cond, x, y)`: elements of `x` where `cond` is true, else of `y`, all broadcast together.
 * @example tg.where(x.gt(0), x, 0)
 */
export function where(cond: Tensor, x: TensorLike, y: TensorLike): Tensor {
  if (cond.dtype !== "bool") {
    throw new RuntimeError(
      `where expected condition to be a boolean tensor, but got a tensor with dtype ${cond.dtype === "int32" ? "Long" : cond.dtype === "float64" ? "Double" : "Float"}`,
    );
  }
  const dtype = resultType(x, y);
  const xt = operand(x, dtype);
  const yt = operand(y, dtype);
  const shape = broadcastShapes(broadcastShapes(cond.shape, xt.shape), yt.shape);
  const out = empty(shape, dtype);
  mapTernary(
    (c, a, b) => (c !== 0 ? a : b),
    cond.data,
    broadcastTo(cond, shape),
    xt.data,
    broadcastTo(xt, shape),
    yt.data,
    broadcastTo(yt, shape),
    out.data,
    out,
  );
  const node = record(out, "where", "WhereBackward0", [
    x instanceof Tensor ? xt : null,
    y instanceof Tensor ? yt : null,
  ]);
  if (node) node.save([cond]);
  return out;
}
