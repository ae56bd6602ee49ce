import { noGrad } from "../../autograd/grad-mode.js";
import { getDefaultDtype, type FloatDType } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";
import { RuntimeError, ValueError } from "../../util/errors.js";
import { embedding } from "../functional/sparse.js";
import * as init from "../init.js";
import { Module } from "../module.js";
import { checkOptions, pyFloat } from "../options.js";
import { Parameter } from "../parameter.js";

/** Options of {@link Embedding}, with PyTorch's defaults. */
export interface EmbeddingLayerOptions {
  /** A row that stays zero at init and gets no gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Renormalise looked-up rows whose norm exceeds this (default none). */
  maxNorm?: number | null;
  /** The p of the norm for `maxNorm` (default 2). */
  normType?: number;
  /** Scale gradients by the inverse frequency of each index in the batch (default false). */
  scaleGradByFreq?: boolean;
  /** Sparse gradients; not supported. */
  sparse?: boolean;
  /** Use this tensor as the weight instead of drawing one. */
  weight?: Tensor;
  /** With `weight`: make it not require grad (default false). */
  freeze?: boolean;
  /** Weight dtype (default: the default dtype). */
  dtype?: FloatDType;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim` (PyTorch's `nn.Embedding`),
 * initialised from N(0, 1) exactly as PyTorch draws it, with the `paddingIdx` row zeroed.
 *
 * @example
 * ```ts
 * const emb = new nn.Embedding(10000, 64, { paddingIdx: 0 });
 * const vecs = emb.forward(tokenIds); // [..., 64]
 * ```
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  maxNorm: number | null;
  normType: number;
  scaleGradByFreq: boolean;
  /** The table [numEmbeddings, embeddingDim]. */
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingLayerOptions = {}) {
    super();
    const o = checkOptions("Embedding", options, [
      "paddingIdx",
      "maxNorm",
      "normType",
      "scaleGradByFreq",
      "sparse",
      "weight",
      "freeze",
      "dtype",
    ]);
    if (o.sparse) throw new RuntimeError("sparse embedding gradients are not supported by tsgrad");
    let paddingIdx = o.paddingIdx ?? null;
    if (paddingIdx !== null) {
      if (paddingIdx > 0 && paddingIdx >= numEmbeddings)
        throw new ValueError("Padding_idx must be within num_embeddings");
      if (paddingIdx < 0) {
        if (paddingIdx < -numEmbeddings) throw new ValueError("Padding_idx must be within num_embeddings");
        paddingIdx = numEmbeddings + paddingIdx;
      }
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = paddingIdx;
    this.maxNorm = o.maxNorm ?? null;
    this.normType = o.normType ?? 2;
    this.scaleGradByFreq = o.scaleGradByFreq ?? false;
    if (o.weight) {
      const shape = o.weight.shape;
      if (shape.length !== 2 || shape[0] !== numEmbeddings || shape[1] !== embeddingDim) {
        throw new ValueError("Shape of weight does not match num_embeddings and embedding_dim");
      }
      this.weight = new Parameter(o.weight, !(o.freeze ?? false));
    } else {
      this.weight = new Parameter(Tensor._empty([numEmbeddings, embeddingDim], o.dtype ?? getDefaultDtype()));
      this.resetParameters();
    }
  }

  /**
   * An embedding whose table is `embeddings` (PyTorch's `Embedding.from_pretrained`), frozen by
   * default.
   *
   * @example
   * ```ts
   * const emb = nn.Embedding.fromPretrained(vectors, { freeze: false });
   * ```
   */
  static fromPretrained(
    embeddings: Tensor,
    options: Omit<EmbeddingLayerOptions, "weight" | "dtype"> = {},
  ): Embedding {
    if (embeddings.ndim !== 2) throw new ValueError("Embeddings parameter is expected to be 2-dimensional");
    return new Embedding(embeddings.shape[0] as number, embeddings.shape[1] as number, {
      ...options,
      weight: embeddings,
      freeze: options.freeze ?? true,
    });
  }

  /** Redraw the table from N(0, 1) and zero the padding row. */
  resetParameters(): void {
    init.normal_(this.weight);
    if (this.paddingIdx !== null) {
      const idx = this.paddingIdx;
      noGrad(() => this.weight.select(0, idx).fill_(0));
    }
  }

  override forward(input: Tensor): Tensor {
    return embedding(input, this.weight, {
      paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm,
      normType: this.normType,
      scaleGradByFreq: this.scaleGradByFreq,
    });
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, max_norm=${pyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${pyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += ", scale_grad_by_freq=True";
    return s;
  }
}
