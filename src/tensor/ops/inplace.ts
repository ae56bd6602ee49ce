import {
  arith,
  copyStrided,
  fillStrided,
  mapBinary,
  mapTernary,
  mapUnary,
  type ArithOp,
} from "../../backend/js/elementwise.js";
import { Node } from "../../autograd/node.js";
import { viewGeometry, viewOfBase } from "../../autograd/view-node.js";
import { fma32, fma64 } from "../../util/fma.js";
import { RuntimeError } from "../../util/errors.js";
import { dtypeCategory, getDefaultDtype, isFloatingDType, type DType } from "../dtype.js";
import { broadcastShapes, formatShape, shapesEqual } from "../shape.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { converter } from "./cast.js";
import { broadcastTo, castScalar, needsGrad, operand, resultType } from "./common.js";
import * as ew from "./elementwise.js";
import { checkMask } from "./indexing.js";
import { copyContiguous } from "./movement.js";

const TYPE_NAME: Record<DType, string> = { float32: "Float", float64: "Double", int32: "Long", bool: "Bool" };
/** The C++ type names PyTorch prints for a dtype's TypeMeta (PyTorch's int64 is `long int`). */
const C_NAME: Record<DType, string> = {
  float32: "float",
  float64: "double",
  int32: "long int",
  bool: "bool",
};

function checkCast(from: DType, to: DType): void {
  if (dtypeCategory(from) > dtypeCategory(to)) {
    throw new RuntimeError(
      `result type ${TYPE_NAME[from]} can't be cast to the desired output type ${TYPE_NAME[to]}`,
    );
  }
}

function checkBroadcastInto(self: Tensor, other: Tensor): void {
  const shape = broadcastShapes(self.shape, other.shape);
  if (!shapesEqual(shape, self.shape)) {
    throw new RuntimeError(
      `output with shape ${formatShape(self.shape)} doesn't match the broadcast shape ${formatShape(shape)}`,
    );
  }
}

/**
 * A stand-in for `self` as it was before an in-place op: same storage and layout, carrying the
 * old history, so a node built on it has an edge to what produced the old value. Inside a
 * CopySlices node (in-place on a view) the stand-in instead requires grad on its own, so the op's
 * rule always computes the gradient of the overwritten region's old value.
 */
function before(self: Tensor, inView: boolean): Tensor {
  const t = new Tensor(self.data, self.shape, self.strides, self.offset, self._version);
  if (inView) t.requiresGrad_(true);
  else t.gradFn = self.gradFn;
  return t;
}

/** The values of `self` before an in-place op, for rules that need them (a private copy). */
function snapshot(self: Tensor): Tensor {
  return copyContiguous(self);
}

/**
 * Attach the history of an in-place op to `self` (called after the values were written and the
 * version bumped). `make(old)` builds the op's node on `[old, ...others]`, `old` standing for
 * self's previous value. On a plain tensor the node becomes self's `gradFn`; on a view, PyTorch's
 * CopySlices: the base's new history runs the op's rule on the viewed region of the base's
 * gradient, and the view then reads from the base.
 */
function recordInplace(
  self: Tensor,
  others: ReadonlyArray<Tensor | null>,
  make: (old: Tensor) => Node,
): void {
  const base = self._base;
  if (base === null) {
    const retained = self.retainsGrad ? self.gradFn : null;
    const node = make(before(self, false));
    if (retained) {
      retained.retained = null;
      node.retained = self;
    }
    self.gradFn = node;
    return;
  }
  const fn = make(before(self, true));
  const baseBefore = new Tensor(base.data, base.shape, base.strides, base.offset, base._version);
  baseBefore.gradFn = base.gradFn;
  const copySlices = new Node("copySlices", "CopySlices", [baseBefore, ...others], {
    fn,
    geometry: viewGeometry(self, base),
  });
  base.gradFn = copySlices;
  self.gradFn = viewOfBase(self, base);
}

/**
 * `self op= alpha·other` for add/sub/mul/div.
 * @example
 * ```ts
 * binaryInplace(p, "sub", g, lr); // p.sub_(g, { alpha: lr }): p ← p − lr·g
 * binaryInplace(tg.tensor([1, 2]), "div", 2, 1); // RuntimeError: Float can't be cast to ... Long
 * ```
 */
export function binaryInplace<T extends Tensor>(self: T, op: ArithOp, other: TensorLike, alpha: number): T {
  self._checkInplace();
  let dtype = resultType(self, other);
  if (op === "div" && !isFloatingDType(dtype)) dtype = getDefaultDtype();
  checkCast(dtype, self.dtype);
  if (!isFloatingDType(dtype) && !Number.isInteger(alpha)) {
    throw new RuntimeError("For integral input tensors, argument alpha must not be a floating point number.");
  }
  const o = operand(other, dtype);
  checkBroadcastInto(self, o);
  const oTensor = other instanceof Tensor ? o : null;
  const recording = needsGrad(self, oTensor);
  const old = recording && (op === "mul" || op === "div") && oTensor?.requiresGrad ? snapshot(self) : null;
  const lo = broadcastTo(o, self.shape);
  if (alpha === 1 || op === "mul" || op === "div") arith(op, self.data, self, o.data, lo, self.data, self);
  else ew.axpy(self, self, o, lo, op === "sub" ? -alpha : alpha, self, dtype);
  self._bumpVersion();
  if (recording) {
    const name = { add: "AddBackward0", sub: "SubBackward0", mul: "MulBackward0", div: "DivBackward0" }[op];
    recordInplace(self, [oTensor], (b) => {
      const node = new Node(op, name, [b, oTensor], { alpha });
      if (op === "mul" || op === "div") node.save([old ?? b, o]);
      return node;
    });
  }
  return self;
}

/**
 * In-place unary op.
 * @example unaryInplace(v, "sqrt"); // v.sqrt_() — an int32 v throws (the float result cannot be stored)
 */
export function unaryInplace<T extends Tensor>(self: T, op: ew.UnaryOp): T {
  self._checkInplace();
  if (!isFloatingDType(self.dtype) && op !== "neg" && op !== "abs") {
    throw new RuntimeError(
      `result type Float can't be cast to the desired output type ${TYPE_NAME[self.dtype]}`,
    );
  }
  const recording = needsGrad(self);
  const save = ew.unarySaves(op);
  const old = recording && save === "input" ? snapshot(self) : null;
  mapUnary(ew.unaryFn(op, self.dtype), self.data, self, self.data, self);
  self._bumpVersion();
  if (recording) {
    recordInplace(self, [], (b) => {
      const node = new Node(op, ew.unaryName(op), [b]);
      if (save === "input") node.save([old as Tensor]);
      if (save === "output") node.save([self], [true]);
      return node;
    });
  }
  return self;
}

/**
 * In-place clamp.
 * @example clampInplace(tg.tensor([-2, 0.5, 3]), 0, 1).tolist(); // [0, 0.5, 1]
 */
export function clampInplace<T extends Tensor>(self: T, min: number | null, max: number | null): T {
  self._checkInplace();
  if (min === null && max === null)
    throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  const dtype = resultType(self, ...(min !== null ? [min] : []), ...(max !== null ? [max] : []));
  checkCast(dtype, self.dtype);
  const lo = min === null ? -Infinity : castScalar(min, self.dtype);
  const hi = max === null ? Infinity : castScalar(max, self.dtype);
  const recording = needsGrad(self);
  const old = recording ? snapshot(self) : null;
  mapUnary(ew.clampFn(lo, hi), self.data, self, self.data, self);
  self._bumpVersion();
  if (recording) {
    recordInplace(self, [], (b) => {
      const node = new Node("clamp", "ClampBackward1", [b], { min: lo, max: hi });
      node.save([old as Tensor]);
      return node;
    });
  }
  return self;
}

/**
 * `copy_(src)`: broadcast and convert `src` into this tensor.
 * @example copyInplace(tg.zeros([2, 3]), tg.tensor([1, 2, 3])); // each row [1, 2, 3], converted to float32
 */
export function copyInplace<T extends Tensor>(self: T, src: TensorLike): T {
  self._checkInplace();
  const s = src instanceof Tensor ? src : operand(src, self.dtype);
  checkBroadcastInto(self, s);
  const recording = needsGrad(self, src instanceof Tensor ? s : null);
  const ls = broadcastTo(s, self.shape);
  const conv = converter(self.dtype);
  if (conv && s.dtype !== self.dtype) mapUnary(conv, s.data, ls, self.data, self);
  else copyStrided(s.data, ls, self.data, self);
  self._bumpVersion();
  if (recording) {
    const from = src instanceof Tensor ? s : null;
    recordInplace(self, [from], (b) => new Node("copy", "CopyBackwards", [b, from]));
  }
  return self;
}

/**
 * Set every element to `value` (`fill_`, or `zero_` when `zero` names it so).
 * @example fillInplace(g, 0, true); // g.zero_(); grad_fn ZeroBackward0 when recorded
 */
export function fillInplace<T extends Tensor>(self: T, value: number, zero = false): T {
  self._checkInplace();
  const v = castScalar(value, self.dtype);
  const recording = needsGrad(self);
  fillStrided(self.data, self, v);
  self._bumpVersion();
  if (recording) {
    recordInplace(self, [], (b) => new Node("fill", zero ? "ZeroBackward0" : "FillBackward0", [b]));
  }
  return self;
}

/**
 * `self += value·t1·t2`, rounded as PyTorch's CPU kernel: `fma(value·t1, t2, self)`.
 * @example addcmulInplace(v, g, g, 1 - beta2); // PyTorch Adam's second moment: v += (1 − β₂)·g·g
 */
export function addcmulInplace<T extends Tensor>(self: T, t1: Tensor, t2: Tensor, value: number): T {
  self._checkInplace();
  const dtype = resultType(self, t1, t2);
  checkCast(dtype, self.dtype);
  checkBroadcastInto(self, t1);
  checkBroadcastInto(self, t2);
  const a = operand(t1, dtype);
  const b = operand(t2, dtype);
  const recording = needsGrad(self, a, b);
  const v = castScalar(value, dtype);
  const fn =
    dtype === "float32"
      ? (x: number, p: number, q: number) => fma32(Math.fround(v * p), q, x)
      : dtype === "float64"
        ? (x: number, p: number, q: number) => fma64(v * p, q, x)
        : (x: number, p: number, q: number) => x + v * p * q;
  return ternaryInplace(self, a, b, fn, recording, "addcmul", "AddcmulBackward0", value);
}

/**
 * `self += (value·t1)/t2`, each step rounded to the dtype as PyTorch's kernel does.
 * @example addcdivInplace(p, m, denom, -stepSize); // PyTorch Adam's update: p += −stepSize·m / denom
 */
export function addcdivInplace<T extends Tensor>(self: T, t1: Tensor, t2: Tensor, value: number): T {
  self._checkInplace();
  if (!isFloatingDType(t1.dtype) && !isFloatingDType(t2.dtype)) {
    throw new RuntimeError(
      "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.",
    );
  }
  const dtype = resultType(self, t1, t2);
  checkCast(dtype, self.dtype);
  checkBroadcastInto(self, t1);
  checkBroadcastInto(self, t2);
  const a = operand(t1, dtype);
  const b = operand(t2, dtype);
  const recording = needsGrad(self, a, b);
  const v = castScalar(value, dtype);
  const fn =
    dtype === "float32"
      ? (x: number, p: number, q: number) => x + Math.fround(Math.fround(v * p) / q)
      : (x: number, p: number, q: number) => x + (v * p) / q;
  return ternaryInplace(self, a, b, fn, recording, "addcdiv", "AddcdivBackward0", value);
}

/**
 * `self += weight·(end − self)` with PyTorch's two-sided formula (from `self` when |w| < 0.5,
 * from `end` otherwise), which keeps the endpoints exact.
 * @example lerpInplace(m, g, 1 - beta1); // PyTorch Adam's first moment: m += (1 − β₁)·(g − m)
 */
export function lerpInplace<T extends Tensor>(self: T, end: Tensor, weight: number | Tensor): T {
  self._checkInplace();
  if (end.dtype !== self.dtype) {
    throw new RuntimeError(
      `expected dtype ${C_NAME[self.dtype]} for \`end\` but got dtype ${C_NAME[end.dtype]}`,
    );
  }
  if (weight instanceof Tensor && weight.dtype !== self.dtype) {
    throw new RuntimeError(
      `expected dtype ${C_NAME[self.dtype]} for \`weight\` but got dtype ${C_NAME[weight.dtype]}`,
    );
  }
  if (!isFloatingDType(self.dtype))
    throw new RuntimeError(`"lerp_kernel_scalar" not implemented for '${TYPE_NAME[self.dtype]}'`);
  checkBroadcastInto(self, end);
  const w = operand(weight, self.dtype);
  checkBroadcastInto(self, w);
  const wTensor = weight instanceof Tensor ? w : null;
  const recording = needsGrad(self, end, wTensor);
  const old = recording && wTensor?.requiresGrad ? snapshot(self) : null;
  const f32 = self.dtype === "float32";
  const fma = f32 ? fma32 : fma64;
  const r = f32 ? Math.fround : (x: number) => x;
  mapTernary(
    (x, e, wt) => {
      const d = r(e - x);
      return Math.abs(wt) < 0.5 ? fma(wt, d, x) : fma(r(wt - 1), d, e);
    },
    self.data,
    self,
    end.data,
    broadcastTo(end, self.shape),
    w.data,
    broadcastTo(w, self.shape),
    self.data,
    self,
  );
  self._bumpVersion();
  if (recording) {
    recordInplace(self, wTensor ? [end, wTensor] : [end], (b) => {
      if (wTensor === null) return new Node("lerpScalar", "LerpBackward0", [b, end], { weight });
      const node = new Node("lerpTensor", "LerpBackward1", [b, end, wTensor]);
      node.save([old ?? b, end, wTensor]);
      return node;
    });
  }
  return self;
}

/**
 * Fill where a bool mask is true, in place.
 * @example maskedFillInplace(tg.tensor([1, 2, 3]), tg.tensor([true, false, true]), 0); // [0, 2, 0]
 */
export function maskedFillInplace<T extends Tensor>(self: T, mask: Tensor, value: number): T {
  self._checkInplace();
  checkMask(mask);
  checkBroadcastInto(self, mask);
  const recording = needsGrad(self);
  const v = castScalar(value, self.dtype);
  mapBinary(
    (x, m) => (m !== 0 ? v : x),
    self.data,
    self,
    mask.data,
    broadcastTo(mask, self.shape),
    self.data,
    self,
  );
  self._bumpVersion();
  if (recording) {
    recordInplace(self, [], (b) => {
      const node = new Node("maskedFill", "MaskedFillBackward0", [b]);
      node.save([mask]);
      return node;
    });
  }
  return self;
}

/**
 * Shared tail of addcmul_/addcdiv_: write `fn(self, a, b)` into `self` and, when recording, give it
 * a node that saves both operands.
 * @example return ternaryInplace(self, a, b, fn, recording, "addcmul", "AddcmulBackward0", value);
 */
function ternaryInplace<T extends Tensor>(
  self: T,
  a: Tensor,
  b: Tensor,
  fn: (x: number, p: number, q: number) => number,
  recording: boolean,
  op: string,
  name: string,
  value: number,
): T {
  mapTernary(
    fn,
    self.data,
    self,
    a.data,
    broadcastTo(a, self.shape),
    b.data,
    broadcastTo(b, self.shape),
    self.data,
    self,
  );
  self._bumpVersion();
  if (recording) {
    recordInplace(self, [a, b], (old) => {
      const node = new Node(op, name, [old, a, b], { value });
      node.save([a, b]);
      return node;
    });
  }
  return self;
}
