import { mapUnary } from "../../backend/js/elementwise.js";
import { isFloatingDType, type DType } from "../dtype.js";
import type { Tensor } from "../tensor.js";
import { empty, record } from "./common.js";

/**
 * Conversion of one value on its way into a dtype (truncation toward zero for ints, nonzero for bools).
 * @example converter("int32")!(-2.7); // -2 — converter("float32") is null: the Float32Array store rounds
 */
export function converter(dtype: DType): ((x: number) => number) | null {
  if (dtype === "int32") return (x) => (x !== x ? -2147483648 : Math.trunc(x) | 0);
  if (dtype === "bool") return (x) => (x !== 0 ? 1 : 0);
  return null;
}

/**
 * Convert to another dtype (a copy); returns `t` itself when the dtype already matches.
 * @example to(tg.tensor([1.7, -2.5]), "int32").tolist(); // [1, -2]
 */
export function to(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  const out = empty(t.shape, dtype);
  mapUnary(converter(dtype) ?? ((x) => x), t.data, t, out.data, out);
  if (isFloatingDType(dtype)) record(out, "toDtype", "ToCopyBackward0", [t]);
  return out;
}
