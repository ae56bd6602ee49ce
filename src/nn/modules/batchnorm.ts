import { getDefaultDtype, type FloatDType } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";
import { noGrad } from "../../autograd/grad-mode.js";
import { ValueError } from "../../util/errors.js";
import { batchNorm } from "../functional/normalization.js";
import * as init from "../init.js";
import { Module } from "../module.js";
import { checkOptions, pyBool, pyFloat } from "../options.js";
import { Parameter } from "../parameter.js";

/** Options of the batch-norm layers, with PyTorch's defaults. */
export interface BatchNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of each batch in the running statistics; null for a cumulative average (default 0.1). */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true). */
  trackRunningStats?: boolean;
  /** Parameter and buffer dtype (default: the default dtype). */
  dtype?: FloatDType;
}

const OPTIONS = ["eps", "momentum", "affine", "trackRunningStats", "dtype"] as const;

/**
 * Shared implementation of the batch-norm layers (PyTorch's `_BatchNorm`). Buffers are
 * registered as `running_mean`, `running_var` and `num_batches_tracked` (state-dict names) and
 * read through `runningMean`, `runningVar` and `numBatchesTracked`.
 *
 * @example
 * ```ts
 * if (m instanceof nn.BatchNormBase) m.resetRunningStats();
 * ```
 */
export abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  eps: number;
  momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  /** Per-channel scale γ (ones at init), or null without `affine`. */
  weight: Parameter | null;
  /** Per-channel shift β (zeros at init), or null without `affine`. */
  bias: Parameter | null;

  constructor(name: string, numFeatures: number, options: BatchNormLayerOptions) {
    super();
    const o = checkOptions(name, options, OPTIONS);
    const dtype = o.dtype ?? getDefaultDtype();
    this.numFeatures = numFeatures;
    this.eps = o.eps ?? 1e-5;
    this.momentum = o.momentum === undefined ? 0.1 : o.momentum;
    this.affine = o.affine ?? true;
    this.trackRunningStats = o.trackRunningStats ?? true;
    if (this.affine) {
      this.weight = new Parameter(Tensor._empty([numFeatures], dtype));
      this.bias = new Parameter(Tensor._empty([numFeatures], dtype));
    } else {
      this.registerParameter("weight", null);
      this.registerParameter("bias", null);
      this.weight = null;
      this.bias = null;
    }
    if (this.trackRunningStats) {
      this.registerBuffer("running_mean", Tensor._empty([numFeatures], dtype));
      this.registerBuffer("running_var", Tensor._empty([numFeatures], dtype).fill_(1));
      this.registerBuffer("num_batches_tracked", Tensor._empty([], "int32"));
    } else {
      this.registerBuffer("running_mean", null);
      this.registerBuffer("running_var", null);
      this.registerBuffer("num_batches_tracked", null);
    }
    this.resetParameters();
  }

  /** The running mean (buffer `running_mean`), or null without `trackRunningStats`. */
  get runningMean(): Tensor | null {
    return this.getBuffer("running_mean") ?? null;
  }
  set runningMean(t: Tensor | null) {
    this.setBuffer("running_mean", t);
  }
  /** The running (unbiased) variance (buffer `running_var`). */
  get runningVar(): Tensor | null {
    return this.getBuffer("running_var") ?? null;
  }
  set runningVar(t: Tensor | null) {
    this.setBuffer("running_var", t);
  }
  /** How many training batches have updated the statistics (buffer `num_batches_tracked`). */
  get numBatchesTracked(): Tensor | null {
    return this.getBuffer("num_batches_tracked") ?? null;
  }
  set numBatchesTracked(t: Tensor | null) {
    this.setBuffer("num_batches_tracked", t);
  }

  /** Zero the running mean and batch count, set the running variance to one. */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.runningMean?.zero_();
      this.runningVar?.fill_(1);
      this.numBatchesTracked?.zero_();
    });
  }

  /** Reset the running statistics and set γ = 1, β = 0. */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.weight) init.ones_(this.weight);
    if (this.bias) init.zeros_(this.bias);
  }

  /** Throw PyTorch's error for an input of the wrong rank. */
  protected abstract checkInputDim(input: Tensor): void;

  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats) {
      const count = this.numBatchesTracked;
      if (count) {
        noGrad(() => count.add_(1));
        factor = this.momentum === null ? 1 / count.item() : this.momentum;
      }
    }
    const useBatch = this.training || (this.runningMean === null && this.runningVar === null);
    const useRunning = !this.training || this.trackRunningStats;
    return batchNorm(input, useRunning ? this.runningMean : null, useRunning ? this.runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatch,
      momentum: factor,
      eps: this.eps,
    });
  }

  /** A state dict without `num_batches_tracked` (older PyTorch checkpoints) loads with a count of 0. */
  protected override prepareStateDictForLoad(stateDict: Map<string, Tensor>, prefix: string): void {
    const key = prefix + "num_batches_tracked";
    if (this.trackRunningStats && !stateDict.has(key)) stateDict.set(key, Tensor._empty([], "int32"));
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyFloat(this.momentum)}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

/**
 * Batch normalisation over [N, C] or [N, C, L] input (PyTorch's `nn.BatchNorm1d`).
 *
 * @example
 * ```ts
 * const bn = new nn.BatchNorm1d(64, { momentum: null }); // cumulative average
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super("BatchNorm1d", numFeatures, options);
  }

  protected override checkInputDim(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3)
      throw new ValueError(`expected 2D or 3D input (got ${input.ndim}D input)`);
  }
}

/**
 * Batch normalisation over [N, C, H, W] input (PyTorch's `nn.BatchNorm2d`): batch statistics and
 * running-statistic updates in training, running statistics in evaluation.
 *
 * @example
 * ```ts
 * const bn = new nn.BatchNorm2d(16);
 * bn.forward(x); bn.eval(); bn.forward(x);
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super("BatchNorm2d", numFeatures, options);
  }

  protected override checkInputDim(input: Tensor): void {
    if (input.ndim !== 4) throw new ValueError(`expected 4D input (got ${input.ndim}D input)`);
  }
}
