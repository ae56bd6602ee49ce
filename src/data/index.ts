/**
 * The `tg.data` namespace: datasets, samplers, the DataLoader and MNIST (PyTorch's
 * `torch.utils.data`). Re-exports only.
 */
export { asDataset, type Dataset, type DatasetLike } from "./dataset.js";
export { TensorDataset } from "./tensor-dataset.js";
export { Subset } from "./subset.js";
export { randomSplit, splitLengths, type RandomSplitOptions } from "./random-split.js";
export { drawInt64Seed, type Sampler } from "./sampler.js";
export { SequentialSampler } from "./sequential-sampler.js";
export { RandomSampler, type RandomSamplerOptions } from "./random-sampler.js";
export { SubsetRandomSampler } from "./subset-random-sampler.js";
export { BatchSampler, type BatchSamplerOptions } from "./batch-sampler.js";
export { defaultCollate, defaultConvert, type Collated } from "./collate.js";
export { DataLoader, DataLoaderIterator, type DataLoaderOptions } from "./data-loader.js";
export { mnist, type MnistData, type MnistOptions } from "./mnist.js";
