/**
 * Stochastic weight averaging and exponential moving averages of a model (PyTorch's
 * `torch.optim.swa_utils`): {@link AveragedModel}, {@link SWALR} and {@link updateBn}. It lives in
 * `nn/` because it needs modules; the package re-exports it as `optim.swaUtils`.
 *
 * @example
 * ```ts
 * const swaModel = new AveragedModel(model);
 * const swaSched = new SWALR(opt, { swaLr: 0.05 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   train(model, opt);
 *   if (epoch >= 75) { swaModel.updateParameters(model); swaSched.step(); }
 * }
 * updateBn(loader, swaModel);
 * ```
 * References: Izmailov et al., "Averaging Weights Leads to Wider Optima and Better
 * Generalization", 2018.
 * @module
 */

import { noGrad } from "../autograd/grad-mode.js";
import { Tensor } from "../tensor/tensor.js";
import { deepcopy } from "./deepcopy.js";
import { Module } from "./module.js";
import { BatchNormBase } from "./modules/batchnorm.js";
import { checkOptions } from "./options.js";

/** Average one parameter: return the new average from the current one, the model's, and the count. */
export type AvgFn = (averaged: Tensor, current: Tensor, numAveraged: Tensor) => Tensor;
/** Average lists of parameters in place. */
export type MultiAvgFn = (averaged: Tensor[], current: Tensor[], numAveraged: Tensor) => void;

/**
 * The EMA update applied to whole lists in place: `ema ← lerp(ema, current, 1 − decay)`
 * (PyTorch's `get_ema_multi_avg_fn`, which uses `_foreach_lerp_` on floating tensors).
 *
 * @example
 * ```ts
 * const ema = new AveragedModel(model, { multiAvgFn: getEmaMultiAvgFn(0.999) });
 * ```
 */
export function getEmaMultiAvgFn(decay = 0.999): MultiAvgFn {
  return (averaged, current) => {
    noGrad(() => {
      const floating =
        averaged[0] !== undefined && (averaged[0].dtype === "float32" || averaged[0].dtype === "float64");
      averaged.forEach((e, i) => {
        const c = current[i] as Tensor;
        if (floating) e.lerp_(c, 1 - decay);
        else e.copy_(e.mul(decay).add(c.mul(1 - decay)));
      });
    });
  };
}

/**
 * The per-tensor EMA update `decay·ema + (1 − decay)·current` (PyTorch's `get_ema_avg_fn`).
 *
 * @example
 * ```ts
 * const ema = new AveragedModel(model, { avgFn: getEmaAvgFn(0.99) });
 * ```
 */
export function getEmaAvgFn(decay = 0.999): AvgFn {
  return (ema, current) => noGrad(() => ema.mul(decay).add(current.mul(1 - decay)));
}

/**
 * The running mean applied to whole lists in place:
 * `avg ← lerp(avg, current, 1/(n + 1))` (PyTorch's `get_swa_multi_avg_fn`).
 *
 * @example
 * ```ts
 * const swa = new AveragedModel(model, { multiAvgFn: getSwaMultiAvgFn() });
 * ```
 */
export function getSwaMultiAvgFn(): MultiAvgFn {
  return (averaged, current, numAveraged) => {
    noGrad(() => {
      const n = numAveraged.item();
      averaged.forEach((a, i) => {
        const c = current[i] as Tensor;
        if (a.dtype === "float32" || a.dtype === "float64") a.lerp_(c, 1 / (n + 1));
        else a.add_(c.sub(a), { alpha: 1.0 / (n + 1) });
      });
    });
  };
}

/**
 * The per-tensor running mean `avg + (current − avg)/(n + 1)` (PyTorch's `get_swa_avg_fn`), the
 * default of {@link AveragedModel} on the CPU.
 *
 * @example
 * ```ts
 * const swa = new AveragedModel(model, { avgFn: getSwaAvgFn() });
 * ```
 */
export function getSwaAvgFn(): AvgFn {
  return (averaged, current, numAveraged) =>
    noGrad(() => averaged.add(current.sub(averaged).div(numAveraged.add(1))));
}

/** Options of {@link AveragedModel}. */
export interface AveragedModelOptions {
  /** Per-tensor averaging function (default: the SWA running mean). */
  avgFn?: AvgFn | null;
  /** In-place list averaging function; takes precedence over `avgFn`. */
  multiAvgFn?: MultiAvgFn | null;
  /** Average the buffers too instead of copying them from the model (default false). */
  useBuffers?: boolean;
}

/**
 * A copy of a model whose parameters are an average of the model's over time (PyTorch's
 * `AveragedModel`): SWA's equal-weight running mean by default, or an EMA with
 * {@link getEmaMultiAvgFn}. The copy is registered as the submodule `module` and the count as the
 * buffer `n_averaged`, so its state dict has PyTorch's keys (`n_averaged`, `module.0.weight`, ...).
 *
 * @example
 * ```ts
 * const ema = new AveragedModel(model, { multiAvgFn: getEmaMultiAvgFn(0.999), useBuffers: true });
 * ema.updateParameters(model); // after each optimizer step
 * ```
 */
export class AveragedModel extends Module {
  /** The averaged copy of the model. */
  module: Module;
  readonly avgFn: AvgFn | null;
  readonly multiAvgFn: MultiAvgFn | null;
  readonly useBuffers: boolean;

  constructor(model: Module, options: AveragedModelOptions = {}) {
    super();
    const o = checkOptions("AveragedModel", options, ["avgFn", "multiAvgFn", "useBuffers"]);
    if (!(model instanceof Module)) throw new TypeError("AveragedModel expects a Module");
    this.module = deepcopy(model);
    this.registerBuffer("n_averaged", Tensor._empty([], "int32"));
    this.avgFn = o.avgFn ?? null;
    this.multiAvgFn = o.multiAvgFn ?? null;
    this.useBuffers = o.useBuffers ?? false;
  }

  /** How many models have been averaged in (buffer `n_averaged`). */
  get nAveraged(): Tensor {
    return this.getBuffer("n_averaged") as Tensor;
  }

  override forward(...inputs: unknown[]): unknown {
    return this.module.forward(...inputs);
  }

  /**
   * Fold `model`'s current parameters (and, with `useBuffers`, buffers) into the average. The
   * first call copies them. Without `useBuffers`, the buffers are copied from the model.
   *
   * @example
   * ```ts
   * swaModel.updateParameters(model);
   * ```
   */
  updateParameters(model: Module): void {
    noGrad(() => {
      const selfParams = this.useBuffers
        ? [...this.module.parameters(), ...this.module.buffers()]
        : this.parameters();
      const modelParams = this.useBuffers ? [...model.parameters(), ...model.buffers()] : model.parameters();
      const selfDetached: Tensor[] = [];
      const modelDetached: Tensor[] = [];
      const copy = this.nAveraged.item() === 0;
      selfParams.forEach((pAvg, i) => {
        const pModel = modelParams[i];
        if (pModel === undefined) return;
        const pm = pModel.detach();
        selfDetached.push(pAvg.detach());
        modelDetached.push(pm);
        if (copy) pAvg.detach().copy_(pm);
      });
      if (this.nAveraged.item() > 0) {
        if (this.multiAvgFn !== null || this.avgFn === null) {
          // Group by dtype, as PyTorch groups by (device, dtype) before the list update.
          const groups = new Map<string, [Tensor[], Tensor[]]>();
          selfDetached.forEach((a, i) => {
            const g = groups.get(a.dtype) ?? [[], []];
            g[0].push(a);
            g[1].push(modelDetached[i] as Tensor);
            groups.set(a.dtype, g);
          });
          for (const [avgs, currents] of groups.values()) {
            if (this.multiAvgFn) this.multiAvgFn(avgs, currents, this.nAveraged);
            else {
              // On the CPU PyTorch has no foreach kernels and uses the per-tensor SWA mean.
              const fn = getSwaAvgFn();
              avgs.forEach((a, i) => a.copy_(fn(a, currents[i] as Tensor, this.nAveraged)));
            }
          }
        } else {
          const fn = this.avgFn;
          selfDetached.forEach((a, i) => a.copy_(fn(a, modelDetached[i] as Tensor, this.nAveraged)));
        }
      }
      if (!this.useBuffers) {
        const mine = this.module.buffers();
        const theirs = model.buffers();
        mine.forEach((b, i) => {
          const src = theirs[i];
          if (src) b.detach().copy_(src.detach());
        });
      }
      this.nAveraged.add_(1);
    });
  }
}

/**
 * Recompute the batch-norm running statistics of `model` with one pass over `loader` (PyTorch's
 * `update_bn`): each BatchNorm's statistics are reset and averaged cumulatively (momentum null)
 * over the batches, in training mode; the original momenta and mode are restored afterwards.
 * Each item of `loader` is an input tensor or an array whose first element is.
 *
 * @example
 * ```ts
 * updateBn(trainBatches, swaModel);
 * ```
 */
export function updateBn(loader: Iterable<Tensor | readonly unknown[]>, model: Module): void {
  noGrad(() => {
    const momenta = new Map<BatchNormBase, number | null>();
    for (const m of model.modules()) {
      if (m instanceof BatchNormBase) {
        m.resetRunningStats();
        momenta.set(m, m.momentum);
      }
    }
    if (momenta.size === 0) return;
    const wasTraining = model.training;
    model.train();
    for (const m of momenta.keys()) m.momentum = null;
    for (const item of loader) {
      const input = Array.isArray(item) ? (item[0] as Tensor) : (item as Tensor);
      model.forward(input);
    }
    for (const [m, momentum] of momenta) m.momentum = momentum;
    model.train(wasTraining);
  });
}
