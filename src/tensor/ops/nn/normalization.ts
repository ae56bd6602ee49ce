import {
  batchNormApply,
  batchNormStats,
  groupNormApply,
  layerNormApply,
  rowMoments,
} from "../../../backend/js/norm.js";
import type { FloatBuffer } from "../../../backend/layout.js";
import { RuntimeError } from "../../../util/errors.js";
import { allocate } from "../../dtype.js";
import { formatShape, numelOf, shapesEqual } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { empty, record, requireFloating } from "../common.js";

/** Values of a 1-D tensor as numbers (element `i` at `offset + i·stride`). */
function values1d(t: Tensor): Float64Array {
  const n = t.shape[0] ?? 1;
  const s = t.strides[0] ?? 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = t.data[t.offset + i * s] as number;
  return out;
}

/**
 * The elements of a contiguous tensor as a buffer starting at its first element.
 *
 * @example
 * ```ts
 * const xd = denseData(x.contiguous()); // xd[0] is x's first element
 * ```
 */
export function denseData(t: Tensor): FloatBuffer {
  const d = t.data as FloatBuffer;
  return t.offset === 0 ? d : d.subarray(t.offset);
}

/** Write numbers into a 1-D tensor in place and count the write as a version bump. */
function write1d(t: Tensor, v: ArrayLike<number>): void {
  const s = t.strides[0] ?? 1;
  for (let i = 0; i < v.length; i++) t.data[t.offset + i * s] = v[i] as number;
  t._bumpVersion();
}

/** Options of {@link batchNorm}. */
export interface BatchNormParams {
  readonly training: boolean;
  readonly momentum: number;
  readonly eps: number;
}

/**
 * Batch normalisation over dim 1 of an [N, C, ...] tensor (PyTorch's `native_batch_norm`), with
 * PyTorch's CPU arithmetic: in training, per-channel mean and biased variance of the batch, and an
 * in-place update of the running statistics
 * `running ← momentum·batch + (1 − momentum)·running` (the unbiased variance for `runningVar`);
 * in evaluation, the running statistics. The output is `x·α + β` with `α = invstd·w` and
 * `β = b − mean·α`. Recorded as `NativeBatchNormBackward0`.
 *
 * @example
 * ```ts
 * const y = batchNorm(x, runningMean, runningVar, weight, bias, { training: true, momentum: 0.1, eps: 1e-5 });
 * ```
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null,
  bias: Tensor | null,
  p: BatchNormParams,
): Tensor {
  requireFloating(input, "batch_norm");
  if (input.ndim < 2)
    throw new RuntimeError(`batch_norm: expected input with at least 2 dims, got ${input.ndim}`);
  const N = input.shape[0] as number;
  const C = input.shape[1] as number;
  const S = numelOf(input.shape.slice(2));
  for (const [t, name] of [
    [weight, "weight"],
    [bias, "bias"],
    [runningMean, "running_mean"],
    [runningVar, "running_var"],
  ] as const) {
    if (t && t.numel() !== C) {
      throw new RuntimeError(`${name} should contain ${C} elements not ${t.numel()}`);
    }
  }
  const f32 = input.dtype === "float32";
  const r = f32 ? Math.fround : (v: number) => v;
  const x = input.detach().contiguous();
  const xd = denseData(x);
  const mean = new Float64Array(C);
  const invstd = new Float64Array(C);
  let backwardInvstd = invstd;
  if (p.training) {
    if (input.numel() === 0) {
      throw new RuntimeError(
        `input tensor must have at least one element, but got input_sizes = ${formatShape(input.shape)}`,
      );
    }
    const varSum = new Float64Array(C);
    batchNormStats(xd, N, C, S, mean, varSum);
    const n = N * S;
    for (let c = 0; c < C; c++) invstd[c] = r(1 / Math.sqrt(r((varSum[c] as number) / n) + p.eps));
    const m = r(p.momentum);
    const keep = r(1 - m);
    if (runningMean) {
      const rm = values1d(runningMean);
      for (let c = 0; c < C; c++) rm[c] = r(r(m * (mean[c] as number)) + r(keep * (rm[c] as number)));
      write1d(runningMean, rm);
    }
    if (runningVar) {
      const rv = values1d(runningVar);
      for (let c = 0; c < C; c++) {
        const unbiased = r((varSum[c] as number) / (n - 1));
        rv[c] = r(m * unbiased + r(keep * (rv[c] as number)));
      }
      write1d(runningVar, rv);
    }
  } else {
    if (!runningMean || !runningVar) {
      throw new RuntimeError(`running_${runningMean ? "var" : "mean"} must be defined in evaluation mode`);
    }
    mean.set(values1d(runningMean));
    const rv = values1d(runningVar);
    const eps = r(p.eps);
    backwardInvstd = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      invstd[c] = r(1 / r(Math.sqrt(r((rv[c] as number) + eps))));
      backwardInvstd[c] = r(1 / Math.sqrt((rv[c] as number) + p.eps));
    }
  }
  const w = weight ? values1d(weight) : null;
  const b = bias ? values1d(bias) : null;
  const alpha = new Float64Array(C);
  const beta = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    alpha[c] = r((invstd[c] as number) * (w ? (w[c] as number) : 1));
    beta[c] = r((b ? (b[c] as number) : 0) - (mean[c] as number) * (alpha[c] as number));
  }
  const out = empty(input.shape, input.dtype);
  batchNormApply(xd, N, C, S, alpha, beta, out.data as FloatBuffer);
  const node = record(out, "batchNorm", "NativeBatchNormBackward0", [input, weight, bias], {
    training: p.training,
    hasWeight: weight !== null,
    mean,
    invstd: backwardInvstd,
  });
  if (node) node.save(weight ? [x, weight] : [x]);
  return out;
}

function checkAffine(t: Tensor | null, name: string, normalizedShape: readonly number[]): void {
  if (t && !shapesEqual(t.shape, normalizedShape)) {
    throw new RuntimeError(
      `Expected ${name} to be of same shape as normalized_shape, but got ${name} of shape ${formatShape(t.shape)} and normalized_shape = ${formatShape(normalizedShape)}`,
    );
  }
}

/**
 * Layer normalisation over the trailing `normalizedShape` dims (PyTorch's `native_layer_norm`):
 * `y = (x − mean)·rstd·γ + β` per row, with the population variance and `rstd = 1/√(var + eps)`.
 * Recorded as `NativeLayerNormBackward0`.
 *
 * @example
 * ```ts
 * const y = layerNorm(x, [16], gamma, beta, 1e-5);
 * ```
 */
export function layerNorm(
  input: Tensor,
  normalizedShape: readonly number[],
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
): Tensor {
  requireFloating(input, "layer_norm");
  const k = normalizedShape.length;
  if (k < 1) {
    throw new RuntimeError(
      "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []",
    );
  }
  checkAffine(weight, "weight", normalizedShape);
  checkAffine(bias, "bias", normalizedShape);
  if (input.ndim < k || !shapesEqual(input.shape.slice(input.ndim - k), normalizedShape)) {
    throw new RuntimeError(
      `Given normalized_shape=${formatShape(normalizedShape)}, expected input with shape [*${normalizedShape.map((s) => `, ${s}`).join("")}], but got input of size${formatShape(input.shape)}`,
    );
  }
  const cols = numelOf(normalizedShape);
  const rows = numelOf(input.shape.slice(0, input.ndim - k));
  const x = input.detach().contiguous();
  const xd = denseData(x);
  const mean = allocate(input.dtype, rows) as FloatBuffer;
  const rstd = allocate(input.dtype, rows) as FloatBuffer;
  rowMoments(xd, rows, cols, eps, mean, rstd);
  const out = empty(input.shape, input.dtype);
  layerNormApply(
    xd,
    rows,
    cols,
    mean,
    rstd,
    weight ? weight.detach().contiguous().toTypedArray() : null,
    bias ? bias.detach().contiguous().toTypedArray() : null,
    out.data as FloatBuffer,
  );
  const node = record(out, "layerNorm", "NativeLayerNormBackward0", [input, weight, bias], {
    rows,
    cols,
    mean,
    rstd,
  });
  if (node) node.save(weight ? [x, weight] : [x]);
  return out;
}

/**
 * Group normalisation of an [N, C, ...] tensor with `numGroups` groups of channels (PyTorch's
 * `native_group_norm`), with optional per-channel γ and β. Recorded as `NativeGroupNormBackward0`.
 *
 * @example
 * ```ts
 * const y = groupNorm(x, 2, gamma, beta, 1e-5);
 * ```
 */
export function groupNorm(
  input: Tensor,
  numGroups: number,
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
): Tensor {
  requireFloating(input, "group_norm");
  if (input.ndim < 2) {
    throw new RuntimeError(`Expected at least 2 dimensions for input tensor but received ${input.ndim}`);
  }
  const N = input.shape[0] as number;
  const C = input.shape[1] as number;
  if (!Number.isInteger(numGroups) || numGroups <= 0 || C % numGroups !== 0) {
    throw new RuntimeError(
      `Expected number of channels in input to be divisible by num_groups, but got input of shape ${formatShape(input.shape)} and num_groups=${numGroups}`,
    );
  }
  for (const [t, name] of [
    [weight, "weight"],
    [bias, "bias"],
  ] as const) {
    if (t && (t.ndim !== 1 || t.numel() !== C)) {
      throw new RuntimeError(
        `Expected ${name} to be a vector of size equal to the number of channels in input, but got ${name} of shape ${formatShape(t.shape)} and input of shape ${formatShape(input.shape)}`,
      );
    }
  }
  const S = numelOf(input.shape.slice(2));
  const x = input.detach().contiguous();
  const xd = denseData(x);
  const rows = N * numGroups;
  const mean = allocate(input.dtype, rows) as FloatBuffer;
  const rstd = allocate(input.dtype, rows) as FloatBuffer;
  rowMoments(xd, rows, (C / numGroups) * S, eps, mean, rstd);
  const out = empty(input.shape, input.dtype);
  groupNormApply(
    xd,
    N,
    C,
    S,
    numGroups,
    mean,
    rstd,
    weight ? weight.detach().contiguous().toTypedArray() : null,
    bias ? bias.detach().contiguous().toTypedArray() : null,
    out.data as FloatBuffer,
  );
  const node = record(out, "groupNorm", "NativeGroupNormBackward0", [input, weight, bias], {
    groups: numGroups,
    mean,
    rstd,
  });
  if (node) node.save(weight ? [x, weight] : [x]);
  return out;
}
