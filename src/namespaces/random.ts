/**
 * The `tg.random` namespace: numpy's legacy `RandomState` and PyTorch's `torch.random` functions.
 * Re-exports only.
 */
export { RandomState, type Size } from "../tensor/random-state.js";
export {
  Generator,
  manualSeed,
  seed,
  initialSeed,
  getRngState,
  setRngState,
  defaultGenerator,
} from "../tensor/random.js";
