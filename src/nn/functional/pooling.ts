import * as pool from "../../tensor/ops/nn/pool.js";
import type { Tensor } from "../../tensor/tensor.js";
import { RuntimeError } from "../../util/errors.js";
import { checkOptions, expandTuple } from "../options.js";

/** Keyword arguments of `maxPool2d`, with PyTorch's defaults. */
export interface MaxPoolOptions {
  /** Step between windows (default: the kernel size). */
  stride?: number | readonly number[] | null;
  /** Implicit -inf padding on both sides (default 0; at most half the effective kernel). */
  padding?: number | readonly number[];
  /** Spacing between window elements (default 1). */
  dilation?: number | readonly number[];
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Also return the flat index of each maximum (default false). */
  returnIndices?: boolean;
}

/** Keyword arguments of `avgPool2d`, with PyTorch's defaults. */
export interface AvgPoolOptions {
  /** Step between windows (default: the kernel size). */
  stride?: number | readonly number[] | null;
  /** Implicit zero padding on both sides (default 0). */
  padding?: number | readonly number[];
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the padding in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size (default none). */
  divisorOverride?: number | null;
}

function strideOf(
  stride: number | readonly number[] | null | undefined,
  kernel: number[],
  n: number,
): number[] {
  if (stride === null || stride === undefined || (Array.isArray(stride) && stride.length === 0))
    return kernel;
  return expandTuple(stride as number | readonly number[], n, "stride");
}

function maxParams(kernelSize: number | readonly number[], o: MaxPoolOptions): pool.Pool2dParams {
  const k = expandTuple(kernelSize, 2, "kernel_size");
  return {
    kernel: [k[0] as number, k[1] as number],
    stride: strideOf(o.stride, k, 2) as [number, number],
    padding: expandTuple(o.padding ?? 0, 2, "padding") as [number, number],
    dilation: expandTuple(o.dilation ?? 1, 2, "dilation") as [number, number],
    ceilMode: o.ceilMode ?? false,
  };
}

const MAX_OPTIONS = ["stride", "padding", "dilation", "ceilMode", "returnIndices"] as const;
const AVG_OPTIONS = ["stride", "padding", "ceilMode", "countIncludePad", "divisorOverride"] as const;

/**
 * 2-D max pooling over [N, C, H, W] or [C, H, W] input (PyTorch's `F.max_pool2d`). With
 * `returnIndices: true`, returns `[values, indices]` (flat indices within each H×W plane).
 *
 * @example
 * ```ts
 * const y = F.maxPool2d(x, 2);
 * const [v, idx] = F.maxPool2d(x, 3, { stride: 2, padding: 1, returnIndices: true });
 * ```
 */
export function maxPool2d(
  input: Tensor,
  kernelSize: number | readonly number[],
  options: MaxPoolOptions & { returnIndices: true },
): [Tensor, Tensor];
export function maxPool2d(
  input: Tensor,
  kernelSize: number | readonly number[],
  options?: MaxPoolOptions,
): Tensor;
export function maxPool2d(
  input: Tensor,
  kernelSize: number | readonly number[],
  options: MaxPoolOptions = {},
): Tensor | [Tensor, Tensor] {
  const o = checkOptions("max_pool2d", options, MAX_OPTIONS);
  const { values, indices } = pool.maxPool2d(input, maxParams(kernelSize, o));
  return o.returnIndices ? [values, indices] : values;
}

/**
 * 1-D max pooling over [N, C, L] or [C, L] input (computed as a 2-D pooling of height 1).
 *
 * @example
 * ```ts
 * const y = F.maxPool1d(x, 3, { stride: 2 });
 * ```
 */
export function maxPool1d(
  input: Tensor,
  kernelSize: number | readonly number[],
  options: MaxPoolOptions & { returnIndices: true },
): [Tensor, Tensor];
export function maxPool1d(
  input: Tensor,
  kernelSize: number | readonly number[],
  options?: MaxPoolOptions,
): Tensor;
export function maxPool1d(
  input: Tensor,
  kernelSize: number | readonly number[],
  options: MaxPoolOptions = {},
): Tensor | [Tensor, Tensor] {
  const o = checkOptions("max_pool1d", options, MAX_OPTIONS);
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new RuntimeError(
      `max_pool1d() Expected 2D or 3D input tensor, but got [${input.shape.join(", ")}]`,
    );
  }
  const k = expandTuple(kernelSize, 1, "kernel_size")[0] as number;
  const params: pool.Pool2dParams = {
    kernel: [1, k],
    stride: [1, strideOf(o.stride, [k], 1)[0] as number],
    padding: [0, expandTuple(o.padding ?? 0, 1, "padding")[0] as number],
    dilation: [1, expandTuple(o.dilation ?? 1, 1, "dilation")[0] as number],
    ceilMode: o.ceilMode ?? false,
  };
  const { values, indices } = pool.maxPool2d(input.unsqueeze(-2), params);
  const v = values.squeeze(-2);
  return o.returnIndices ? [v, indices.squeeze(-2)] : v;
}

/**
 * 2-D average pooling (PyTorch's `F.avg_pool2d`).
 *
 * @example
 * ```ts
 * const y = F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false });
 * ```
 */
export function avgPool2d(
  input: Tensor,
  kernelSize: number | readonly number[],
  options: AvgPoolOptions = {},
): Tensor {
  const o = checkOptions("avg_pool2d", options, AVG_OPTIONS);
  const k = expandTuple(kernelSize, 2, "kernel_size");
  return pool.avgPool2d(
    input,
    {
      kernel: [k[0] as number, k[1] as number],
      stride: strideOf(o.stride, k, 2) as [number, number],
      padding: expandTuple(o.padding ?? 0, 2, "padding") as [number, number],
      dilation: [1, 1],
      ceilMode: o.ceilMode ?? false,
    },
    { countIncludePad: o.countIncludePad ?? true, divisorOverride: o.divisorOverride ?? null },
  );
}

/**
 * 1-D average pooling (PyTorch computes it as a 2-D pooling of height 1, and so does this).
 *
 * @example
 * ```ts
 * const y = F.avgPool1d(x, 2);
 * ```
 */
export function avgPool1d(
  input: Tensor,
  kernelSize: number | readonly number[],
  options: AvgPoolOptions = {},
): Tensor {
  const o = checkOptions("avg_pool1d", options, AVG_OPTIONS);
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new RuntimeError(
      `avg_pool1d() Expected 2D or 3D input tensor, but got [${input.shape.join(", ")}]`,
    );
  }
  const k = expandTuple(kernelSize, 1, "kernel_size")[0] as number;
  return pool
    .avgPool2d(
      input.unsqueeze(-2),
      {
        kernel: [1, k],
        stride: [1, strideOf(o.stride, [k], 1)[0] as number],
        padding: [0, expandTuple(o.padding ?? 0, 1, "padding")[0] as number],
        dilation: [1, 1],
        ceilMode: o.ceilMode ?? false,
      },
      { countIncludePad: o.countIncludePad ?? true, divisorOverride: null },
    )
    .squeeze(-2);
}

/** An adaptive output size: one size for both dims, or [h, w] where null keeps the input size. */
export type AdaptiveSize = number | readonly [number | null, number | null] | readonly number[];

/**
 * 2-D adaptive average pooling to `outputSize` (PyTorch's `F.adaptive_avg_pool2d`).
 *
 * @example
 * ```ts
 * F.adaptiveAvgPool2d(x, 1);        // global average pooling, [N, C, 1, 1]
 * F.adaptiveAvgPool2d(x, [7, null]); // height 7, width unchanged
 * ```
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  const sizes = typeof outputSize === "number" ? [outputSize, outputSize] : [...outputSize];
  if (sizes.length !== 2) throw new TypeError("output_size must be an integer or a pair");
  const h = sizes[0] ?? (input.shape[input.ndim - 2] as number);
  const w = sizes[1] ?? (input.shape[input.ndim - 1] as number);
  return pool.adaptiveAvgPool2d(input, [h, w]);
}

/**
 * 1-D adaptive average pooling over [N, C, L] or [C, L] input.
 *
 * @example
 * ```ts
 * F.adaptiveAvgPool1d(x, 4);
 * ```
 */
export function adaptiveAvgPool1d(input: Tensor, outputSize: number): Tensor {
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new RuntimeError(
      `adaptive_avg_pool1d(): Expected 2D or 3D tensor, but got [${input.shape.join(", ")}]`,
    );
  }
  return pool.adaptiveAvgPool2d(input.unsqueeze(-2), [1, outputSize]).squeeze(-2);
}
