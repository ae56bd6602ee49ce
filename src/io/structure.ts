/**
 * How `io.save` splits a state object into safetensors entries plus a JSON skeleton, and how
 * `io.load` puts it back together.
 *
 * The skeleton is the object itself with each tensor replaced by `{"$tensor": name}` and each
 * typed array by `{"$array": name}`, where `name` is the dotted path (`state.0.exp_avg`,
 * `fc1.weight`), the key the data has in the file. Values JSON cannot hold are markers too:
 * `{"$number": "nan" | "inf" | "-inf" | "-0"}`, `{"$bigint": "123"}`, `{"$undefined": 1}`.
 * Object keys that start with `$` get one more `$`, so a user's key never reads as a marker.
 *
 * @module
 */

import type { TypedArray } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { RuntimeError } from "../util/errors.js";

/** A value `io.save` can store: tensors, typed arrays and JSON-like data nested in objects and arrays. */
export type Saveable =
  | Tensor
  | TypedArray
  | number
  | bigint
  | string
  | boolean
  | null
  | undefined
  | readonly Saveable[]
  | { readonly [key: string]: Saveable };

/** A tensor or typed array found while flattening, with the name it is stored under. */
export interface FlatEntry {
  name: string;
  value: Tensor | TypedArray;
}

/**
 * Name of a tensor at the root of the saved object.
 * @example flatten(tg.zeros([2])).entries[0].name // "tensor"
 */
export const ROOT_NAME = "tensor";
const RESERVED = "__metadata__";

/** Set a property by definition, so that a key like "__proto__" stays an ordinary own property. */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainObject(x: object): boolean {
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

function isTypedArray(x: unknown): x is TypedArray {
  return (
    x instanceof Float32Array ||
    x instanceof Float64Array ||
    x instanceof Int32Array ||
    x instanceof Uint8Array
  );
}

function describe(x: unknown): string {
  if (typeof x === "object" && x !== null) return `a ${(x as object).constructor?.name ?? "object"}`;
  return `a ${typeof x}`;
}

/**
 * Split `value` into a JSON skeleton and the tensors/typed arrays it holds, named by their paths.
 * A name that is already taken (`{"a.b": t, a: {b: u}}`) gets a `#2`, `#3`, … suffix.
 * @example flatten({ fc: { weight: w } }) // { skeleton: { fc: { weight: { $tensor: "fc.weight" } } }, entries: [...] }
 */
export function flatten(value: unknown): { skeleton: unknown; entries: FlatEntry[] } {
  const entries: FlatEntry[] = [];
  const used = new Set<string>([RESERVED]);
  const stack = new Set<object>();
  const nameFor = (path: readonly string[]): string => {
    const base = path.length === 0 ? ROOT_NAME : path.join(".");
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}#${k}`;
    used.add(name);
    return name;
  };
  const where = (path: readonly string[]): string =>
    path.length === 0 ? "the root" : JSON.stringify(path.join("."));
  const walk = (x: unknown, path: string[]): unknown => {
    if (x === null || typeof x === "string" || typeof x === "boolean") return x;
    if (x === undefined) return { $undefined: 1 };
    if (typeof x === "number") {
      if (Number.isNaN(x)) return { $number: "nan" };
      if (x === Infinity) return { $number: "inf" };
      if (x === -Infinity) return { $number: "-inf" };
      if (Object.is(x, -0)) return { $number: "-0" };
      return x;
    }
    if (typeof x === "bigint") return { $bigint: x.toString() };
    if (x instanceof Tensor) {
      const name = nameFor(path);
      entries.push({ name, value: x });
      return { $tensor: name };
    }
    if (isTypedArray(x)) {
      const name = nameFor(path);
      entries.push({ name, value: x });
      return { $array: name };
    }
    if (typeof x !== "object") throw new TypeError(`io.save: cannot store ${describe(x)} at ${where(path)}`);
    if (stack.has(x)) throw new TypeError(`io.save: circular reference at ${where(path)}`);
    if (Array.isArray(x)) {
      stack.add(x);
      const out = Array.from({ length: x.length }, (_, i) => walk(x[i], [...path, String(i)]));
      stack.delete(x);
      return out;
    }
    if (!isPlainObject(x)) {
      throw new TypeError(
        `io.save: cannot store ${describe(x)} at ${where(path)} (only tensors, typed arrays, plain objects, arrays, numbers, bigints, strings, booleans, null and undefined)`,
      );
    }
    stack.add(x);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x))
      defineOwn(out, k.startsWith("$") ? `$${k}` : k, walk(v, [...path, k]));
    stack.delete(x);
    return out;
  };
  const skeleton = walk(value, []);
  return { skeleton, entries };
}

/** What {@link unflatten} needs from the file: the tensor or typed array stored under a name. */
export interface EntryLookup {
  tensor(name: string): Tensor;
  typedArray(name: string): TypedArray;
}

/**
 * Rebuild the saved object from its skeleton, reading each referenced entry through `lookup`.
 * `source` names the file in errors.
 * @example unflatten(skeleton, lookup, "ckpt.safetensors")
 */
export function unflatten(skeleton: unknown, lookup: EntryLookup, source: string): unknown {
  const bad = (what: string): never => {
    throw new RuntimeError(`${source}: the tsgrad structure in __metadata__ is malformed: ${what}`);
  };
  const walk = (x: unknown): unknown => {
    if (x === null || typeof x === "string" || typeof x === "boolean" || typeof x === "number") return x;
    if (Array.isArray(x)) return x.map(walk);
    if (typeof x !== "object") return bad(`unexpected ${typeof x}`);
    const keys = Object.keys(x);
    const rec = x as Record<string, unknown>;
    if (keys.length === 1 && keys[0]!.startsWith("$") && !keys[0]!.startsWith("$$")) {
      const marker = keys[0]!;
      const arg = rec[marker];
      switch (marker) {
        case "$tensor":
          if (typeof arg !== "string") return bad(`$tensor must name an entry, got ${JSON.stringify(arg)}`);
          return lookup.tensor(arg);
        case "$array":
          if (typeof arg !== "string") return bad(`$array must name an entry, got ${JSON.stringify(arg)}`);
          return lookup.typedArray(arg);
        case "$number":
          if (arg === "nan") return NaN;
          if (arg === "inf") return Infinity;
          if (arg === "-inf") return -Infinity;
          if (arg === "-0") return -0;
          return bad(`unknown $number ${JSON.stringify(arg)}`);
        case "$bigint":
          if (typeof arg !== "string" || !/^-?\d+$/.test(arg))
            return bad(`bad $bigint ${JSON.stringify(arg)}`);
          return BigInt(arg);
        case "$undefined":
          return undefined;
        default:
          return bad(`unknown marker ${marker}`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      if (k.startsWith("$") && !k.startsWith("$$")) bad(`unescaped key ${JSON.stringify(k)}`);
      defineOwn(out, k.startsWith("$") ? k.slice(1) : k, walk(rec[k]));
    }
    return out;
  };
  return walk(skeleton);
}
