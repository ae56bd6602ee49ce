import type { ConvGeometry } from "../../backend/js/conv.js";
import { batchNormBackward, groupNormBackward, layerNormBackward } from "../../backend/js/norm.js";
import {
  adaptiveAvgPool2dBackward,
  avgPool2dBackward,
  maxPool2dBackward,
  type AvgPoolDivisor,
  type PoolGeometry,
} from "../../backend/js/pool.js";
import type { FloatBuffer } from "../../backend/layout.js";
import { Tensor } from "../../tensor/tensor.js";
import {
  geluBackward,
  leakyReluBackward,
  siluBackward,
  type GeluApproximate,
} from "../../tensor/ops/nn/activation.js";
import { convInputGrad, convWeightGrad, type ConvParams } from "../../tensor/ops/nn/conv.js";
import {
  bceWithLogitsGrads,
  pointwiseLossGrads,
  type PointwiseLossKind,
  type Reduction,
} from "../../tensor/ops/nn/loss.js";
import { denseData } from "../../tensor/ops/nn/normalization.js";
import type { Node } from "../node.js";
import type { GradRule } from "./core.js";

type Meta = { shape: readonly number[]; dtype: Tensor["dtype"] };

const meta = (node: Node, i: number): Meta => node.inputMeta[i] as Meta;
const wants = (node: Node, i: number): boolean => node.next[i] !== null && node.next[i] !== undefined;
const zeros = (m: Meta): Tensor => Tensor._empty(m.shape, m.dtype);

/** A tensor of the given metadata holding the values of a double accumulator. */
function fromValues(m: Meta, v: ArrayLike<number>): Tensor {
  const t = zeros(m);
  for (let i = 0; i < v.length; i++) t.data[i] = v[i] as number;
  return t;
}

function convolutionGrads(n: Node, g: Tensor): Array<Tensor | null> {
  const x = n.saved(0);
  const w = n.saved(1);
  const geometry = n.ctx.geometry as ConvGeometry;
  const p = n.ctx.params as ConvParams;
  const gi = wants(n, 0) ? convInputGrad(g, w, x.shape, geometry, p.groups) : null;
  const gw = wants(n, 1) ? convWeightGrad(g, x, w.shape, geometry, p.groups) : null;
  let gb: Tensor | null = null;
  if (wants(n, 2)) {
    const dims = [0];
    for (let d = 2; d < g.ndim; d++) dims.push(d);
    gb = g.sum(dims);
  }
  return [gi, gw, gb];
}

function batchNormGrads(n: Node, g: Tensor): Array<Tensor | null> {
  const x = n.saved(0);
  const w = n.ctx.hasWeight ? n.saved(1).contiguous().toTypedArray() : null;
  const N = x.shape[0] as number;
  const C = x.shape[1] as number;
  const S = x.numel() / Math.max(N * C, 1);
  const gi = wants(n, 0) ? zeros(meta(n, 0)) : null;
  const gw = wants(n, 1) ? zeros(meta(n, 1)) : null;
  const gb = wants(n, 2) ? zeros(meta(n, 2)) : null;
  batchNormBackward(
    denseData(g.contiguous()),
    denseData(x),
    N,
    C,
    S,
    n.ctx.mean as Float64Array,
    n.ctx.invstd as Float64Array,
    w,
    n.ctx.training as boolean,
    (gi?.data ?? null) as FloatBuffer | null,
    (gw?.data ?? null) as FloatBuffer | null,
    (gb?.data ?? null) as FloatBuffer | null,
  );
  return [gi, gw, gb];
}

function layerNormGrads(n: Node, g: Tensor): Array<Tensor | null> {
  const x = n.saved(0);
  const hasWeight = meta(n, 1) !== null;
  const w = hasWeight ? n.saved(1).contiguous().toTypedArray() : null;
  const rows = n.ctx.rows as number;
  const cols = n.ctx.cols as number;
  const gi = wants(n, 0) ? zeros(meta(n, 0)) : null;
  const gw = wants(n, 1) ? new Float64Array(cols) : null;
  const gb = wants(n, 2) ? new Float64Array(cols) : null;
  layerNormBackward(
    denseData(g.contiguous()),
    denseData(x),
    rows,
    cols,
    n.ctx.mean as FloatBuffer,
    n.ctx.rstd as FloatBuffer,
    w,
    (gi?.data ?? null) as FloatBuffer | null,
    gw,
    gb,
  );
  return [gi, gw ? fromValues(meta(n, 1), gw) : null, gb ? fromValues(meta(n, 2), gb) : null];
}

function groupNormGrads(n: Node, g: Tensor): Array<Tensor | null> {
  const x = n.saved(0);
  const hasWeight = meta(n, 1) !== null;
  const w = hasWeight ? n.saved(1).contiguous().toTypedArray() : null;
  const N = x.shape[0] as number;
  const C = x.shape[1] as number;
  const S = x.numel() / Math.max(N * C, 1);
  const gi = wants(n, 0) ? zeros(meta(n, 0)) : null;
  const gw = wants(n, 1) ? new Float64Array(C) : null;
  const gb = wants(n, 2) ? new Float64Array(C) : null;
  groupNormBackward(
    denseData(g.contiguous()),
    denseData(x),
    N,
    C,
    S,
    n.ctx.groups as number,
    n.ctx.mean as FloatBuffer,
    n.ctx.rstd as FloatBuffer,
    w,
    (gi?.data ?? null) as FloatBuffer | null,
    gw,
    gb,
  );
  return [gi, gw ? fromValues(meta(n, 1), gw) : null, gb ? fromValues(meta(n, 2), gb) : null];
}

function nllLossGrad(n: Node, g: Tensor): Tensor {
  const target = n.saved(0);
  const td = target.data.subarray(target.offset) as Int32Array;
  const reduction = n.ctx.reduction as Reduction;
  const ignore = n.ctx.ignoreIndex as number;
  const w = n.ctx.weight as Float64Array | null;
  const B = n.ctx.batch as number;
  const C = n.ctx.classes as number;
  const M = n.ctx.inner as number;
  const m = meta(n, 0);
  const gi = zeros(m);
  const o = gi.data;
  const gd = denseData(g.contiguous());
  const r = m.dtype === "float32" ? Math.fround : (v: number) => v;
  const perElement = reduction === "none" && m.shape.length >= 2;
  const scalarGrad = perElement
    ? 0
    : -(reduction === "mean" ? r((gd[0] as number) / (n.ctx.totalWeight as number)) : (gd[0] as number));
  for (let i = 0; i < B * M; i++) {
    const c = td[i] as number;
    if (c === ignore) continue;
    const b = Math.floor(i / M);
    const at = (b * C + c) * M + (i - b * M);
    if (perElement) o[at] = -(w ? (w[c] as number) : 1) * (gd[i] as number);
    else o[at] = w ? (w[c] as number) * scalarGrad : scalarGrad;
  }
  return gi;
}

/**
 * Gradient rules of the `nn` tensor ops (convolution, pooling, normalisation, losses, ...).
 *
 * @example
 * ```ts
 * const grads = nnRules.convolution!(node, gradOut); // [gInput, gWeight, gBias]
 * ```
 */
export const nnRules: Record<string, GradRule> = {
  convolution: convolutionGrads,
  maxPool2d: (n, g) => {
    const geometry = n.ctx.geometry as PoolGeometry;
    const gi = zeros(meta(n, 0));
    maxPool2dBackward(
      denseData(g.contiguous()),
      n.saved(0).data as Int32Array,
      geometry.planes,
      geometry.outH * geometry.outW,
      geometry.height * geometry.width,
      gi.data as FloatBuffer,
    );
    return [gi];
  },
  avgPool2d: (n, g) => {
    const gi = zeros(meta(n, 0));
    avgPool2dBackward(
      denseData(g.contiguous()),
      n.ctx.geometry as PoolGeometry,
      n.ctx.divisor as AvgPoolDivisor,
      gi.data as FloatBuffer,
    );
    return [gi];
  },
  adaptiveAvgPool2d: (n, g) => {
    const c = n.ctx as { planes: number; height: number; width: number; outH: number; outW: number };
    const gi = zeros(meta(n, 0));
    adaptiveAvgPool2dBackward(
      denseData(g.contiguous()),
      c.planes,
      c.height,
      c.width,
      c.outH,
      c.outW,
      gi.data as FloatBuffer,
    );
    return [gi];
  },
  batchNorm: batchNormGrads,
  layerNorm: layerNormGrads,
  groupNorm: groupNormGrads,
  embedding: (n, g) => {
    const m = meta(n, 0);
    const dim = m.shape[1] as number;
    const idx = n.ctx.indices as Int32Array;
    const pad = n.ctx.paddingIdx as number | null;
    const gw = zeros(m);
    const o = gw.data;
    const gd = denseData(g.contiguous());
    let counts: Map<number, number> | null = null;
    if (n.ctx.scaleGradByFreq) {
      counts = new Map();
      for (const k of idx) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (let i = 0; i < idx.length; i++) {
      const k = idx[i] as number;
      if (k === pad) continue;
      const scale = counts ? 1 / (counts.get(k) as number) : 1;
      const base = k * dim;
      for (let j = 0; j < dim; j++) {
        const v = gd[i * dim + j] as number;
        o[base + j] = (o[base + j] as number) + (counts ? v * scale : v);
      }
    }
    return [gw];
  },
  leakyRelu: (n, g) => [leakyReluBackward(g, n.saved(0), n.ctx.slope as number)],
  gelu: (n, g) => [geluBackward(g, n.saved(0), n.ctx.approximate as GeluApproximate)],
  silu: (n, g) => [siluBackward(g, n.saved(0))],
  nllLoss: (n, g) => [nllLossGrad(n, g)],
  pointwiseLoss: (n, g) =>
    pointwiseLossGrads(
      n.ctx.kind as PointwiseLossKind,
      n.ctx.param as number,
      g,
      n.saved(0),
      n.saved(1),
      wants(n, 0),
      wants(n, 1),
    ),
  bceWithLogits: (n, g) =>
    bceWithLogitsGrads(
      g,
      n.saved(0),
      n.saved(1),
      n.ctx.hasPosWeight ? n.saved(2) : null,
      wants(n, 0),
      wants(n, 1),
    ),
};
