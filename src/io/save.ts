/**
 * `io.save` / `io.load` and `io.saveTensors` / `io.loadTensors`: safetensors files on disk.
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.js";
import { readFileBytes, writeFileAtomic } from "./fs.js";
import {
  deserialize,
  deserializeTensors,
  serialize,
  serializeTensors,
  type SaveTensorsOptions,
} from "./serialize.js";

/**
 * Save a model or optimizer state dict (any nesting of plain objects and arrays holding tensors,
 * numbers, strings, booleans, null) to one safetensors file, atomically: the file is written
 * under a temporary name, synced, and renamed into place, so a crash never leaves a partial file
 * at `path`. Tensors are entries named by their path (`fc1.weight`, `state.0.exp_avg`), so
 * `safetensors.torch.load_file` reads a model's state dict straight into `load_state_dict`; the
 * rest of the object is JSON in the header's `__metadata__`, from which {@link load} rebuilds it.
 * Node only.
 *
 * @example
 * ```ts
 * tg.io.save("checkpoint.safetensors", { model: model.stateDict(), optimizer: opt.stateDict(), epoch: 3 });
 * tg.io.save("model.safetensors", model.stateDict()); // torch: model.load_state_dict(load_file(...))
 * ```
 */
export function save(path: string, value: unknown): void {
  writeFileAtomic(path, serialize(value), "io.save");
}

/**
 * Load what {@link save} wrote, as an equal object (tensors are new leaves that do not require
 * grad). A safetensors file from elsewhere (PyTorch, Hugging Face) loads as a name → tensor
 * object. Truncated, oversized or malformed files raise a RuntimeError naming the file and what
 * was expected. Node only.
 *
 * @example
 * ```ts
 * const ckpt = tg.io.load("checkpoint.safetensors") as { model: Record<string, tg.Tensor>; epoch: number };
 * model.loadStateDict(ckpt.model);
 * ```
 */
export function load(path: string): unknown {
  return deserialize(readFileBytes(path, "io.load"), path);
}

/**
 * Save a plain name → tensor map as a safetensors file (atomically), exactly what PyTorch's
 * `safetensors.torch.save_file` would write for the same tensors: no tsgrad structure, int32
 * tensors as I64, `__metadata__` `{ format: "pt" }` unless given. Node only.
 *
 * @example
 * ```ts
 * tg.io.saveTensors("weights.safetensors", { "fc.weight": w, "fc.bias": b });
 * ```
 */
export function saveTensors(
  path: string,
  tensors: Readonly<Record<string, Tensor>>,
  options: SaveTensorsOptions = {},
): void {
  writeFileAtomic(path, serializeTensors(tensors, options), "io.saveTensors");
}

/**
 * Load every tensor of a safetensors file, whoever wrote it, as a name → tensor object in data
 * order. Node only.
 *
 * @example
 * ```ts
 * const weights = tg.io.loadTensors("weights.safetensors");
 * ```
 */
export function loadTensors(path: string): Record<string, Tensor> {
  return deserializeTensors(readFileBytes(path, "io.loadTensors"), path);
}
