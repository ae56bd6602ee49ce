import { convolution } from "../../tensor/ops/nn/conv.js";
import type { Tensor } from "../../tensor/tensor.js";
import { RuntimeError } from "../../util/errors.js";
import { checkOptions, expandTuple } from "../options.js";

/** Padding of a convolution: per-dim amounts, or PyTorch's `"same"`/`"valid"` strings. */
export type ConvPadding = number | readonly number[] | "same" | "valid";

/** Keyword arguments of `conv1d`/`conv2d`, with PyTorch's defaults. */
export interface ConvOptions {
  /** Step between windows (default 1). */
  stride?: number | readonly number[];
  /** Zero padding on both sides, or `"same"`/`"valid"` (default 0). */
  padding?: ConvPadding;
  /** Spacing between kernel elements (default 1). */
  dilation?: number | readonly number[];
  /** Number of blocked connections from input to output channels (default 1). */
  groups?: number;
}

const CONV_OPTIONS = ["stride", "padding", "dilation", "groups"] as const;

/**
 * Resolve padding to leading and trailing pads per spatial dim. `"same"` pads the total
 * `dilation·(kernel−1)`, putting the odd element at the end as PyTorch does.
 *
 * @example
 * ```ts
 * resolvePadding("same", [4], [1], [1], 1); // { begin: [1], end: [2] }
 * ```
 */
export function resolvePadding(
  padding: ConvPadding,
  kernel: readonly number[],
  stride: readonly number[],
  dilation: readonly number[],
  n: number,
): { begin: number[]; end: number[] } {
  if (padding === "valid") return { begin: new Array<number>(n).fill(0), end: new Array<number>(n).fill(0) };
  if (padding === "same") {
    if (stride.some((s) => s !== 1))
      throw new RuntimeError("padding='same' is not supported for strided convolutions");
    const begin: number[] = [];
    const end: number[] = [];
    for (let i = 0; i < n; i++) {
      const total = (dilation[i] as number) * ((kernel[i] as number) - 1);
      begin.push(Math.floor(total / 2));
      end.push(total - Math.floor(total / 2));
    }
    return { begin, end };
  }
  if (typeof padding === "string") {
    throw new RuntimeError(`Invalid padding string '${padding}', should be one of ['valid', 'same']`);
  }
  const p = expandTuple(padding, n, "padding");
  return { begin: p, end: [...p] };
}

function convNd(
  name: string,
  n: number,
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  options: ConvOptions,
): Tensor {
  const o = checkOptions(name, options, CONV_OPTIONS);
  if (input.ndim !== n + 1 && input.ndim !== n + 2) {
    throw new RuntimeError(
      `Expected ${n + 1}D (unbatched) or ${n + 2}D (batched) input to ${name}, but got input of size: [${input.shape.join(", ")}]`,
    );
  }
  const stride = expandTuple(o.stride ?? 1, n, "stride");
  const dilation = expandTuple(o.dilation ?? 1, n, "dilation");
  const kernel = weight.shape.slice(2);
  const { begin, end } = resolvePadding(o.padding ?? 0, kernel, stride, dilation, n);
  const unbatched = input.ndim === n + 1;
  const x = unbatched ? input.unsqueeze(0) : input;
  const y = convolution(x, weight, bias ?? null, {
    stride,
    padding: begin,
    paddingEnd: end,
    dilation,
    groups: o.groups ?? 1,
  });
  return unbatched ? y.squeeze(0) : y;
}

/**
 * 1-D convolution (cross-correlation) of [N, C, L] or unbatched [C, L] input with a
 * [O, C/groups, k] weight (PyTorch's `F.conv1d`).
 *
 * @example
 * ```ts
 * const y = F.conv1d(x, w, b, { stride: 2, padding: 1 });
 * ```
 */
export function conv1d(
  input: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: ConvOptions = {},
): Tensor {
  return convNd("conv1d", 1, input, weight, bias, options);
}

/**
 * 2-D convolution (cross-correlation) of [N, C, H, W] or unbatched [C, H, W] input with a
 * [O, C/groups, kh, kw] weight (PyTorch's `F.conv2d`): im2col plus the backend GEMM.
 *
 * @example
 * ```ts
 * const y = F.conv2d(x, w, b, { padding: "same", dilation: 2 });
 * ```
 */
export function conv2d(
  input: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: ConvOptions = {},
): Tensor {
  return convNd("conv2d", 2, input, weight, bias, options);
}
