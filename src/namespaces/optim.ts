/**
 * The `tg.optim` namespace: optimizers, `lrScheduler`, and `swaUtils`. SWA utilities need
 * modules, which `optim/` must not import, so they live in `nn/` and join the namespace here.
 * Re-exports only.
 */
export * from "../optim/index.js";
export * as swaUtils from "../nn/swa-utils.js";
