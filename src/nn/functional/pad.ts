import { cat } from "../../tensor/ops/indexing.js";
import { Tensor } from "../../tensor/tensor.js";
import { RuntimeError } from "../../util/errors.js";
import { checkOptions } from "../options.js";

/** Padding modes of {@link pad} (PyTorch's `F.pad` modes). */
export type PadMode = "constant" | "reflect" | "replicate" | "circular";

function indexTensor(values: number[]): Tensor {
  return new Tensor(Int32Array.from(values), [values.length]);
}

function padDim(x: Tensor, dim: number, before: number, after: number, mode: PadMode, value: number): Tensor {
  const size = x.shape[dim] as number;
  let t = x;
  // Negative pads crop.
  if (before < 0 || after < 0) {
    const start = Math.max(-before, 0);
    const end = size - Math.max(-after, 0);
    t = t.narrow(dim, start, Math.max(end - start, 0));
    before = Math.max(before, 0);
    after = Math.max(after, 0);
  }
  if (before === 0 && after === 0) return t;
  const n = t.shape[dim] as number;
  if (mode === "constant") {
    const block = (k: number): Tensor => {
      const shape = [...t.shape];
      shape[dim] = k;
      const b = Tensor._empty(shape, t.dtype);
      if (value !== 0) b.data.fill(value);
      return b;
    };
    const parts: Tensor[] = [];
    if (before > 0) parts.push(block(before));
    parts.push(t);
    if (after > 0) parts.push(block(after));
    return cat(parts, dim);
  }
  const idx: number[] = [];
  for (let i = -before; i < n + after; i++) {
    if (mode === "replicate") idx.push(Math.min(Math.max(i, 0), n - 1));
    else if (mode === "circular") idx.push(((i % n) + n) % n);
    else {
      // reflect: mirror without repeating the edge element
      let j = i;
      const period = 2 * (n - 1);
      j = ((j % period) + period) % period;
      idx.push(j < n ? j : period - j);
    }
  }
  return t.indexSelect(dim, indexTensor(idx));
}

/**
 * Pad the last dims of `input` (PyTorch's `F.pad`): `pad` lists (before, after) pairs starting
 * from the last dim, as in PyTorch. Negative pads crop. `reflect` mirrors without repeating the
 * edge, `replicate` repeats it, `circular` wraps around. Differentiable.
 *
 * @example
 * ```ts
 * F.pad(x, [1, 1, 2, 0]);                 // last dim +1/+1, second-to-last +2/+0, zeros
 * F.pad(x, [2, 2], { mode: "reflect" });
 * ```
 */
export function pad(
  input: Tensor,
  padding: readonly number[],
  options: { mode?: PadMode; value?: number } = {},
): Tensor {
  const { mode = "constant", value = 0 } = checkOptions("pad", options, ["mode", "value"]);
  if (padding.length % 2 !== 0) throw new RuntimeError("Padding length must be divisible by 2");
  if (padding.length / 2 > input.ndim) {
    throw new RuntimeError("Padding length should be less than or equal to two times the input dimension");
  }
  if (!["constant", "reflect", "replicate", "circular"].includes(mode)) {
    throw new RuntimeError(`Unrecognised padding mode ${mode}`);
  }
  let out = input;
  for (let k = 0; k < padding.length / 2; k++) {
    const dim = input.ndim - 1 - k;
    const before = padding[2 * k] as number;
    const after = padding[2 * k + 1] as number;
    if (
      mode === "reflect" &&
      (before >= (input.shape[dim] as number) || after >= (input.shape[dim] as number))
    ) {
      throw new RuntimeError(
        `Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${before}, ${after}) at dimension ${dim} of input ${JSON.stringify(input.shape).replace(/,/g, ", ")}`,
      );
    }
    if (
      mode === "circular" &&
      (before > (input.shape[dim] as number) || after > (input.shape[dim] as number))
    ) {
      throw new RuntimeError("Padding value causes wrapping around more than once.");
    }
    out = padDim(out, dim, before, after, mode, value);
  }
  return out;
}
