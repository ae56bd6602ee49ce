/**
 * The `tg.optim` namespace: optimizers, `lrScheduler`, and `swaUtils`. SWA utilities need
 * modules, which `optim/` must not import, so they live in `nn/` and join the namespace here.
 * Re-exports only.
 */
export * from "../optim/index.js";
export * as swaUtils from "./swa-utils.js";
export {
  paramGroupsWeightDecay,
  isNormalization,
  type WeightDecayGroups,
  type WeightDecayGroupsOptions,
  type WeightDecayReport,
  type WeightDecayRow,
  type ExcludePredicate,
} from "../nn/weight-decay-groups.js";
export { fuseOptimizer, type FusedOptimizer, type FuseOptions } from "../optim/fused/index.js";
