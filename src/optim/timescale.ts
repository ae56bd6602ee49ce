/**
 * Choosing decoupled weight decay by its timescale. With decoupled decay each step multiplies the
 * weights by (1 − lr·λ), so the weights are an exponential moving average of recent updates with
 * a timescale of τ = 1/(lr·λ) iterations. Wang & Aitchison argue the right τ is a fixed fraction
 * of the run measured in epochs, so λ should change with lr, dataset size and batch size.
 * @module
 */

import { ValueError } from "../util/errors.js";

/** Inputs of {@link weightDecayFromTimescale}. */
export interface TimescaleOptions {
  /** Length of training in epochs. */
  epochs: number;
  /** The (peak) learning rate. */
  lr: number;
  /** Number of training examples. */
  datasetSize: number;
  /** Examples per step. */
  batchSize: number;
  /** The EMA timescale in epochs (default: `epochs`, i.e. the weights average over the whole run). */
  tauEpochs?: number;
}

/** What {@link weightDecayFromTimescale} returns. */
export interface TimescaleResult {
  /** λ such that 1/(lr·λ) equals the requested timescale in iterations. */
  weightDecay: number;
  /** Steps per epoch: datasetSize / batchSize. */
  iterationsPerEpoch: number;
  /** τ in iterations. */
  tauIterations: number;
  /** τ in epochs. */
  tauEpochs: number;
  /** The per-step shrink factor 1 − lr·λ. */
  shrinkPerStep: number;
}

/**
 * The decoupled weight decay λ whose EMA timescale τ = 1/(lr·λ) iterations equals `tauEpochs`
 * epochs (default: the whole run).
 *
 * @example
 * ```ts
 * tg.optim.weightDecayFromTimescale({ epochs: 10, lr: 1e-3, datasetSize: 50_000, batchSize: 100 });
 * // { weightDecay: 0.2, iterationsPerEpoch: 500, tauIterations: 5000, tauEpochs: 10, shrinkPerStep: 0.9998 }
 * ```
 *
 * References: X. Wang and L. Aitchison, "How to set AdamW's weight decay as you scale model and
 * dataset size", 2024 (arXiv:2405.13698).
 */
export function weightDecayFromTimescale(options: TimescaleOptions): TimescaleResult {
  const { epochs, lr, datasetSize, batchSize } = options;
  const tauEpochs = options.tauEpochs ?? epochs;
  for (const [name, value] of Object.entries({ epochs, lr, datasetSize, batchSize, tauEpochs })) {
    if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
      throw new ValueError(
        `weightDecayFromTimescale: ${name} must be a positive number, got ${String(value)}`,
      );
    }
  }
  const iterationsPerEpoch = datasetSize / batchSize;
  const tauIterations = tauEpochs * iterationsPerEpoch;
  const weightDecay = 1 / (lr * tauIterations);
  return { weightDecay, iterationsPerEpoch, tauIterations, tauEpochs, shrinkPerStep: 1 - lr * weightDecay };
}
