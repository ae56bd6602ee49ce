import {
  arith,
  copyStrided,
  fillStrided,
  mapBinary,
  mapTernary,
  mapUnary,
  type ArithOp,
} from "../../backend/js/elementwise.js";
import { fma32, fma64 } from "../../util/fma.js";
import { RuntimeError } from "../../util/errors.js";
import { dtypeCategory, getDefaultDtype, isFloatingDType, type DType } from "../dtype.js";
import { broadcastShapes, formatShape, shapesEqual } from "../shape.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { converter } from "./cast.js";
import { broadcastTo, castScalar, needsGrad, operand, record, resultType } from "./common.js";
import * as ew from "./elementwise.js";
import { expand } from "./movement.js";

const TYPE_NAME: Record<DType, string> = { float32: "Float", float64: "Double", int32: "Long", bool: "Bool" };

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
 * Run an in-place op while recording autograd history: the op is computed out of place on a
 * snapshot that carries the tensor's current history, then written back, and the tensor adopts
 * the new node (it becomes a non-leaf, as in PyTorch).
 */
function inplaceRecorded<T extends Tensor>(self: T, compute: (snapshot: Tensor) => Tensor): T {
  if (self._base && self._base.requiresGrad) {
    throw new RuntimeError(
      "in-place operations on views of tensors that require grad are not supported; use the out-of-place operation instead",
    );
  }
  const copy = new Tensor(self.toTypedArray(), self.shape);
  copy.gradFn = self.gradFn;
  const result = compute(copy);
  writeBack(self, result);
  self.gradFn = result.gradFn;
  return self;
}

function writeBack(self: Tensor, result: Tensor): void {
  const conv = converter(self.dtype);
  if (conv && result.dtype !== self.dtype) mapUnary(conv, result.data, result, self.data, self);
  else copyStrided(result.data, result, self.data, self);
  self._bumpVersion();
}

/** `self op= alpha·other` for add/sub/mul/div. */
export function binaryInplace<T extends Tensor>(self: T, op: ArithOp, other: TensorLike, alpha: number): T {
  self._checkInplace();
  let dtype = resultType(self, other);
  if (op === "div" && !isFloatingDType(dtype)) dtype = getDefaultDtype();
  checkCast(dtype, self.dtype);
  const o = operand(other, dtype);
  checkBroadcastInto(self, o);
  if (needsGrad(self, o)) {
    return inplaceRecorded(self, (s) => {
      if (op === "add") return ew.add(s, other, alpha);
      if (op === "sub") return ew.sub(s, other, alpha);
      if (op === "mul") return ew.mul(s, other);
      return ew.div(s, other);
    });
  }
  const lo = broadcastTo(o, self.shape);
  if (alpha === 1 || op === "mul" || op === "div") arith(op, self.data, self, o.data, lo, self.data, self);
  else
    mapBinary(ew.axpyFn(dtype, op === "sub" ? -alpha : alpha), self.data, self, o.data, lo, self.data, self);
  self._bumpVersion();
  return self;
}

/** In-place unary op. */
export function unaryInplace<T extends Tensor>(self: T, op: ew.UnaryOp): T {
  self._checkInplace();
  if (!isFloatingDType(self.dtype) && op !== "neg") {
    throw new RuntimeError(
      `result type Float can't be cast to the desired output type ${TYPE_NAME[self.dtype]}`,
    );
  }
  if (needsGrad(self)) return inplaceRecorded(self, (s) => ew.unary(op, s));
  mapUnary(ew.unaryFn(op), self.data, self, self.data, self);
  self._bumpVersion();
  return self;
}

/** In-place clamp. */
export function clampInplace<T extends Tensor>(self: T, min: number | null, max: number | null): T {
  self._checkInplace();
  if (min === null && max === null)
    throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  if (needsGrad(self)) return inplaceRecorded(self, (s) => ew.clamp(s, min, max));
  const lo = min === null ? -Infinity : castScalar(min, self.dtype);
  const hi = max === null ? Infinity : castScalar(max, self.dtype);
  mapUnary(ew.clampFn(lo, hi), self.data, self, self.data, self);
  self._bumpVersion();
  return self;
}

/** `copy_(src)`: broadcast and convert `src` into this tensor. */
export function copyInplace<T extends Tensor>(self: T, src: TensorLike): T {
  self._checkInplace();
  const s = operand(src, src instanceof Tensor ? src.dtype : self.dtype);
  checkBroadcastInto(self, s);
  if (needsGrad(self, s)) {
    return inplaceRecorded(self, () => {
      const e = expand(s, self.shape);
      const out = e.to(self.dtype);
      return out === e ? e.clone() : out;
    });
  }
  const ls = broadcastTo(s, self.shape);
  const conv = converter(self.dtype);
  if (conv && s.dtype !== self.dtype) mapUnary(conv, s.data, ls, self.data, self);
  else copyStrided(s.data, ls, self.data, self);
  self._bumpVersion();
  return self;
}

/** Set every element to `value`. */
export function fillInplace<T extends Tensor>(self: T, value: number): T {
  self._checkInplace();
  const v = castScalar(value, self.dtype);
  if (needsGrad(self)) {
    return inplaceRecorded(self, (s) => {
      const out = Tensor._empty(s.shape, s.dtype);
      out.data.fill(v);
      record(out, "fill", "FillBackward0", [s]);
      return out;
    });
  }
  fillStrided(self.data, self, v);
  self._bumpVersion();
  return self;
}

/** `self += value·t1·t2`, rounded as PyTorch's CPU kernel: `fma(value·t1, t2, self)`. */
export function addcmulInplace<T extends Tensor>(self: T, t1: Tensor, t2: Tensor, value: number): T {
  self._checkInplace();
  const dtype = resultType(self, t1, t2);
  checkCast(dtype, self.dtype);
  checkBroadcastInto(self, t1);
  checkBroadcastInto(self, t2);
  if (needsGrad(self, t1, t2)) return inplaceRecorded(self, (s) => ew.add(s, ew.mul(ew.mul(t1, value), t2)));
  const v = castScalar(value, dtype);
  const fn =
    dtype === "float32"
      ? (x: number, a: number, b: number) => fma32(Math.fround(v * a), b, x)
      : dtype === "float64"
        ? (x: number, a: number, b: number) => fma64(v * a, b, x)
        : (x: number, a: number, b: number) => x + v * a * b;
  mapTernary(
    fn,
    self.data,
    self,
    t1.data,
    broadcastTo(t1, self.shape),
    t2.data,
    broadcastTo(t2, self.shape),
    self.data,
    self,
  );
  self._bumpVersion();
  return self;
}

/** `self += (value·t1)/t2`, each step rounded to the dtype as PyTorch's kernel does. */
export function addcdivInplace<T extends Tensor>(self: T, t1: Tensor, t2: Tensor, value: number): T {
  self._checkInplace();
  const dtype = resultType(self, t1, t2);
  if (!isFloatingDType(t1.dtype) && !isFloatingDType(t2.dtype)) {
    throw new RuntimeError(
      "Integer division with addcdiv is no longer supported, and in a future release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.",
    );
  }
  checkCast(dtype, self.dtype);
  checkBroadcastInto(self, t1);
  checkBroadcastInto(self, t2);
  if (needsGrad(self, t1, t2)) return inplaceRecorded(self, (s) => ew.add(s, ew.div(ew.mul(t1, value), t2)));
  const v = castScalar(value, dtype);
  const r = dtype === "float32" ? Math.fround : (x: number) => x;
  mapTernary(
    (x, a, b) => x + r(r(v * a) / b),
    self.data,
    self,
    t1.data,
    broadcastTo(t1, self.shape),
    t2.data,
    broadcastTo(t2, self.shape),
    self.data,
    self,
  );
  self._bumpVersion();
  return self;
}

/**
 * `self += weight·(end − self)` with PyTorch's two-sided formula (from `self` when |w| < 0.5,
 * from `end` otherwise), which keeps the endpoints exact.
 */
export function lerpInplace<T extends Tensor>(self: T, end: Tensor, weight: number | Tensor): T {
  self._checkInplace();
  if (end.dtype !== self.dtype) {
    throw new RuntimeError(`expected dtype ${self.dtype} for \`end\` but got dtype ${end.dtype}`);
  }
  if (!isFloatingDType(self.dtype))
    throw new RuntimeError("\"lerp_kernel_scalar\" not implemented for 'Long'");
  checkBroadcastInto(self, end);
  const w = operand(weight, self.dtype);
  checkBroadcastInto(self, w);
  if (needsGrad(self, end, w)) {
    return inplaceRecorded(self, (s) => ew.add(s, ew.mul(ew.sub(end, s), weight)));
  }
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
  return self;
}

/** Fill where a bool mask is true, in place. */
export function maskedFillInplace<T extends Tensor>(self: T, mask: Tensor, value: number): T {
  self._checkInplace();
  if (mask.dtype !== "bool")
    throw new RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype " + mask.dtype);
  checkBroadcastInto(self, mask);
  if (needsGrad(self)) return inplaceRecorded(self, (s) => s.maskedFill(mask, value));
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
  return self;
}
