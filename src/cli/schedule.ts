/**
 * The learning-rate schedule of a run, built from PyTorch's schedulers and stepped after every
 * batch: cosine annealing, step decay or one-cycle, with an optional linear warmup in front.
 *
 * @module
 */

import * as tg from "../index.js";
import { CliError } from "./cli-error.js";
import { baseLr, type TrainConfig } from "./config.js";

type LRScheduler = tg.optim.lrScheduler.LRScheduler;

/**
 * The scheduler for `config` (or null for a constant learning rate), over
 * `epochs · stepsPerEpoch` optimizer steps.
 *
 * - `cosine`: CosineAnnealingLR(tMax = steps after warmup, etaMin)
 * - `step`: StepLR(stepSize = stepSize epochs in steps, gamma)
 * - `onecycle`: OneCycleLR(maxLr, totalSteps, pctStart, cycleMomentum)
 * - warmup w > 0: SequentialLR([LinearLR(startFactor, 1, w), schedule], milestones [w])
 *
 * @throws CliError when the warmup is not shorter than the run.
 * @example
 * ```ts
 * const sched = buildScheduler(opt, { ...TRAIN_DEFAULTS, schedule: "cosine" }, 125);
 * ```
 */
export function buildScheduler(
  optimizer: tg.optim.Optimizer,
  config: TrainConfig,
  stepsPerEpoch: number,
): LRScheduler | null {
  const S = tg.optim.lrScheduler;
  const total = config.epochs * stepsPerEpoch;
  const warmup = config.warmup;
  if (warmup >= total) {
    throw new CliError(
      `--warmup ${warmup} must be shorter than the run (${total} steps = ${config.epochs} epochs × ${stepsPerEpoch})`,
    );
  }
  let main: LRScheduler | null;
  switch (config.schedule) {
    case "cosine":
      main = new S.CosineAnnealingLR(optimizer, { tMax: total - warmup, etaMin: config.etaMin });
      break;
    case "step":
      main = new S.StepLR(optimizer, { stepSize: config.stepSize * stepsPerEpoch, gamma: config.gamma });
      break;
    case "onecycle":
      main = new S.OneCycleLR(optimizer, {
        maxLr: config.maxLr ?? baseLr(config),
        totalSteps: total,
        pctStart: config.pctStart,
        cycleMomentum: config.cycleMomentum,
      });
      break;
    case "none":
      main = null;
      break;
  }
  if (warmup === 0) return main;
  const linear = new S.LinearLR(optimizer, {
    startFactor: config.warmupStartFactor,
    endFactor: 1,
    totalIters: warmup,
  });
  if (main === null) return linear;
  return new S.SequentialLR(optimizer, { schedulers: [linear, main], milestones: [warmup] });
}
