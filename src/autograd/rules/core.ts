import { Tensor } from "../../tensor/tensor.js";
import { where } from "../../tensor/ops/elementwise.js";
import { indexAddInto, scatterAddInto } from "../../tensor/ops/indexing.js";
import { applySliceLike } from "../../tensor/ops/movement.js";
import { expandReduced, sumToShape, unsqueezeReduced } from "../../tensor/ops/reduce.js";
import { copyStrided, fillStrided, mapBinary } from "../../backend/js/elementwise.js";
import { planReduce } from "../../backend/js/reduce.js";
import { allocate } from "../../tensor/dtype.js";
import { broadcastTo, castScalar } from "../../tensor/ops/common.js";
import { RuntimeError } from "../../util/errors.js";
import type { Node } from "../node.js";
import type { ViewGeometry } from "../view-node.js";
import { gradRules } from "./index.js";

/**
 * A backward rule: given the node and the gradient of its output, the gradient of each input
 * (null where the input needs none). Rules run with grad mode off.
 */
export type GradRule = (node: Node, g: Tensor) => Array<Tensor | null>;

type Meta = { shape: readonly number[]; dtype: Tensor["dtype"] };

const meta = (node: Node, i: number): Meta => node.inputMeta[i] as Meta;
const wants = (node: Node, i: number): boolean => node.next[i] !== null && node.next[i] !== undefined;
const zeros = (m: Meta): Tensor => Tensor._empty(m.shape, m.dtype);
const num = (node: Node, key: string): number => node.ctx[key] as number;
const dimsOf = (node: Node): number[] => node.ctx.dims as number[];
const shapeOf = (node: Node): number[] => node.ctx.shape as number[];

/** Gradient of an op that broadcast its inputs: sum back to each input's shape. */
const reduceTo = (g: Tensor, node: Node, i: number): Tensor => sumToShape(g, meta(node, i).shape);

/** A gradient the shape of the input, zero except where a slice-like view picked elements. */
function placeInto(m: Meta, g: Tensor, fill: (target: Tensor) => Tensor): Tensor {
  const out = zeros(m);
  const view = fill(out);
  copyStrided(g.data, g, out.data, view);
  return out;
}

function extremeGrad(node: Node, g: Tensor): Tensor {
  const x = node.saved(0);
  const out = node.saved(1);
  const dims = dimsOf(node);
  const keepdim = node.ctx.keepdim as boolean;
  const outB = unsqueezeReduced(out, x.shape, dims, keepdim);
  // Ties share the gradient; a NaN result is "attained" by the NaN inputs.
  const mask = x.eq(outB).to(x.dtype).maximum(x.isnan().mul(outB.isnan()).to(x.dtype));
  const count = mask.sum(dims, true);
  return unsqueezeReduced(g, x.shape, dims, keepdim).div(count).mul(mask);
}

function varianceGrad(node: Node, g: Tensor, x: Tensor): Tensor {
  const dims = dimsOf(node);
  const keepdim = node.ctx.keepdim as boolean;
  let n = 1;
  for (const d of dims) n *= x.shape[d] as number;
  const centered = x.sub(x.mean(dims, true));
  return centered.mul(unsqueezeReduced(g, x.shape, dims, keepdim).mul(2 / (n - num(node, "correction"))));
}

function matmulGrads(node: Node, g: Tensor): Array<Tensor | null> {
  const a = node.saved(0);
  const b = node.saved(1);
  const a2 = a.ndim === 1 ? a.reshape([1, a.shape[0] as number]) : a;
  const b2 = b.ndim === 1 ? b.reshape([b.shape[0] as number, 1]) : b;
  // Restore the squeezed dims so g has the [...batch, M, N] shape of the 2-D+ product.
  let g2 = g;
  if (a.ndim === 1) g2 = g2.unsqueeze(g2.ndim - (b.ndim === 1 ? 0 : 1));
  if (b.ndim === 1) g2 = g2.unsqueeze(g2.ndim);
  const ga = wants(node, 0)
    ? isColumnMajor(a) && b2.ndim === 2
      ? b2.matmul(g2.transpose(-1, -2)).transpose(-1, -2)
      : sumToShape(g2.matmul(b2.transpose(-1, -2)), a2.shape).reshape(a.shape)
    : null;
  const gb = wants(node, 1)
    ? isColumnMajor(b) && a2.ndim === 2
      ? g2.transpose(-1, -2).matmul(a2).transpose(-1, -2)
      : sumToShape(a2.transpose(-1, -2).matmul(g2), b2.shape).reshape(b.shape)
    : null;
  return [ga, gb];
}

/**
 * A 2-D operand stored transposed (a `t()` view, as `x.matmul(w.t())` in Linear passes). Its
 * gradient is then computed as the transpose of the mirrored product, so it arrives in the same
 * layout as the operand and the `t()` backward hands the base a contiguous gradient — the same
 * products summed in the same order, without a transposed copy (PyTorch's mm_mat2_backward does
 * the same).
 */
function isColumnMajor(t: Tensor): boolean {
  return t.ndim === 2 && t.strides[0] === 1 && t.strides[1] === t.shape[0] && (t.shape[0] as number) > 1;
}

function prodGrad(node: Node, g: Tensor): Tensor {
  // Product of all other elements of each group, via prefix and suffix products (zeros allowed).
  const x = node.saved(0).contiguous();
  const dims = dimsOf(node);
  const plan = planReduce(x, dims);
  const others = Tensor._empty(x.shape, x.dtype);
  const { outer, inner, bases, stride, rel } = plan;
  const pos = (base: number, j: number) => (rel ? base + (rel[j] as number) : base + j * stride);
  for (let o = 0; o < outer; o++) {
    const base = bases[o] as number;
    let prefix = 1;
    for (let j = 0; j < inner; j++) {
      others.data[pos(base, j)] = prefix;
      prefix *= x.data[pos(base, j)] as number;
    }
    let suffix = 1;
    for (let j = inner - 1; j >= 0; j--) {
      const p = pos(base, j);
      others.data[p] = (others.data[p] as number) * suffix;
      suffix *= x.data[p] as number;
    }
  }
  return expandReduced(g, x.shape, dims, node.ctx.keepdim as boolean).mul(others);
}

// PyTorch's threshold_backward(grad, result, 0): the gradient where the output is positive, else
// 0, in one pass (a comparison plus `where` would allocate a mask and read everything twice).
const passPositive = (y: number, gy: number): number => (y > 0 ? gy : 0);
function thresholdBackward(y: Tensor, g: Tensor): Tensor {
  const out = Tensor._empty(y.shape, g.dtype);
  mapBinary(passPositive, y.data, y, g.data, broadcastTo(g, y.shape), out.data, out);
  return out;
}

/**
 * Gradient rules of the core tensor ops, keyed by the op names they record.
 * @example coreRules.mul!(node, g); // [g·b, g·a] summed back to each factor's shape (null where not wanted)
 */
export const coreRules: Record<string, GradRule> = {
  neg: (_n, g) => [g.neg()],
  abs: (n, g) => [g.mul(n.saved(0).sign())],
  sign: (n) => [zeros(meta(n, 0))],
  sqrt: (n, g) => [g.div(n.saved(0).mul(2))],
  rsqrt: (n, g) => [g.mul(n.saved(0).pow(3)).mul(-0.5)],
  exp: (n, g) => [g.mul(n.saved(0))],
  log: (n, g) => [g.div(n.saved(0))],
  log1p: (n, g) => [g.div(n.saved(0).add(1))],
  expm1: (n, g) => [g.mul(n.saved(0).add(1))],
  sin: (n, g) => [g.mul(n.saved(0).cos())],
  cos: (n, g) => [g.mul(n.saved(0).sin().neg())],
  tanh: (n, g) => {
    const y = n.saved(0);
    return [g.mul(y.mul(y).neg().add(1))];
  },
  sigmoid: (n, g) => {
    const y = n.saved(0);
    return [g.mul(y.neg().add(1)).mul(y)];
  },
  relu: (n, g) => [thresholdBackward(n.saved(0), g)],
  erf: (n, g) => {
    const x = n.saved(0);
    return [
      g.mul(
        x
          .mul(x)
          .neg()
          .exp()
          .mul(2 / Math.sqrt(Math.PI)),
      ),
    ];
  },
  reciprocal: (n, g) => {
    const y = n.saved(0);
    return [g.neg().mul(y.mul(y))];
  },
  add: (n, g) => [
    wants(n, 0) ? reduceTo(g, n, 0) : null,
    wants(n, 1) ? reduceTo(num(n, "alpha") === 1 ? g : g.mul(num(n, "alpha")), n, 1) : null,
  ],
  sub: (n, g) => [
    wants(n, 0) ? reduceTo(g, n, 0) : null,
    wants(n, 1) ? reduceTo(g.mul(-num(n, "alpha")), n, 1) : null,
  ],
  // Saved tensors are read only for the gradients that are wanted, so modifying an input that
  // needs no gradient in place is not an error (PyTorch saves only what the wanted formulas use).
  mul: (n, g) => [
    wants(n, 0) ? reduceTo(g.mul(n.saved(1)), n, 0) : null,
    wants(n, 1) ? reduceTo(g.mul(n.saved(0)), n, 1) : null,
  ],
  div: (n, g) => {
    const b = n.saved(1);
    return [
      wants(n, 0) ? reduceTo(g.div(b), n, 0) : null,
      wants(n, 1) ? reduceTo(g.neg().mul(n.saved(0).div(b).div(b)), n, 1) : null,
    ];
  },
  powScalar: (n, g) => {
    const e = num(n, "exponent");
    if (e === 0) return [zeros(meta(n, 0))];
    return [
      g.mul(
        n
          .saved(0)
          .pow(e - 1)
          .mul(e),
      ),
    ];
  },
  powTensor: (n, g) => {
    const x = n.saved(0);
    const e = n.saved(1);
    const out = n.saved(2);
    const gx = wants(n, 0) ? reduceTo(where(e.eq(0), 0, g.mul(e.mul(x.pow(e.sub(1))))), n, 0) : null;
    const ge = wants(n, 1) ? reduceTo(where(x.eq(0).mul(e.ge(0)), 0, g.mul(out.mul(x.log()))), n, 1) : null;
    return [gx, ge];
  },
  clamp: (n, g) => {
    const x = n.saved(0);
    return [where(x.ge(num(n, "min")).mul(x.le(num(n, "max"))), g, 0)];
  },
  maximum: (n, g) => minMaxGrads(n, g, true),
  minimum: (n, g) => minMaxGrads(n, g, false),
  where: (n, g) => {
    const cond = n.saved(0);
    return [
      wants(n, 0) ? reduceTo(where(cond, g, 0), n, 0) : null,
      wants(n, 1) ? reduceTo(where(cond, 0, g), n, 1) : null,
    ];
  },
  toDtype: (_n, g) => [g],
  identity: (_n, g) => [g],
  reshape: (n, g) => [g.reshape(shapeOf(n))],
  transpose: (n, g) => [num(n, "dim0") === num(n, "dim1") ? g : g.transpose(num(n, "dim0"), num(n, "dim1"))],
  permute: (n, g) => [g.permute(n.ctx.inverse as number[])],
  expand: (n, g) => [sumToShape(g, shapeOf(n))],
  select: (n, g) => [
    placeInto(meta(n, 0), g, (t) => applySliceLike(t, "select", n.ctx as { dim: number; index: number }, 1)),
  ],
  slice: (n, g) => [
    placeInto(meta(n, 0), g, (t) =>
      applySliceLike(
        t,
        "slice",
        n.ctx as { dim: number; start: number; step: number },
        g.shape[num(n, "dim")] as number,
      ),
    ),
  ],
  repeat: (n, g) => {
    const shape = shapeOf(n);
    const repeats = n.ctx.repeats as number[];
    const lead = repeats.length - shape.length;
    const padded = [...new Array<number>(lead).fill(1), ...shape];
    const inter: number[] = [];
    padded.forEach((s, i) => inter.push(repeats[i] as number, s));
    const summed = g.reshape(inter).sum(inter.map((_, i) => i).filter((i) => i % 2 === 0));
    return [summed.reshape(shape)];
  },
  sum: (n, g) => [expandReduced(g, shapeOf(n), dimsOf(n), n.ctx.keepdim as boolean)],
  mean: (n, g) => [expandReduced(g.div(num(n, "count")), shapeOf(n), dimsOf(n), n.ctx.keepdim as boolean)],
  prod: (n, g) => [prodGrad(n, g)],
  amax: (n, g) => [extremeGrad(n, g)],
  maxDim: (n, g) => {
    const m = meta(n, 0);
    const dim = num(n, "dim");
    const indices = n.saved(0);
    const out = zeros(m);
    if (m.shape.length === 0) return [g.reshape([])];
    const keep = n.ctx.keepdim as boolean;
    scatterAddInto(out, dim, keep ? indices : indices.unsqueeze(dim), keep ? g : g.unsqueeze(dim));
    return [out];
  },
  var: (n, g) => [varianceGrad(n, g, n.saved(0))],
  std: (n, g) => {
    // PyTorch zeroes the gradient where the deviation is 0 rather than dividing by it.
    const out = n.saved(1);
    return [varianceGrad(n, g.div(out.mul(2)).maskedFill(out.eq(0), 0), n.saved(0))];
  },
  logsumexp: (n, g) => {
    const x = n.saved(0);
    const out = n.saved(1);
    const dims = dimsOf(n);
    const keepdim = n.ctx.keepdim as boolean;
    return [
      unsqueezeReduced(g, x.shape, dims, keepdim).mul(
        x.sub(unsqueezeReduced(out, x.shape, dims, keepdim)).exp(),
      ),
    ];
  },
  softmax: (n, g) => {
    const y = n.saved(0);
    const d = num(n, "dim");
    return [y.mul(g.sub(g.mul(y).sum(d, true)))];
  },
  logSoftmax: (n, g) => {
    const y = n.saved(0);
    const d = num(n, "dim");
    return [g.sub(y.exp().mul(g.sum(d, true)))];
  },
  norm: (n, g) => {
    const x = n.saved(0);
    const out = n.saved(1);
    const p = num(n, "p");
    const dims = dimsOf(n);
    const keepdim = n.ctx.keepdim as boolean;
    const gB = unsqueezeReduced(g, x.shape, dims, keepdim);
    const outB = unsqueezeReduced(out, x.shape, dims, keepdim);
    if (p === 0) return [null];
    if (p === 1) return [x.sign().mul(gB)];
    if (p === 2) return [where(outB.eq(0), 0, x.div(outB)).mul(gB)];
    if (!Number.isFinite(p)) {
      const mask = x.abs().eq(outB).to(x.dtype);
      return [
        x
          .sign()
          .mul(mask)
          .mul(gB.div(mask.sum(dims, true))),
      ];
    }
    const scale = x
      .abs()
      .pow(p - 2)
      .mul(x);
    return [where(outB.eq(0), 0, scale.mul(gB).div(outB.pow(p - 1)))];
  },
  indexSelect: (n, g) => {
    const out = zeros(meta(n, 0));
    indexAddInto(out, num(n, "dim"), n.saved(0), g);
    return [out];
  },
  gather: (n, g) => {
    const out = zeros(meta(n, 0));
    scatterAddInto(out, num(n, "dim"), n.saved(0), g);
    return [out];
  },
  cat: (n, g) => {
    const sizes = n.ctx.sizes as number[];
    const d = num(n, "dim");
    let at = 0;
    return sizes.map((s) => {
      const part = g.narrow(d, at, s);
      at += s;
      return part;
    });
  },
  stack: (n, g) => n.next.map((_, i) => g.select(num(n, "dim"), i)),
  maskedFill: (n, g) => [g.maskedFill(n.saved(0), 0)],
  matmul: matmulGrads,
  fill: (n) => [zeros(meta(n, 0))],
  copy: (n, g) => [wants(n, 0) ? zeros(meta(n, 0)) : null, wants(n, 1) ? g : null],
  addcmul: (n, g) => {
    const v = num(n, "value");
    return [
      wants(n, 0) ? g : null,
      wants(n, 1) ? g.mul(n.saved(1).mul(v)) : null,
      wants(n, 2) ? g.mul(n.saved(0).mul(v)) : null,
    ];
  },
  addcdiv: (n, g) => {
    const v = num(n, "value");
    const t2 = n.saved(1);
    return [
      wants(n, 0) ? g : null,
      wants(n, 1) ? g.mul(scalarDiv(v, t2)) : null,
      wants(n, 2) ? g.neg().mul(n.saved(0).mul(v).div(t2.mul(t2))) : null,
    ];
  },
  lerpScalar: (n, g) => {
    const w = num(n, "weight");
    return [wants(n, 0) ? g.mul(1 - w) : null, wants(n, 1) ? g.mul(w) : null];
  },
  lerpTensor: (n, g) => {
    const w = n.saved(2);
    return [
      wants(n, 0) ? g.mul(scalarSub(1, w)) : null,
      wants(n, 1) ? g.mul(w) : null,
      wants(n, 2) ? g.mul(n.saved(1).sub(n.saved(0))) : null,
    ];
  },
  asStrided: (n, g) => {
    const geo = n.ctx.geometry as ViewGeometry;
    const out = baseLike(geo, g.dtype);
    // Accumulate rather than copy: an expanded view maps several elements to one location.
    const region = { shape: geo.shape, strides: geo.strides, offset: geo.offset };
    mapBinary((x, y) => x + y, out.data, region, g.data, g, out.data, region);
    return [out];
  },
  copySlices: (n, g) => {
    const geo = n.ctx.geometry as ViewGeometry;
    const fn = n.ctx.fn as Node;
    const result = baseLike(geo, g.dtype);
    copyStrided(g.data, g, result.data, result);
    const region = new Tensor(result.data, geo.shape, geo.strides, geo.offset);
    const rule = gradRules[fn.op];
    if (!rule) throw new RuntimeError(`internal: no gradient rule for ${fn.op}`);
    const grads = rule(fn, region.clone());
    const gSelf = grads[0];
    if (gSelf) copyStrided(gSelf.data, broadcastTo(gSelf, geo.shape), result.data, region);
    else fillStrided(result.data, region, 0);
    return [result, ...grads.slice(1)];
  },
};

/** A zeroed tensor laid out in storage exactly like the base of a view geometry. */
function baseLike(geo: ViewGeometry, dtype: Tensor["dtype"]): Tensor {
  return new Tensor(allocate(dtype, geo.storageLength), geo.baseShape, geo.baseStrides, geo.baseOffset);
}

/** `value / t` as PyTorch computes a Python scalar over a tensor in C++: a filled tensor, divided. */
function scalarDiv(value: number, t: Tensor): Tensor {
  return fullLike(t, value).div(t);
}

/** `value - t` computed like `scalarDiv`. */
function scalarSub(value: number, t: Tensor): Tensor {
  return fullLike(t, value).sub(t);
}

function fullLike(t: Tensor, value: number): Tensor {
  const out = Tensor._empty(t.shape, t.dtype);
  out.data.fill(castScalar(value, t.dtype));
  return out;
}

function minMaxGrads(n: Node, g: Tensor, isMax: boolean): Array<Tensor | null> {
  const a = n.saved(0);
  const b = n.saved(1);
  const half = where(a.eq(b), g.div(2), g);
  const ga = wants(n, 0) ? reduceTo(half.maskedFill(isMax ? a.lt(b) : a.gt(b), 0), n, 0) : null;
  const gb = wants(n, 1) ? reduceTo(half.maskedFill(isMax ? a.gt(b) : a.lt(b), 0), n, 1) : null;
  return [ga, gb];
}
