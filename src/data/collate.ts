/**
 * defaultCollate: PyTorch's `default_collate`, turning a list of samples into a batch.
 *
 * @module
 */

import { tensor } from "../tensor/creation.js";
import type { TypedArray } from "../tensor/dtype.js";
import { stack } from "../tensor/ops/indexing.js";
import { Tensor } from "../tensor/tensor.js";
import { IndexError, KeyError, RuntimeError } from "../util/errors.js";

/**
 * The batch type {@link defaultCollate} makes from samples of type `T`: tensors, numbers and
 * booleans become tensors, strings stay as arrays of strings, arrays and objects are collated
 * field by field.
 *
 * @example
 * ```ts
 * type B = tg.data.Collated<[tg.Tensor, number]>; // [Tensor, Tensor]
 * ```
 */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean
    ? Tensor
    : T extends string
      ? string[]
      : T extends TypedArray
        ? Tensor
        : T extends readonly unknown[]
          ? { -readonly [K in keyof T]: Collated<T[K]> }
          : T extends object
            ? { -readonly [K in keyof T]: Collated<T[K]> }
            : never;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function typeName(x: unknown): string {
  if (x === null) return "<class 'NoneType'>";
  if (x === undefined) return "undefined";
  if (typeof x === "object") return `<class '${(x as object).constructor?.name ?? "Object"}'>`;
  return `<class '${typeof x}'>`;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object") return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Numbers as PyTorch collates Python ints (int64 → our int32) or floats (float64). */
function collateNumbers(batch: readonly unknown[]): Tensor {
  const values = batch as readonly number[];
  const ints = values.every(
    (v) => typeof v === "number" && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX,
  );
  return tensor(values as number[], { dtype: ints ? "int32" : "float64" });
}

function isTypedArray(x: unknown): x is TypedArray {
  return (
    x instanceof Float32Array ||
    x instanceof Float64Array ||
    x instanceof Int32Array ||
    x instanceof Uint8Array
  );
}

/** A typed array as a 1-D tensor; bytes (numpy's uint8) become int32, since tsgrad has no uint8. */
function typedToTensor(a: TypedArray): Tensor {
  return a instanceof Uint8Array ? tensor(a, { dtype: "int32" }) : tensor(a);
}

function collate(batch: readonly unknown[]): unknown {
  if (batch.length === 0) throw new IndexError("list index out of range");
  const elem = batch[0];
  if (elem instanceof Tensor) return stack(batch as Tensor[], 0);
  if (typeof elem === "number") return collateNumbers(batch);
  if (typeof elem === "boolean") return tensor(batch as boolean[], { dtype: "bool" });
  if (typeof elem === "string") return [...batch];
  if (isTypedArray(elem)) return stack((batch as TypedArray[]).map(typedToTensor), 0);
  if (Array.isArray(elem)) {
    const size = elem.length;
    if (!batch.every((b) => Array.isArray(b) && b.length === size)) {
      throw new RuntimeError("each element in list of batch should be of equal size");
    }
    const rows = batch as readonly unknown[][];
    return Array.from({ length: size }, (_, k) => collate(rows.map((row) => row[k])));
  }
  if (isPlainObject(elem)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(elem)) {
      out[key] = collate(
        batch.map((d) => {
          if (d === null || typeof d !== "object" || !(key in d)) throw new KeyError(`'${key}'`);
          return (d as Record<string, unknown>)[key];
        }),
      );
    }
    return out;
  }
  throw new TypeError(
    `default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found ${typeName(elem)}`,
  );
}

/**
 * Merge a list of samples into a batch (`torch.utils.data.default_collate`), recursing by the
 * type of the first sample:
 *
 * - tensors → `tg.stack(samples, 0)` (a new leading batch dimension);
 * - numbers → a 1-D tensor: int32 (PyTorch's int64) when all are integers in int32 range, else
 *   float64 (PyTorch's dtype for Python floats; JS cannot tell `1` from `1.0`, so integer-valued
 *   floats come out as int32 — pass a `collateFn` or tensor samples to choose);
 * - booleans → a bool tensor; strings → the array of strings, unchanged;
 * - typed arrays (numpy arrays' counterpart) → tensors, stacked (a Uint8Array as int32: tsgrad has
 *   no uint8);
 * - arrays (tuples) → an array of the collated columns (equal lengths required);
 * - plain objects → an object with each key collated.
 *
 * @example
 * ```ts
 * tg.data.defaultCollate([[tg.tensor([1, 2]), 0], [tg.tensor([3, 4]), 1]]);
 * // [tensor([[1, 2], [3, 4]]), tensor([0, 1])]
 * tg.data.defaultCollate([{ x: 0.5 }, { x: 1.5 }]); // { x: tensor([0.5, 1.5], dtype=torch.float64) }
 * ```
 */
export function defaultCollate<T>(batch: readonly T[]): Collated<T> {
  if (!Array.isArray(batch)) throw new TypeError("defaultCollate expects an array of samples");
  return collate(batch) as Collated<T>;
}

/**
 * What PyTorch applies to single samples when auto-batching is off (`batchSize: null`):
 * `default_convert`, which only turns numpy arrays into tensors, so here typed arrays become
 * tensors (recursively through arrays and plain objects) and everything else is unchanged.
 * @example tg.data.defaultConvert(new Float32Array([1, 2])) // tensor([1., 2.])
 */
export function defaultConvert<T>(sample: T): T {
  const convert = (x: unknown): unknown => {
    if (isTypedArray(x)) return typedToTensor(x);
    if (Array.isArray(x)) return x.map(convert);
    if (isPlainObject(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, convert(v)]));
    return x;
  };
  return convert(sample) as T;
}
