import { erf } from "../../../backend/js/scalar-math.js";
import type { FloatBuffer } from "../../../backend/layout.js";
import { RuntimeError } from "../../../util/errors.js";
import type { Tensor } from "../../tensor.js";
import { empty, record, requireFloating } from "../common.js";
import { denseData } from "./normalization.js";

const SQRT1_2 = Math.SQRT1_2;
// PyTorch's kBeta = √2 · (2/√π) · 0.5 = √(2/π), and kAlpha = (2/√π) · √½ · 0.5 = 1/√(2π).
const M_2_SQRTPI = 1.1283791670955126;
const GELU_BETA = Math.SQRT2 * M_2_SQRTPI * 0.5;
const GELU_KAPPA = 0.044715;
const GELU_PDF = M_2_SQRTPI * SQRT1_2 * 0.5;

/** GELU's two forms: the exact erf form and PyTorch's tanh approximation. */
export type GeluApproximate = "none" | "tanh";

/**
 * `leaky_relu(x) = x > 0 ? x : x·negativeSlope`. Recorded as `LeakyReluBackward0`.
 *
 * @example
 * ```ts
 * const y = leakyRelu(x, 0.01);
 * ```
 */
export function leakyRelu(input: Tensor, negativeSlope: number): Tensor {
  requireFloating(input, "leaky_relu");
  const x = input.detach().contiguous();
  const xd = denseData(x);
  const out = empty(input.shape, input.dtype);
  const o = out.data as FloatBuffer;
  const s = input.dtype === "float32" ? Math.fround(negativeSlope) : negativeSlope;
  for (let i = 0; i < o.length; i++) {
    const v = xd[i] as number;
    o[i] = v > 0 ? v : v * s;
  }
  const node = record(out, "leakyRelu", "LeakyReluBackward0", [input], { slope: s });
  if (node) node.save([x]);
  return out;
}

/**
 * The Gaussian error linear unit: `x·Φ(x) = x·½·(1 + erf(x/√2))`, or with `approximate: "tanh"`
 * `½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`, in PyTorch's operation order. Recorded as
 * `GeluBackward0`.
 *
 * @example
 * ```ts
 * const y = gelu(x, "tanh");
 * ```
 */
export function gelu(input: Tensor, approximate: GeluApproximate = "none"): Tensor {
  requireFloating(input, "gelu");
  if (approximate !== "none" && approximate !== "tanh") {
    throw new RuntimeError(`approximate argument must be either none or tanh.`);
  }
  const x = input.detach().contiguous();
  const xd = denseData(x);
  const out = empty(input.shape, input.dtype);
  const o = out.data as FloatBuffer;
  if (approximate === "none") {
    for (let i = 0; i < o.length; i++) {
      const v = xd[i] as number;
      o[i] = v * 0.5 * (1 + erf(v * SQRT1_2));
    }
  } else {
    for (let i = 0; i < o.length; i++) {
      const v = xd[i] as number;
      const inner = GELU_BETA * (v + GELU_KAPPA * (v * v * v));
      o[i] = 0.5 * v * (1 + Math.tanh(inner));
    }
  }
  const node = record(out, "gelu", "GeluBackward0", [input], { approximate });
  if (node) node.save([x]);
  return out;
}

/**
 * The derivative of GELU times the incoming gradient, elementwise (PyTorch's `gelu_backward`).
 *
 * @example
 * ```ts
 * const gx = geluBackward(g, x, "none");
 * ```
 */
export function geluBackward(g: Tensor, x: Tensor, approximate: GeluApproximate): Tensor {
  const gd = denseData(g.contiguous());
  const xd = denseData(x.contiguous());
  const out = empty(x.shape, x.dtype);
  const o = out.data as FloatBuffer;
  if (approximate === "none") {
    for (let i = 0; i < o.length; i++) {
      const v = xd[i] as number;
      const cdf = 0.5 * (1 + erf(v * SQRT1_2));
      const pdf = GELU_PDF * Math.exp(v * v * -0.5);
      o[i] = (gd[i] as number) * (cdf + v * pdf);
    }
  } else {
    for (let i = 0; i < o.length; i++) {
      const v = xd[i] as number;
      const sq = v * v;
      const inner = GELU_BETA * (v + GELU_KAPPA * sq * v);
      const t = Math.tanh(inner);
      const left = 0.5 * v;
      const right = 1 + t;
      const dLeft = 0.5 * right;
      const dRight = (1 - t * t) * GELU_BETA * (1 + 3 * GELU_KAPPA * sq);
      o[i] = (gd[i] as number) * (dLeft + left * dRight);
    }
  }
  return out;
}

/**
 * `silu(x) = x·sigmoid(x) = x / (1 + e^{−x})`. Recorded as `SiluBackward0`.
 *
 * @example
 * ```ts
 * const y = silu(x);
 * ```
 */
export function silu(input: Tensor): Tensor {
  requireFloating(input, "silu");
  const x = input.detach().contiguous();
  const xd = denseData(x);
  const out = empty(input.shape, input.dtype);
  const o = out.data as FloatBuffer;
  for (let i = 0; i < o.length; i++) {
    const v = xd[i] as number;
    o[i] = v / (1 + Math.exp(-v));
  }
  const node = record(out, "silu", "SiluBackward0", [input]);
  if (node) node.save([x]);
  return out;
}

/**
 * `g·σ(x)·(1 + x·(1 − σ(x)))`, the derivative of SiLU times the gradient.
 *
 * @example
 * ```ts
 * const gx = siluBackward(g, x);
 * ```
 */
export function siluBackward(g: Tensor, x: Tensor): Tensor {
  const gd = denseData(g.contiguous());
  const xd = denseData(x.contiguous());
  const out = empty(x.shape, x.dtype);
  const o = out.data as FloatBuffer;
  for (let i = 0; i < o.length; i++) {
    const v = xd[i] as number;
    const s = 1 / (1 + Math.exp(-v));
    o[i] = (gd[i] as number) * s * (1 + v * (1 - s));
  }
  return out;
}

/**
 * `g` where `x > 0`, else `g·slope` (leaky ReLU's backward).
 *
 * @example
 * ```ts
 * const gx = leakyReluBackward(g, x, 0.01);
 * ```
 */
export function leakyReluBackward(g: Tensor, x: Tensor, slope: number): Tensor {
  const gd = denseData(g.contiguous());
  const xd = denseData(x.contiguous());
  const out = empty(x.shape, x.dtype);
  const o = out.data as FloatBuffer;
  for (let i = 0; i < o.length; i++)
    o[i] = (xd[i] as number) > 0 ? (gd[i] as number) : (gd[i] as number) * slope;
  return out;
}
