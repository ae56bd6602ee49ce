/**
 * CosineAnnealingWarmRestarts: cosine annealing from the base learning rate to `etaMin`, restarted
 * every `T_i` epochs with `T_i` growing by `tMult`.
 *
 * @module
 */

import { ValueError } from "../../util/errors.js";
import { type SchedulableOptimizer, LRScheduler } from "./lr-scheduler.js";
import { checkOptions, numberOption } from "./options.js";
import { pyLog, pyMod, pyStr, typeName } from "./python.js";

/**
 * Options of {@link CosineAnnealingWarmRestarts} (PyTorch's keyword arguments in camelCase).
 *
 * @example
 * ```ts
 * const opts: CosineAnnealingWarmRestartsOptions = { t0: 10, tMult: 2, etaMin: 1e-5 };
 * ```
 */
export interface CosineAnnealingWarmRestartsOptions {
  /** Epochs until the first restart (`T_0`), a positive integer. */
  t0: number;
  /** Factor by which the period grows after each restart (`T_mult`), an integer ≥ 1. Default 1. */
  tMult?: number;
  /** Minimum learning rate. Default 0. */
  etaMin?: number;
  /** Index of the last epoch when resuming. Default -1 (a fresh start). */
  lastEpoch?: number;
}

/**
 * SGDR: cosine annealing with warm restarts (PyTorch's
 * `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`). Always computed from the base learning
 * rates. `step()` may be called once per batch with a fractional epoch, `step(epoch + i / iters)`,
 * which (unlike the other schedulers) is not deprecated and does not warn.
 *
 * ```
 * lr = η_min + (base − η_min)·(1 + cos(π·T_cur/T_i))/2
 * step():       T_cur ← T_cur + 1; if T_cur ≥ T_i: T_cur ← T_cur mod T_i, T_i ← T_i·T_mult
 * step(epoch):  epoch ≥ T_0 and T_mult = 1: T_cur = epoch mod T_0
 *               epoch ≥ T_0 and T_mult > 1: n = ⌊log_{T_mult}(epoch/T_0·(T_mult − 1) + 1)⌋,
 *                   T_cur = epoch − T_0·(T_mult^n − 1)/(T_mult − 1), T_i = T_0·T_mult^n
 *               epoch < T_0: T_i = T_0, T_cur = epoch
 * ```
 *
 * @example
 * ```ts
 * const sched = new CosineAnnealingWarmRestarts(opt, { t0: 10, tMult: 2 });
 * for (let epoch = 0; epoch < 70; epoch++) {
 *   batches.forEach((batch, i) => {
 *     trainBatch(batch);
 *     sched.step(epoch + i / batches.length);
 *   });
 * }
 * ```
 * References: Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts",
 * https://arxiv.org/abs/1608.03983
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  /** Epochs until the first restart. */
  t0: number;
  /** Length of the current period. */
  tI: number;
  /** Factor by which the period grows after each restart. */
  tMult: number;
  /** Minimum learning rate. */
  etaMin: number;
  /** Epochs since the last restart (fractional after `step(epoch)` with a fraction). */
  tCur: number;

  /**
   * @throws ValueError `"Expected positive integer T_0, but got {T_0}"`,
   *   `"Expected integer T_mult >= 1, but got {T_mult}"`, `"Expected float or int eta_min, ..."`.
   */
  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingWarmRestartsOptions) {
    const opts = checkOptions("CosineAnnealingWarmRestarts", options, ["t0", "tMult", "etaMin", "lastEpoch"]);
    const t0 = opts.t0;
    if (t0 === undefined) throw new TypeError("CosineAnnealingWarmRestarts missing required option t0");
    if (typeof t0 !== "number" || t0 <= 0 || !Number.isInteger(t0)) {
      throw new ValueError(`Expected positive integer T_0, but got ${pyStr(t0)}`);
    }
    const tMult = opts.tMult ?? 1;
    if (typeof tMult !== "number" || tMult < 1 || !Number.isInteger(tMult)) {
      throw new ValueError(`Expected integer T_mult >= 1, but got ${pyStr(tMult)}`);
    }
    const etaMin = opts.etaMin ?? 0.0;
    if (typeof etaMin !== "number") {
      throw new ValueError(
        `Expected float or int eta_min, but got ${pyStr(etaMin)} of type ${typeName(etaMin)}`,
      );
    }
    super(optimizer);
    this.t0 = t0;
    this.tI = t0;
    this.tMult = tMult;
    this.etaMin = etaMin;
    const lastEpoch = numberOption("CosineAnnealingWarmRestarts", opts, "lastEpoch", -1);
    this.tCur = lastEpoch;
    this.initialize(lastEpoch);
  }

  override getLr(): number[] {
    this.warnIfOutsideStep();
    return this.baseLrs.map(
      (base) => this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2,
    );
  }

  /**
   * Advance by one epoch, or jump to `epoch` (fractional epochs allowed, for per-batch stepping).
   *
   * @throws ValueError `"Expected non-negative epoch, but got {epoch}"`.
   */
  override step(epoch?: number | null): void {
    if (epoch === null) epoch = undefined; // Python's None
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.tCur = this.tCur + 1;
      if (this.tCur >= this.tI) {
        this.tCur = pyMod(this.tCur, this.tI);
        this.tI = this.tI * this.tMult;
      }
    } else {
      if (typeof epoch !== "number") throw new TypeError(`epoch must be a number, got ${typeName(epoch)}`);
      if (epoch < 0) throw new ValueError(`Expected non-negative epoch, but got ${pyStr(epoch)}`);
      if (epoch >= this.t0) {
        if (this.tMult === 1) {
          this.tCur = pyMod(epoch, this.t0);
        } else {
          const n = Math.trunc(pyLog((epoch / this.t0) * (this.tMult - 1) + 1) / pyLog(this.tMult));
          this.tCur = epoch - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** n;
        }
      } else {
        this.tI = this.t0;
        this.tCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);

    let values: number[];
    this._getLrCalledWithinStep = true;
    try {
      values = this.getLr();
    } finally {
      this._getLrCalledWithinStep = false;
    }
    this.optimizer.paramGroups.forEach((group, i) => (group.lr = values[i] as number));
    this._lastLr = this.groupValues("lr");
  }

  protected override stateKeys(): Array<[string, string]> {
    return [
      ["T_0", "t0"],
      ["T_i", "tI"],
      ["T_mult", "tMult"],
      ["eta_min", "etaMin"],
      ["T_cur", "tCur"],
      ...super.stateKeys(),
    ];
  }
}
