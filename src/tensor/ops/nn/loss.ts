import type { FloatBuffer } from "../../../backend/layout.js";
import { IndexError, RuntimeError, ValueError } from "../../../util/errors.js";
import { formatShape, numelOf, shapesEqual } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { empty, record, requireFloating } from "../common.js";
import { denseData } from "./normalization.js";

/** How a loss reduces its per-element values: PyTorch's `reduction` argument. */
export type Reduction = "none" | "mean" | "sum";

/** PyTorch's `utils::CeilLog2`. */
function ceilLog2(x: number): number {
  if (x <= 2) return 1;
  return Math.floor(Math.log2(x - 1)) + 1;
}

/**
 * The negative log likelihood loss of log-probabilities `input` — [C], [N, C] or [N, C, d1, ...]
 * — against class indices `target` ([], [N] or [N, d1, ...]), with PyTorch's per-class `weight`,
 * `ignoreIndex` and reductions. The mean divides by the summed weight of the non-ignored targets;
 * the sums use PyTorch's 8-level cascade in the tensor type. Recorded as `NllLossBackward0`.
 *
 * @example
 * ```ts
 * const loss = nllLoss(logProbs, target, null, "mean", -100);
 * ```
 */
export function nllLoss(
  input: Tensor,
  target: Tensor,
  weight: Tensor | null,
  reduction: Reduction,
  ignoreIndex: number,
): Tensor {
  requireFloating(input, "nll_loss");
  if (target.dtype !== "int32") {
    throw new RuntimeError(
      `expected scalar type Long but found ${target.dtype === "float64" ? "Double" : target.dtype === "float32" ? "Float" : "Bool"}`,
    );
  }
  if (input.ndim < 1) throw new ValueError(`Expected 1 or more dimensions (got ${input.ndim})`);
  if (input.ndim !== 1 && input.shape[0] !== target.shape[0]) {
    throw new ValueError(
      `Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0] ?? 1}).`,
    );
  }
  if (input.ndim === 1 && target.ndim !== 0) {
    throw new RuntimeError(`Expected target to be 0D when input is 1D, but got target.dim =${target.ndim}`);
  }
  if (input.ndim === 2 && target.ndim !== 1) {
    throw new RuntimeError("0D or 1D target tensor expected, multi-target not supported");
  }
  if (input.ndim > 2) {
    const expected = [input.shape[0] as number, ...input.shape.slice(2)];
    if (!shapesEqual(target.shape, expected)) {
      throw new RuntimeError(
        `Expected target size ${formatShape(expected)}, got ${formatShape(target.shape)}`,
      );
    }
  }
  const classDim = input.ndim === 1 ? 0 : 1;
  const C = input.shape[classDim] as number;
  if (weight && (weight.ndim !== 1 || weight.numel() !== C)) {
    throw new RuntimeError(
      `weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${formatShape(weight.shape)}`,
    );
  }
  const B = input.ndim === 1 ? 1 : (input.shape[0] as number);
  const M = numelOf(input.shape.slice(2));
  const x = denseData(input.detach().contiguous());
  const t = target.detach().contiguous();
  const td = t.data.subarray(t.offset) as Int32Array;
  const w = weight ? Float64Array.from(weight.detach().contiguous().toTypedArray()) : null;
  const r = input.dtype === "float32" ? Math.fround : (v: number) => v;
  const count = B * M;
  const check = (v: number): void => {
    if (v < 0 || v >= C) throw new IndexError(`Target ${v} is out of bounds.`);
  };
  let out: Tensor;
  let totalWeight = 0;
  if (reduction === "none" && input.ndim >= 2) {
    out = empty(input.ndim === 2 ? [B] : target.shape, input.dtype);
    const o = out.data;
    for (let b = 0; b < B; b++) {
      for (let e = 0; e < M; e++) {
        const i = b * M + e;
        const c = td[i] as number;
        if (c === ignoreIndex) {
          o[i] = 0;
          continue;
        }
        check(c);
        const v = x[(b * C + c) * M + e] as number;
        o[i] = w ? -v * (w[c] as number) : -v;
      }
    }
  } else {
    out = empty([], input.dtype);
    if (count === 0 || target.numel() === 0) {
      out.data[0] = reduction === "mean" ? NaN : 0;
    } else {
      const levels = 8;
      const power = Math.max(4, Math.floor(ceilLog2(count) / levels));
      const mask = (1 << power) - 1;
      const wsum = new Float64Array(levels);
      const lsum = new Float64Array(levels);
      let ignored = 0;
      for (let i = 0; i < count; i++) {
        const c = td[i] as number;
        if (c === ignoreIndex) {
          ignored++;
          continue;
        }
        check(c);
        const b = Math.floor(i / M);
        const v = x[(b * C + c) * M + (i - b * M)] as number;
        if (w) {
          const wv = w[c] as number;
          lsum[0] = r((lsum[0] as number) - r(v * wv));
          wsum[0] = r((wsum[0] as number) + wv);
        } else {
          lsum[0] = r((lsum[0] as number) - v);
        }
        for (let j = 0; j + 1 < levels; j++) {
          // Flush level j into level j+1 every 2^(power·(j+1)) elements, as PyTorch's cascade does.
          if ((i & (mask * 2 ** (j * power))) !== 0) break;
          wsum[j + 1] = r((wsum[j + 1] as number) + (wsum[j] as number));
          lsum[j + 1] = r((lsum[j + 1] as number) + (lsum[j] as number));
          wsum[j] = 0;
          lsum[j] = 0;
        }
      }
      let lossTotal = 0;
      let wTotal = 0;
      for (let j = 0; j < levels; j++) {
        lossTotal = r(lossTotal + (lsum[j] as number));
        wTotal = r(wTotal + (wsum[j] as number));
      }
      totalWeight = w ? wTotal : count - ignored;
      out.data[0] = reduction === "mean" ? lossTotal / totalWeight : lossTotal;
    }
  }
  const node = record(out, "nllLoss", "NllLossBackward0", [input], {
    reduction,
    ignoreIndex,
    weight: w,
    totalWeight,
    batch: B,
    classes: C,
    inner: M,
  });
  if (node) node.save([t]);
  return out;
}

/** Elementwise regression and binary losses handled by {@link pointwiseLoss}. */
export type PointwiseLossKind = "mse" | "l1" | "smoothL1" | "huber" | "bce";

/**
 * Unreduced elementwise loss of `input` against `target` (same shape): squared error, absolute
 * error, smooth L1 (`param` = beta), Huber (`param` = delta) or binary cross entropy (log terms
 * clamped at −100, `log(1 − x)` as `log1p(−x)` and targets checked to lie in [0, 1], as current
 * PyTorch does; 1.13 used `log(1 − x)` and did not check targets). Gradients flow to both tensors. Recorded as `<Kind>LossBackward0`.
 *
 * @example
 * ```ts
 * const perElement = pointwiseLoss("huber", x, y, 1.0);
 * ```
 */
export function pointwiseLoss(kind: PointwiseLossKind, input: Tensor, target: Tensor, param = 0): Tensor {
  requireFloating(input, `${kind}_loss`);
  if (!shapesEqual(input.shape, target.shape)) {
    throw new RuntimeError(
      `pointwise loss expects input and target of the same shape, got ${formatShape(input.shape)} and ${formatShape(target.shape)}`,
    );
  }
  if (target.dtype !== input.dtype) {
    throw new RuntimeError(
      `expected scalar type ${input.dtype === "float64" ? "Double" : "Float"} but found ${target.dtype === "float64" ? "Double" : target.dtype === "float32" ? "Float" : target.dtype === "int32" ? "Long" : "Bool"}`,
    );
  }
  const x = input.detach().contiguous();
  const y = target.detach().contiguous();
  const xd = denseData(x);
  const yd = denseData(y);
  const out = empty(input.shape, input.dtype);
  const o = out.data as FloatBuffer;
  const n = o.length;
  const f32 = input.dtype === "float32";
  const r = f32 ? Math.fround : (v: number) => v;
  const p = r(param);
  switch (kind) {
    case "mse":
      for (let i = 0; i < n; i++) {
        const d = r((xd[i] as number) - (yd[i] as number));
        o[i] = d * d;
      }
      break;
    case "l1":
      for (let i = 0; i < n; i++) o[i] = Math.abs((xd[i] as number) - (yd[i] as number));
      break;
    case "smoothL1":
      for (let i = 0; i < n; i++) {
        const z = Math.abs(r((xd[i] as number) - (yd[i] as number)));
        o[i] = z < p ? r(r(0.5 * z) * z) / p : z - r(0.5 * p);
      }
      break;
    case "huber":
      for (let i = 0; i < n; i++) {
        const z = Math.abs(r((xd[i] as number) - (yd[i] as number)));
        o[i] = z < p ? r(0.5 * z) * z : p * r(z - r(0.5 * p));
      }
      break;
    case "bce":
      for (let i = 0; i < n; i++) {
        const v = xd[i] as number;
        const t = yd[i] as number;
        if (!(v >= 0 && v <= 1)) throw new RuntimeError("all elements of input should be between 0 and 1");
        if (!(t >= 0 && t <= 1)) throw new RuntimeError("all elements of target should be between 0 and 1");
        const l1m = Math.max(r(Math.log1p(-v)), -100);
        const lx = Math.max(r(Math.log(v)), -100);
        o[i] = r((t - 1) * l1m) - r(t * lx);
      }
      break;
  }
  const names: Record<PointwiseLossKind, string> = {
    mse: "MseLossBackward0",
    l1: "L1LossBackward0",
    smoothL1: "SmoothL1LossBackward0",
    huber: "HuberLossBackward0",
    bce: "BinaryCrossEntropyBackward0",
  };
  const node = record(out, "pointwiseLoss", names[kind], [input, target], { kind, param: p });
  if (node) node.save([x, y]);
  return out;
}

/**
 * Gradients of {@link pointwiseLoss} with respect to input and target, given the incoming
 * gradient `g` of the unreduced loss (PyTorch's `*_loss_backward` formulas). Not recorded.
 *
 * @example
 * ```ts
 * const [gx, gy] = pointwiseLossGrads("mse", 0, g, x, y, true, true);
 * ```
 */
export function pointwiseLossGrads(
  kind: PointwiseLossKind,
  param: number,
  g: Tensor,
  input: Tensor,
  target: Tensor,
  wantInput: boolean,
  wantTarget: boolean,
): [Tensor | null, Tensor | null] {
  const gd = denseData(g.contiguous());
  const xd = denseData(input);
  const yd = denseData(target);
  const n = gd.length;
  const gi = wantInput ? empty(input.shape, input.dtype) : null;
  const gt = wantTarget ? empty(input.shape, input.dtype) : null;
  const a = (gi?.data ?? null) as FloatBuffer | null;
  const b = (gt?.data ?? null) as FloatBuffer | null;
  const r = input.dtype === "float32" ? Math.fround : (v: number) => v;
  for (let i = 0; i < n; i++) {
    const gv = gd[i] as number;
    const x = xd[i] as number;
    const y = yd[i] as number;
    let dx: number;
    let dy: number;
    switch (kind) {
      case "mse": {
        dx = r(2 * r(x - y)) * gv;
        dy = -dx;
        break;
      }
      case "l1": {
        const d = x - y;
        dx = d > 0 ? gv : d < 0 ? -gv : 0;
        dy = -dx;
        break;
      }
      case "smoothL1": {
        const d = r(x - y);
        dx = d < -param ? -gv : d > param ? gv : r(d * gv) / param;
        dy = -dx;
        break;
      }
      case "huber": {
        const d = r(x - y);
        dx = d < -param ? r(-param * gv) : d > param ? r(param * gv) : d * gv;
        dy = -dx;
        break;
      }
      case "bce": {
        dx = r(gv * r(x - y)) / Math.max(r(r(1 - x) * x), 1e-12);
        dy = r(gv * r(r(Math.log1p(-x)) - r(Math.log(x))));
        break;
      }
    }
    if (a) a[i] = dx;
    if (b) b[i] = dy;
  }
  return [gi, gt];
}

/**
 * Unreduced binary cross entropy on logits, PyTorch's numerically stable form
 * `(1 − y)·x − lw·logσ(x)` with `lw = (posWeight − 1)·y + 1` (or 1 without `posWeight`, which
 * broadcasts against the input). Recorded as `BinaryCrossEntropyWithLogitsBackward0`.
 *
 * @example
 * ```ts
 * const perElement = bceWithLogits(logits, targets, posWeight);
 * ```
 */
export function bceWithLogits(input: Tensor, target: Tensor, posWeight: Tensor | null): Tensor {
  requireFloating(input, "binary_cross_entropy_with_logits");
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ValueError(
      `Target size (${formatShape(target.shape)}) must be the same as input size (${formatShape(input.shape)})`,
    );
  }
  const x = input.detach().contiguous();
  const y = target.detach().contiguous();
  const pw = posWeight ? posWeight.detach().expand(input.shape).contiguous() : null;
  const xd = denseData(x);
  const yd = denseData(y);
  const pd = pw ? denseData(pw) : null;
  const out = empty(input.shape, input.dtype);
  const o = out.data as FloatBuffer;
  const r = input.dtype === "float32" ? Math.fround : (v: number) => v;
  for (let i = 0; i < o.length; i++) {
    const v = xd[i] as number;
    const t = yd[i] as number;
    const logSig = r(Math.min(v, 0) - r(Math.log1p(Math.exp(-Math.abs(v)))));
    const lw = pd ? r(r(((pd[i] as number) - 1) * t) + 1) : 1;
    o[i] = r(r(1 - t) * v) - r(lw * logSig);
  }
  const node = record(out, "bceWithLogits", "BinaryCrossEntropyWithLogitsBackward0", [input, target], {
    hasPosWeight: pw !== null,
  });
  if (node) node.save(pw ? [x, y, pw] : [x, y]);
  return out;
}

/**
 * Gradients of {@link bceWithLogits}: input `((pw·y + 1 − y)·σ(x) − pw·y)·g` (pw = 1 without
 * posWeight, giving `(σ(x) − y)·g`), target `(−x − (pw − 1)·logσ(x))·g`. Not recorded.
 *
 * @example
 * ```ts
 * const [gx] = bceWithLogitsGrads(g, x, y, null, true, false);
 * ```
 */
export function bceWithLogitsGrads(
  g: Tensor,
  input: Tensor,
  target: Tensor,
  posWeight: Tensor | null,
  wantInput: boolean,
  wantTarget: boolean,
): [Tensor | null, Tensor | null] {
  const gd = denseData(g.contiguous());
  const xd = denseData(input);
  const yd = denseData(target);
  const pd = posWeight ? denseData(posWeight) : null;
  const gi = wantInput ? empty(input.shape, input.dtype) : null;
  const gt = wantTarget ? empty(input.shape, input.dtype) : null;
  const a = (gi?.data ?? null) as FloatBuffer | null;
  const b = (gt?.data ?? null) as FloatBuffer | null;
  const r = input.dtype === "float32" ? Math.fround : (v: number) => v;
  for (let i = 0; i < gd.length; i++) {
    const v = xd[i] as number;
    const t = yd[i] as number;
    const gv = gd[i] as number;
    const sig = r(1 / (1 + Math.exp(-v)));
    if (a) {
      if (pd) {
        const tt = r((pd[i] as number) * t);
        a[i] = r(r(r(r(tt + 1) - t) * sig) - tt) * gv;
      } else {
        a[i] = r(sig - t) * gv;
      }
    }
    if (b) {
      const logSig = r(Math.min(v, 0) - r(Math.log1p(Math.exp(-Math.abs(v)))));
      b[i] = pd ? r(-v - r(r((pd[i] as number) - 1) * logSig)) * gv : -v * gv;
    }
  }
  return [gi, gt];
}
