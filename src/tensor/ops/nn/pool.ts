import {
  adaptiveAvgPool2dForward,
  avgPool2dForward,
  maxPool2dForward,
  type AvgPoolDivisor,
  type PoolGeometry,
} from "../../../backend/js/pool.js";
import type { FloatBuffer } from "../../../backend/layout.js";
import { RuntimeError } from "../../../util/errors.js";
import { formatShape } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { empty, record, requireFloating } from "../common.js";

/** Kernel, stride, padding and dilation of a 2-D pooling, each as [height, width]. */
export interface Pool2dParams {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly ceilMode: boolean;
}

/**
 * PyTorch's pooling output length: `⌊(in + 2·pad − dil·(k−1) − 1 + (ceil ? stride−1 : 0)) / stride⌋ + 1`,
 * minus one in ceil mode when the last window would start in the right padding.
 *
 * @example
 * ```ts
 * poolingOutputSize(5, 2, 0, 2, 1, true); // 3
 * ```
 */
export function poolingOutputSize(
  inputSize: number,
  kernel: number,
  pad: number,
  stride: number,
  dilation: number,
  ceilMode: boolean,
): number {
  if (stride === 0) throw new RuntimeError("stride should not be zero");
  if (pad < 0) throw new RuntimeError(`pad must be non-negative, but got pad: ${pad}`);
  if (pad > Math.floor(((kernel - 1) * dilation + 1) / 2)) {
    throw new RuntimeError(
      `pad should be at most half of effective kernel size, but got pad=${pad}, kernel_size=${kernel} and dilation=${dilation}`,
    );
  }
  let out =
    Math.floor((inputSize + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0)) / stride) +
    1;
  if (ceilMode && (out - 1) * stride >= inputSize + pad) out--;
  return out;
}

/** Check a 3-D or 4-D pooling input and return (planes, H, W) plus the batch prefix of the shape. */
function planesOf(input: Tensor): { planes: number; height: number; width: number; prefix: number[] } {
  const nd = input.ndim;
  const ok =
    (nd === 3 && input.shape[0] !== 0 && input.shape[1] !== 0 && input.shape[2] !== 0) ||
    (nd === 4 && input.shape[1] !== 0 && input.shape[2] !== 0 && input.shape[3] !== 0);
  if (!ok) {
    throw new RuntimeError(
      `Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:${formatShape(input.shape)}`,
    );
  }
  const prefix = input.shape.slice(0, nd - 2) as number[];
  return {
    planes: prefix.reduce((a, b) => a * b, 1),
    height: input.shape[nd - 2] as number,
    width: input.shape[nd - 1] as number,
    prefix,
  };
}

/**
 * The pooling geometry, with PyTorch's shape checks and messages.
 *
 * @example
 * ```ts
 * poolGeometry(x, { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceilMode: false });
 * ```
 */
export function poolGeometry(input: Tensor, p: Pool2dParams): PoolGeometry {
  const [kH, kW] = p.kernel;
  const [sH, sW] = p.stride;
  const [padH, padW] = p.padding;
  const [dH, dW] = p.dilation;
  if (!(kW > 0 && kH > 0))
    throw new RuntimeError(`kernel size should be greater than zero, but got kH: ${kH} kW: ${kW}`);
  if (!(sW > 0 && sH > 0))
    throw new RuntimeError(`stride should be greater than zero, but got dH: ${sH} dW: ${sW}`);
  if (!(dH > 0 && dW > 0))
    throw new RuntimeError(`dilation should be greater than zero, but got dilationH: ${dH} dilationW: ${dW}`);
  const { planes, height, width, prefix } = planesOf(input);
  const outH = poolingOutputSize(height, kH, padH, sH, dH, p.ceilMode);
  const outW = poolingOutputSize(width, kW, padW, sW, dW, p.ceilMode);
  if (outW < 1 || outH < 1) {
    const c = prefix[prefix.length - 1] as number;
    throw new RuntimeError(
      `Given input size: (${c}x${height}x${width}). Calculated output size: (${c}x${outH}x${outW}). Output size is too small`,
    );
  }
  return {
    planes,
    height,
    width,
    kernelH: kH,
    kernelW: kW,
    strideH: sH,
    strideW: sW,
    padH,
    padW,
    dilationH: dH,
    dilationW: dW,
    outH,
    outW,
  };
}

/**
 * 2-D max pooling over the last two dims of a 3-D or 4-D tensor, returning the values and the
 * flat index (within each H×W plane) of each maximum, as `max_pool2d_with_indices`. Recorded as
 * `MaxPool2DWithIndicesBackward0`.
 *
 * @example
 * ```ts
 * const { values, indices } = maxPool2d(x, { kernel: [2, 2], stride: [2, 2], padding: [0, 0],
 *   dilation: [1, 1], ceilMode: false });
 * ```
 */
export function maxPool2d(input: Tensor, p: Pool2dParams): { values: Tensor; indices: Tensor } {
  requireFloating(input, "max_pool2d");
  const g = poolGeometry(input, p);
  const x = input.detach().contiguous();
  const shape = [...input.shape.slice(0, input.ndim - 2), g.outH, g.outW];
  const values = empty(shape, input.dtype);
  const indices = empty(shape, "int32");
  maxPool2dForward(
    x.data as FloatBuffer,
    x.offset,
    g,
    values.data as FloatBuffer,
    indices.data as Int32Array,
  );
  const node = record(values, "maxPool2d", "MaxPool2DWithIndicesBackward0", [input], { geometry: g });
  if (node) node.save([indices]);
  return { values, indices };
}

/**
 * 2-D average pooling (PyTorch's `avg_pool2d`) with `countIncludePad` and `divisorOverride`.
 * Recorded as `AvgPool2DBackward0`.
 *
 * @example
 * ```ts
 * const y = avgPool2d(x, params, { countIncludePad: true, divisorOverride: null });
 * ```
 */
export function avgPool2d(input: Tensor, p: Pool2dParams, d: AvgPoolDivisor): Tensor {
  requireFloating(input, "avg_pool2d");
  if (d.divisorOverride !== null && d.divisorOverride === 0)
    throw new RuntimeError("divisor must be not zero");
  const g = poolGeometry(input, p);
  const x = input.detach().contiguous();
  const out = empty([...input.shape.slice(0, input.ndim - 2), g.outH, g.outW], input.dtype);
  avgPool2dForward(x.data as FloatBuffer, x.offset, g, d, out.data as FloatBuffer);
  record(out, "avgPool2d", "AvgPool2DBackward0", [input], { geometry: g, divisor: d });
  return out;
}

/**
 * 2-D adaptive average pooling to `[outH, outW]` over the last two dims of a 3-D or 4-D tensor.
 * A 1×1 output is a mean over the plane, computed with `mean` as PyTorch does. Recorded as
 * `AdaptiveAvgPool2DBackward0`.
 *
 * @example
 * ```ts
 * const y = adaptiveAvgPool2d(x, [7, 7]);
 * ```
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: readonly [number, number]): Tensor {
  requireFloating(input, "adaptive_avg_pool2d");
  const nd = input.ndim;
  if (!(nd === 3 || nd === 4)) {
    throw new RuntimeError(
      `adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got ${formatShape(input.shape)}`,
    );
  }
  for (let i = 1; i < nd; i++) {
    if (input.shape[i] === 0) {
      throw new RuntimeError(
        `adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${formatShape(input.shape)} with dimension ${i} being empty`,
      );
    }
  }
  const [outH, outW] = outputSize;
  if (outH === 1 && outW === 1) return input.mean([-1, -2], true);
  const { planes, height, width } = planesOf(input);
  const x = input.detach().contiguous();
  const out = empty([...input.shape.slice(0, nd - 2), outH, outW], input.dtype);
  adaptiveAvgPool2dForward(
    x.data as FloatBuffer,
    x.offset,
    planes,
    height,
    width,
    outH,
    outW,
    out.data as FloatBuffer,
  );
  record(out, "adaptiveAvgPool2d", "AdaptiveAvgPool2DBackward0", [input], {
    planes,
    height,
    width,
    outH,
    outW,
  });
  return out;
}
