/**
 * The decoupled weight-decay options tsgrad adds to PyTorch's optimizers: how the decay relates to
 * the learning rate (`decayScale`) and whether it is applied only where it does not fight the
 * update (`cautiousWeightDecay`). They are accepted by AdamW, Adam (with `decoupledWeightDecay`),
 * NAdam and RAdam (with `decoupledWeightDecay`) and SGD (with `decoupledWeightDecay`, i.e. SGDW).
 * A group only carries these keys when the user sets them, so default optimizers keep PyTorch's
 * exact `param_groups` and state-dict layout.
 * @module
 */

import { ValueError } from "../util/errors.js";
import type { Hyperparameters } from "./options.js";
import { WeightDecayMode } from "./kernels/adam.js";
import type { ParamGroup } from "./optimizer.js";

/**
 * What multiplies λ in the decoupled shrink `w ← w·(1 − s·λ)`:
 * - `"lr"`: s = lr, PyTorch's AdamW (so a schedule that lowers lr lowers the decay with it);
 * - `"lrRatio"`: s = lr / initialLr, the AdamW paper's schedule multiplier η_t (λ is then the
 *   per-step shrink at the peak learning rate, independent of the base lr);
 * - `"none"`: s = 1, a constant shrink per step whatever the learning rate.
 */
export type DecayScale = "lr" | "lrRatio" | "none";

/**
 * The allowed {@link DecayScale} values.
 * @example tg.optim.DECAY_SCALES.includes("lrRatio"); // true
 */
export const DECAY_SCALES: readonly DecayScale[] = ["lr", "lrRatio", "none"];

/**
 * Option names of the decoupled-decay extensions, for optimizers' allowed-option lists.
 * @example const optionNames = [...Object.keys(DEFAULTS), ...DECOUPLED_DECAY_OPTIONS]; // NAdam's
 */
export const DECOUPLED_DECAY_OPTIONS = ["decayScale", "cautiousWeightDecay"] as const;

/**
 * Validate `decayScale` / `cautiousWeightDecay` in resolved options. They only mean something
 * for decoupled decay, so asking for them with coupled decay is an error rather than a no-op.
 * @example checkDecoupledDecayOptions("SGD", { decayScale: "none", decoupledWeightDecay: true })
 */
export function checkDecoupledDecayOptions(owner: string, h: Hyperparameters): void {
  const scale = h.decayScale;
  if (scale !== undefined && !(DECAY_SCALES as readonly unknown[]).includes(scale)) {
    throw new ValueError(
      `Invalid decayScale value: ${JSON.stringify(scale)}; expected one of "lr", "lrRatio", "none"`,
    );
  }
  const cautious = h.cautiousWeightDecay;
  if (cautious !== undefined && typeof cautious !== "boolean") {
    throw new TypeError(`${owner} option cautiousWeightDecay must be a boolean, got ${typeof cautious}`);
  }
  const asked = (scale !== undefined && scale !== "lr") || cautious === true;
  if (asked && h.decoupledWeightDecay !== true) {
    throw new ValueError(
      `${owner}: decayScale and cautiousWeightDecay apply to decoupled weight decay; pass decoupledWeightDecay: true${
        owner === "Adam" ? " (or use AdamW)" : ""
      }`,
    );
  }
}

/**
 * The factor s multiplying λ for a group (see {@link DecayScale}). `"lrRatio"` needs the group's
 * `initialLr`, which LR schedulers set; without a scheduler it is recorded at the first step.
 * @example decayScaleFactor({ params: [], lr: 0.05, initialLr: 0.1, decayScale: "lrRatio" }) // 0.5
 */
export function decayScaleFactor(group: ParamGroup): number {
  const scale = (group.decayScale as DecayScale | undefined) ?? "lr";
  if (scale === "none") return 1;
  if (scale === "lr") return group.lr;
  if (typeof group.initialLr !== "number") group.initialLr = group.lr;
  return group.lr / (group.initialLr as number);
}

/**
 * `1 − s·λ`, the per-step shrink of decoupled decay, in double. With the default scale this is
 * PyTorch's `1 - lr * weight_decay`, evaluated in the same order so results stay bit-exact.
 * @example decoupledDecayFactor({ params: [], lr: 0.1 }, 0.01) // 0.999
 */
export function decoupledDecayFactor(group: ParamGroup, weightDecay: number): number {
  const scale = (group.decayScale as DecayScale | undefined) ?? "lr";
  if (scale === "lr") return 1 - group.lr * weightDecay;
  return 1 - decayScaleFactor(group) * weightDecay;
}

/** Whether a group asked for cautious decay. @example isCautious({ params: [], lr: 1, cautiousWeightDecay: true }) // true */
export function isCautious(group: ParamGroup): boolean {
  return group.cautiousWeightDecay === true;
}

/**
 * How a group's weight decay enters the Adam-family kernels: not at all (λ = 0), coupled (added to
 * the gradient), decoupled, or decoupled and cautious.
 * @example weightDecayModeOf({ params: [], lr: 1e-3, decoupledWeightDecay: true }, 0.01) // WeightDecayMode.Decoupled
 */
export function weightDecayModeOf(group: ParamGroup, weightDecay: number): WeightDecayMode {
  if (weightDecay === 0) return WeightDecayMode.None;
  if (group.decoupledWeightDecay !== true) return WeightDecayMode.Coupled;
  return isCautious(group) ? WeightDecayMode.Cautious : WeightDecayMode.Decoupled;
}
