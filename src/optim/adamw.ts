/**
 * AdamW, PyTorch's `torch.optim.AdamW`: Adam with decoupled weight decay.
 * @module
 */

import { Adam, ADAM_DEFAULTS, type AdamOptions } from "./adam.js";
import { DECOUPLED_DECAY_OPTIONS } from "./weight-decay.js";
import type { Hyperparameters } from "./options.js";
import type { Params } from "./optimizer.js";

/** Options of {@link AdamW}: Adam's, without `decoupledWeightDecay` (always on), weight decay 1e-2. */
export type AdamWOptions = Omit<AdamOptions, "decoupledWeightDecay">;

const DEFAULTS: Hyperparameters = { ...ADAM_DEFAULTS, weightDecay: 1e-2, decoupledWeightDecay: true };

/**
 * AdamW, PyTorch's `torch.optim.AdamW`: {@link Adam} with decoupled weight decay, default
 * `weightDecay` 1e-2.
 *
 * For each parameter θ with gradient g, at step t:
 *
 * ```text
 * g ← −g                                   if maximize
 * θ ← θ·(1 − lr·λ)                         if λ ≠ 0   (decoupled: before the Adam update)
 * m ← m + (1 − β1)·(g − m);  v ← β2·v + (1 − β2)·g²
 * θ ← θ − (lr / (1 − β1^t))·m / (√v / √(1 − β2^t) + ε)     (v → max(v_max, v) with amsgrad)
 * ```
 *
 * Weight decay is **decoupled**: the parameter shrinks by the factor `1 − lr·λ` before the update,
 * and the moments see only the loss gradient. So AdamW is *not* Adam on `loss + (λ/2)·‖θ‖²` (that
 * is Adam's coupled decay); it equals Adam with a manual `θ ← θ·(1 − lr·λ)` before each step. Note
 * the decay is scaled by `lr` (so a learning-rate schedule also schedules the decay). Loading a
 * state dict always leaves `decoupledWeightDecay` on, as in PyTorch.
 *
 * @example
 * ```ts
 * const opt = new tg.optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 * opt.step();
 * ```
 *
 * References: Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019;
 * Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
 */
export class AdamW extends Adam {
  /** The name in messages. @internal */
  static override readonly optimizerName: string = "AdamW";
  /** Defaults in PyTorch's order. @internal */
  static override readonly defaultOptions: Hyperparameters = DEFAULTS;
  /** The options a user may pass. @internal */
  static override readonly optionNames: readonly string[] = [
    ...Object.keys(DEFAULTS).filter((k) => k !== "decoupledWeightDecay"),
    ...DECOUPLED_DECAY_OPTIONS,
  ];

  /**
   * @throws ValueError as {@link Adam}; TypeError for an unknown option (including
   *   `decoupledWeightDecay`, which AdamW does not take).
   */
  constructor(params: Params, options: AdamWOptions = {}) {
    super(params, options);
  }

  protected override upgradeGroup(group: Record<string, unknown>, index: number): void {
    super.upgradeGroup(group, index);
    group.decoupledWeightDecay = true;
  }
}
