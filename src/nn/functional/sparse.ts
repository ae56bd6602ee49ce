import { noGrad } from "../../autograd/grad-mode.js";
import * as emb from "../../tensor/ops/nn/embedding.js";
import type { Tensor } from "../../tensor/tensor.js";
import { RuntimeError, ValueError } from "../../util/errors.js";
import { checkOptions } from "../options.js";

/** Keyword arguments of {@link embedding}, with PyTorch's defaults. */
export interface EmbeddingOptions {
  /** A row that gets no gradient (negative counts from the end; default none). */
  paddingIdx?: number | null;
  /** Renormalise looked-up rows whose norm exceeds this, in place (default none). */
  maxNorm?: number | null;
  /** The p of the norm for `maxNorm` (default 2). */
  normType?: number;
  /** Divide each row's gradient by the index's frequency in the batch (default false). */
  scaleGradByFreq?: boolean;
  /** Sparse gradients; not supported (tsgrad has no sparse tensors). */
  sparse?: boolean;
}

/**
 * Look up rows of `weight` [num, dim] by the integer tensor `input` (PyTorch's `F.embedding`).
 *
 * @example
 * ```ts
 * const vecs = F.embedding(ids, table, { paddingIdx: 0 });
 * ```
 */
export function embedding(input: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  const o = checkOptions("embedding", options, [
    "paddingIdx",
    "maxNorm",
    "normType",
    "scaleGradByFreq",
    "sparse",
  ]);
  if (o.sparse) throw new RuntimeError("sparse embedding gradients are not supported by tsgrad");
  let paddingIdx = o.paddingIdx ?? null;
  if (paddingIdx !== null) {
    const num = weight.shape[0] as number;
    if (paddingIdx > 0 && paddingIdx >= num)
      throw new ValueError("Padding_idx must be within num_embeddings");
    if (paddingIdx < 0) {
      if (paddingIdx < -num) throw new ValueError("Padding_idx must be within num_embeddings");
      paddingIdx = num + paddingIdx;
    }
  }
  if (o.maxNorm !== undefined && o.maxNorm !== null) {
    const maxNorm = o.maxNorm;
    noGrad(() => emb.embeddingRenorm_(weight, input, maxNorm, o.normType ?? 2));
  }
  return emb.embedding(weight, input, paddingIdx, o.scaleGradByFreq ?? false);
}
