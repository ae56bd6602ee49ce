/**
 * The MNIST digits of the `mnist` package, split once into disjoint training and test sets by a
 * seeded permutation (its own generator, so the split does not move the default generator).
 *
 * @module
 */

import * as tg from "../index.js";

/** Training and test images ([N, 1, 28, 28]) with their labels ([N], int32). */
export interface MnistSplit {
  trainImages: tg.Tensor;
  trainLabels: tg.Tensor;
  testImages: tg.Tensor;
  testLabels: tg.Tensor;
}

/**
 * Shuffle the 10,000 digits with `Generator().manualSeed(seed)` and take the first `trainSize`
 * for training and the next `testSize` for testing.
 *
 * @example
 * ```ts
 * const data = loadMnistSplit({ trainSize: 8000, testSize: 2000, seed: 0, dtype: "float32" });
 * data.trainImages.shape; // [8000, 1, 28, 28]
 * ```
 */
export function loadMnistSplit(options: {
  trainSize: number;
  testSize: number;
  seed: number;
  dtype: "float32" | "float64";
}): MnistSplit {
  const { images, labels } = tg.data.mnist({ dtype: options.dtype });
  const generator = new tg.Generator().manualSeed(options.seed);
  const order = tg.randperm(images.shape[0]!, { generator });
  const train = order.narrow(0, 0, options.trainSize);
  const test = order.narrow(0, options.trainSize, options.testSize);
  return {
    trainImages: images.indexSelect(0, train),
    trainLabels: labels.indexSelect(0, train),
    testImages: images.indexSelect(0, test),
    testLabels: labels.indexSelect(0, test),
  };
}
