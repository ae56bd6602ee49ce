import { Tensor } from "../tensor/tensor.js";
import { Parameter } from "./parameter.js";

function copyValue(value: unknown, memo: Map<unknown, unknown>): unknown {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return value;
  // Functions are shared, as Python's deepcopy shares them.
  if (typeof value === "function") return value;
  if (memo.has(value)) return memo.get(value);
  if (value instanceof Parameter) {
    // PyTorch's Parameter.__deepcopy__: a fresh parameter on a copy of the data, without grad.
    const p = new Parameter(value.detach().clone(), value.requiresGrad);
    memo.set(value, p);
    return p;
  }
  if (value instanceof Tensor) {
    const t = value.detach().clone();
    if (value.isLeaf && value.requiresGrad) t.requiresGrad_(true);
    memo.set(value, t);
    if (value.grad) t.grad = value.grad.detach().clone();
    return t;
  }
  if (ArrayBuffer.isView(value)) {
    const c = (value as unknown as { slice(): unknown }).slice();
    memo.set(value, c);
    return c;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    memo.set(value, out);
    for (const v of value) out.push(copyValue(v, memo));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map();
    memo.set(value, out);
    for (const [k, v] of value) out.set(copyValue(k, memo), copyValue(v, memo));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    memo.set(value, out);
    for (const v of value) out.add(copyValue(v, memo));
    return out;
  }
  // Any other object (modules included): same prototype, every own property copied.
  const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<PropertyKey, unknown>;
  memo.set(value, out);
  for (const key of Reflect.ownKeys(value as object)) {
    const desc = Object.getOwnPropertyDescriptor(value, key) as PropertyDescriptor;
    if ("value" in desc) desc.value = copyValue(desc.value, memo);
    Object.defineProperty(out, key, desc);
  }
  return out;
}

/**
 * A deep copy of a module (or any object graph holding tensors), as Python's `copy.deepcopy`:
 * tensors and parameters get their own storage, shared references stay shared, and the copy has
 * the same class, so its methods and registration work unchanged. Own properties are copied as
 * property descriptors; JavaScript `#private` fields cannot be copied, so a class that keeps state
 * in them needs its own copy method.
 *
 * @example
 * ```ts
 * const ema = deepcopy(model); // independent weights, same architecture
 * ```
 */
export function deepcopy<T>(value: T): T {
  return copyValue(value, new Map()) as T;
}
