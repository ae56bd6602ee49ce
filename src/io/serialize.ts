/**
 * In-memory save and load: state objects and plain tensor maps to and from safetensors bytes.
 * No file system access, so these work in browsers too (`io.save`/`io.load` add the files).
 *
 * @module
 */

import { Tensor } from "../tensor/tensor.js";
import { RuntimeError } from "../util/errors.js";
import { assertKnownOptions } from "../util/options.js";
import { rawToTensor, rawToTypedArray, tensorToRaw, typedArrayToRaw } from "./convert.js";
import { decodeSafetensors, encodeSafetensors, type RawTensor } from "./safetensors.js";
import { flatten, unflatten } from "./structure.js";

/**
 * The `__metadata__` key holding the JSON skeleton of a saved object.
 * @example JSON.parse(decodeSafetensors(bytes).metadata![STRUCTURE_KEY]!)
 */
export const STRUCTURE_KEY = "tsgrad";
/**
 * Version of the skeleton format this tsgrad writes and reads.
 * @example STRUCTURE_VERSION // 1
 */
export const STRUCTURE_VERSION = 1;

/** Options of {@link serializeTensors} and `saveTensors`. */
export interface SaveTensorsOptions {
  /** The file's `__metadata__` (string → string). Default `{ format: "pt" }`. */
  metadata?: Record<string, string>;
}

function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A state object (see `Saveable` for what it may hold; anything else is a TypeError naming its
 * path) as safetensors bytes: every tensor (and typed array) is an entry named by its
 * path, and the rest of the object is JSON in `__metadata__.tsgrad`, so {@link deserialize} gives
 * back an equal object. int32 tensors are stored as I64, as PyTorch stores its integer tensors.
 *
 * @example
 * ```ts
 * const bytes = tg.io.serialize({ model: model.stateDict(), step: 10 });
 * const back = tg.io.deserialize(bytes);
 * ```
 */
export function serialize(value: unknown): Uint8Array {
  const { skeleton, entries } = flatten(value);
  const raws: RawTensor[] = entries.map(({ name, value: v }) =>
    v instanceof Tensor ? tensorToRaw(name, v) : typedArrayToRaw(name, v),
  );
  const metadata = {
    format: "pt",
    [STRUCTURE_KEY]: JSON.stringify({ version: STRUCTURE_VERSION, value: skeleton }),
  };
  return encodeSafetensors(raws, metadata);
}

/**
 * Rebuild the object {@link serialize} stored. A safetensors file without tsgrad's structure
 * (e.g. written by PyTorch's `safetensors.torch.save_file`) loads as a plain object of name →
 * tensor, in the order of the data in the file, ready for `model.loadStateDict`. `source` names
 * the data in error messages.
 *
 * @example
 * ```ts
 * const state = tg.io.deserialize(bytes) as Record<string, tg.Tensor>;
 * ```
 */
export function deserialize(bytes: Uint8Array, source = "<bytes>"): unknown {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  const text = metadata?.[STRUCTURE_KEY];
  if (text === undefined) return tensorsRecord(tensors, source);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new RuntimeError(
      `${source}: __metadata__.${STRUCTURE_KEY} is not valid JSON (${(e as Error).message})`,
    );
  }
  const version = (doc as { version?: unknown } | null)?.version;
  if (version !== STRUCTURE_VERSION || !Object.prototype.hasOwnProperty.call(doc, "value")) {
    throw new RuntimeError(
      `${source}: __metadata__.${STRUCTURE_KEY} has structure version ${JSON.stringify(version)}; this tsgrad reads version ${STRUCTURE_VERSION}`,
    );
  }
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const used = new Set<string>();
  const entry = (name: string): RawTensor => {
    const raw = byName.get(name);
    if (raw === undefined) {
      throw new RuntimeError(
        `${source}: the tsgrad structure refers to tensor ${JSON.stringify(name)}, which the file does not contain`,
      );
    }
    used.add(name);
    return raw;
  };
  const value = unflatten(
    (doc as { value: unknown }).value,
    {
      tensor: (name) => rawToTensor(entry(name), source),
      typedArray: (name) => rawToTypedArray(entry(name), source),
    },
    source,
  );
  const unused = tensors.filter((t) => !used.has(t.name)).map((t) => JSON.stringify(t.name));
  if (unused.length > 0) {
    throw new RuntimeError(
      `${source}: the file holds tensors its tsgrad structure does not mention (${unused.join(", ")}); it was modified after saving`,
    );
  }
  return value;
}

function tensorsRecord(tensors: readonly RawTensor[], source: string): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const raw of tensors) defineOwn(out, raw.name, rawToTensor(raw, source));
  return out;
}

/**
 * A plain name → tensor map as safetensors bytes, the form PyTorch's
 * `safetensors.torch.load_file` returns as a dict (int32 tensors as I64, i.e. torch.int64).
 *
 * @example
 * ```ts
 * const bytes = tg.io.serializeTensors(model.stateDict());
 * ```
 */
export function serializeTensors(
  tensors: Readonly<Record<string, Tensor>>,
  options: SaveTensorsOptions = {},
): Uint8Array {
  assertKnownOptions("saveTensors", options, ["metadata"]);
  if (
    tensors === null ||
    typeof tensors !== "object" ||
    Array.isArray(tensors) ||
    tensors instanceof Tensor
  ) {
    throw new TypeError("saveTensors expects an object mapping names to tensors");
  }
  const raws = Object.entries(tensors).map(([name, t]) => {
    if (!(t instanceof Tensor)) {
      throw new TypeError(
        `saveTensors: ${JSON.stringify(name)} is not a Tensor (use io.save for other values)`,
      );
    }
    return tensorToRaw(name, t);
  });
  return encodeSafetensors(raws, options.metadata ?? { format: "pt" });
}

/**
 * The tensors of safetensors bytes as a name → tensor object (in data order), whatever wrote
 * them; see `tsgradDtypeOf` for how dtypes map. `source` names the data in errors.
 *
 * @example
 * ```ts
 * const state = tg.io.deserializeTensors(bytes);
 * ```
 */
export function deserializeTensors(bytes: Uint8Array, source = "<bytes>"): Record<string, Tensor> {
  return tensorsRecord(decodeSafetensors(bytes, source).tensors, source);
}
