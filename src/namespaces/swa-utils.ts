/**
 * The `tg.optim.swaUtils` namespace (PyTorch's `torch.optim.swa_utils`): AveragedModel and updateBn
 * work on modules, so they live in `nn/`; SWALR is an LR scheduler and lives in `optim/`.
 * Re-exports only.
 */
export * from "../nn/swa-utils.js";
export { SWALR, type SWALROptions } from "../optim/lr-scheduler/swalr.js";
