/**
 * The `tg.io` namespace: saving and loading state dicts and tensors as safetensors files.
 * Re-exports only.
 */
export { save, load, saveTensors, loadTensors } from "./save.js";
export {
  serialize,
  deserialize,
  serializeTensors,
  deserializeTensors,
  type SaveTensorsOptions,
} from "./serialize.js";
export {
  encodeSafetensors,
  decodeSafetensors,
  type RawTensor,
  type DecodedSafetensors,
} from "./safetensors.js";
export { type SafetensorsDtype } from "./dtypes.js";
export { type Saveable } from "./structure.js";
