import { IndexError, RuntimeError } from "../../../util/errors.js";
import type { Tensor } from "../../tensor.js";
import { empty, record } from "../common.js";

function checkIndices(indices: Tensor): void {
  if (indices.dtype !== "int32") {
    const name = indices.dtype === "float32" ? "Float" : indices.dtype === "float64" ? "Double" : "Bool";
    throw new RuntimeError(
      `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.${name}Tensor instead (while checking arguments for embedding)`,
    );
  }
}

/**
 * Rows of `weight` [num, dim] picked by the integer `indices` of any shape, giving
 * [...indices.shape, dim] (PyTorch's `embedding`). The backward adds each output row's gradient
 * into its weight row, skipping `paddingIdx` and, with `scaleGradByFreq`, dividing by how often
 * the index occurs in the batch. Recorded as `EmbeddingBackward0`.
 *
 * @example
 * ```ts
 * const vectors = embedding(table, tg.tensor([[1, 2], [0, 3]]), null, false);
 * ```
 */
export function embedding(
  weight: Tensor,
  indices: Tensor,
  paddingIdx: number | null,
  scaleGradByFreq: boolean,
): Tensor {
  checkIndices(indices);
  if (weight.ndim !== 2) throw new RuntimeError("'weight' must be 2-D");
  const num = weight.shape[0] as number;
  const dim = weight.shape[1] as number;
  const idx = indices.detach().contiguous().toTypedArray() as Int32Array;
  const out = empty([...indices.shape, dim], weight.dtype);
  const o = out.data;
  const rs = weight.strides[0] as number;
  const cs = weight.strides[1] as number;
  for (let i = 0; i < idx.length; i++) {
    const k = idx[i] as number;
    if (k < 0 || k >= num) throw new IndexError("index out of range in self");
    const base = weight.offset + k * rs;
    for (let j = 0; j < dim; j++) o[i * dim + j] = weight.data[base + j * cs] as number;
  }
  record(out, "embedding", "EmbeddingBackward0", [weight], {
    indices: idx,
    paddingIdx,
    scaleGradByFreq,
  });
  return out;
}

/**
 * Rescale, in place, every row of `weight` that `indices` names whose `normType`-norm exceeds
 * `maxNorm`, to norm `maxNorm` (PyTorch's `embedding_renorm_`: `row *= maxNorm / (norm + 1e-7)`).
 * Each distinct row is processed once, in ascending index order. Not recorded.
 *
 * @example
 * ```ts
 * embeddingRenorm_(table, ids, 1.0, 2);
 * ```
 */
export function embeddingRenorm_(weight: Tensor, indices: Tensor, maxNorm: number, normType: number): void {
  checkIndices(indices);
  if (weight.ndim !== 2) throw new RuntimeError("'weight' must be 2-D");
  const idx = Array.from(indices.detach().contiguous().toTypedArray() as Int32Array).sort((a, b) => a - b);
  const num = weight.shape[0] as number;
  const r = weight.dtype === "float32" ? Math.fround : (v: number) => v;
  let last = -1;
  for (const k of idx) {
    if (k === last) continue;
    last = k;
    if (k < 0 || k >= num) throw new IndexError("index out of range in self");
    const row = weight.select(0, k);
    const norm = row.norm(normType).item();
    if (norm > maxNorm) {
      const scale = r(maxNorm / (norm + 1e-7));
      const n = row.shape[0] as number;
      const s = row.strides[0] as number;
      for (let j = 0; j < n; j++)
        row.data[row.offset + j * s] = (row.data[row.offset + j * s] as number) * scale;
    }
  }
  weight._bumpVersion();
}
