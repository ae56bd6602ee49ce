/**
 * The two models the command trains on MNIST: a one-hidden-layer MLP and a small CNN with batch
 * normalization (so the no-decay rule has normalization weights to exclude).
 *
 * @module
 */

import * as tg from "../index.js";

/**
 * The models on the command line.
 * @example MODEL_NAMES.join(" | "); // "mlp | cnn", as the --model help lists them
 */
export const MODEL_NAMES = ["mlp", "cnn"] as const;

/** One model name. */
export type ModelName = (typeof MODEL_NAMES)[number];

/**
 * Build a model with PyTorch's default initialisation, drawing from the default generator (seed
 * it first). Parameters are created in the current default dtype.
 *
 * - `mlp`: Flatten → Linear(784, hidden) → ReLU → Linear(hidden, 10)
 * - `cnn`: Conv2d(1, 8, 3, padding 1) → ReLU → MaxPool2d(2) → Conv2d(8, 16, 3, padding 1) →
 *   BatchNorm2d(16) → ReLU → MaxPool2d(2) → Flatten → Linear(784, 10)
 *
 * @example
 * ```ts
 * tg.manualSeed(0);
 * const model = buildModel("mlp", 128);
 * model.forward(tg.zeros([2, 1, 28, 28])).shape; // [2, 10]
 * ```
 */
export function buildModel(name: ModelName, hidden: number): tg.nn.Module {
  const { nn } = tg;
  if (name === "mlp") {
    return new nn.Sequential(
      new nn.Flatten(),
      new nn.Linear(784, hidden),
      new nn.ReLU(),
      new nn.Linear(hidden, 10),
    );
  }
  return new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3, { padding: 1 }),
    new nn.BatchNorm2d(16),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(16 * 7 * 7, 10),
  );
}
