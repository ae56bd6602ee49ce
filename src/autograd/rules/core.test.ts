import { describe, expect, it } from "vitest";
import type { Tensor } from "../../tensor/tensor.js";
import { tensor } from "../../tensor/creation.js";
import { cat, stack } from "../../tensor/ops/indexing.js";
import { where } from "../../tensor/ops/elementwise.js";
import { matmul } from "../../tensor/ops/matmul.js";
import { gradcheck } from "../gradcheck.js";

/** A small deterministic generator (mulberry32), so every run checks the same points. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = rng(1234);

/** A float64 leaf of `shape` with values uniform in [lo, hi), requiring grad. */
function x(shape: number[], lo = -1.5, hi = 1.5): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + (hi - lo) * next();
  return tensor(data, { shape, dtype: "float64", requiresGrad: true });
}

/** Values away from 0 (for abs, sign, relu, division). */
const away = (shape: number[]): Tensor => {
  const t = x(shape, 0.3, 1.5);
  const flip = t.detach();
  for (let i = 0; i < flip.data.length; i++) if (next() < 0.5) flip.data[i] = -(flip.data[i] as number);
  return t;
};
const pos = (shape: number[]): Tensor => x(shape, 0.3, 2);
const idx = (values: number[], shape?: number[]): Tensor =>
  tensor(Int32Array.from(values), { shape: shape ?? [values.length], dtype: "int32" });
const mask = (values: boolean[], shape?: number[]): Tensor =>
  tensor(
    Uint8Array.from(values, (v) => (v ? 1 : 0)),
    { shape: shape ?? [values.length], dtype: "bool" },
  );

type Case = [name: string, fn: (...t: Tensor[]) => Tensor, inputs: () => Tensor[]];

const CASES: Case[] = [
  // unary
  ["neg", (a) => a.neg(), () => [x([3, 4])]],
  ["abs", (a) => a.abs(), () => [away([3, 4])]],
  ["sign", (a) => a.sign(), () => [away([5])]],
  ["sqrt", (a) => a.sqrt(), () => [pos([3, 4])]],
  ["rsqrt", (a) => a.rsqrt(), () => [pos([5])]],
  ["exp", (a) => a.exp(), () => [x([3, 4])]],
  ["log", (a) => a.log(), () => [pos([3, 4])]],
  ["log1p", (a) => a.log1p(), () => [x([5], -0.5, 2)]],
  ["expm1", (a) => a.expm1(), () => [x([5])]],
  ["sin", (a) => a.sin(), () => [x([5], -4, 4)]],
  ["cos", (a) => a.cos(), () => [x([5], -4, 4)]],
  ["tanh", (a) => a.tanh(), () => [x([5], -3, 3)]],
  ["sigmoid", (a) => a.sigmoid(), () => [x([5], -4, 4)]],
  ["relu", (a) => a.relu(), () => [away([3, 4])]],
  ["erf", (a) => a.erf(), () => [x([6], -2.5, 2.5)]],
  ["reciprocal", (a) => a.reciprocal(), () => [away([5])]],
  ["square", (a) => a.square(), () => [x([5])]],
  ["unary on a transposed view", (a) => a.t().exp(), () => [x([3, 4])]],
  ["unary on a strided slice", (a) => a.slice(1, 0, null, 2).tanh(), () => [x([3, 6])]],
  // binary with broadcasting
  ["add", (a, b) => a.add(b), () => [x([3, 4]), x([3, 4])]],
  ["add broadcast", (a, b) => a.add(b), () => [x([3, 1]), x([4])]],
  ["add alpha", (a, b) => a.add(b, { alpha: -0.7 }), () => [x([2, 3]), x([3])]],
  ["add scalar", (a) => a.add(2.5), () => [x([4])]],
  ["add 0-dim", (a, b) => a.add(b), () => [x([2, 3]), x([])]],
  ["sub broadcast alpha", (a, b) => a.sub(b, { alpha: 1.5 }), () => [x([2, 1, 4]), x([3, 1])]],
  ["mul broadcast", (a, b) => a.mul(b), () => [x([2, 3, 4]), x([4])]],
  ["mul same tensor", (a) => a.mul(a), () => [x([4])]],
  ["div broadcast", (a, b) => a.div(b), () => [x([3, 4]), away([3, 1])]],
  ["div scalar numerator side", (a) => a.div(0.3), () => [x([4])]],
  ["pow scalar 2", (a) => a.pow(2), () => [x([5])]],
  ["pow scalar 3", (a) => a.pow(3), () => [x([5])]],
  ["pow scalar -1.5", (a) => a.pow(-1.5), () => [pos([5])]],
  ["pow scalar 0.5", (a) => a.pow(0.5), () => [pos([5])]],
  ["pow tensor broadcast", (a, b) => a.pow(b), () => [pos([3, 1]), x([4])]],
  ["maximum broadcast", (a, b) => a.maximum(b), () => [x([3, 4]), x([4])]],
  ["minimum broadcast", (a, b) => a.minimum(b), () => [x([3, 1]), x([3, 4])]],
  ["clamp", (a) => a.clamp(-0.5, 0.6), () => [x([20])]],
  ["clamp min only", (a) => a.clamp(0.1), () => [x([10])]],
  ["where broadcast", (a, b) => where(mask([true, false, true, false]), a, b), () => [x([3, 4]), x([3, 1])]],
  ["where scalar", (a) => where(mask([true, false, false]), a, 0.5), () => [x([2, 3])]],
  ["maskedFill broadcast mask", (a) => a.maskedFill(mask([false, true, false]), 0), () => [x([2, 3])]],
  [
    "maskedFill broadcast self",
    (a) => a.maskedFill(mask([true, false, true, false], [2, 2]), 1),
    () => [x([2])],
  ],
  // reductions
  ["sum all", (a) => a.sum(), () => [x([3, 4])]],
  ["sum dims keepdim", (a) => a.sum([0, 2], true), () => [x([2, 3, 4])]],
  ["sum negative dim", (a) => a.sum(-1), () => [x([2, 3, 4])]],
  ["mean", (a) => a.mean(1), () => [x([3, 4])]],
  ["mean all keepdim", (a) => a.mean(null, true), () => [x([3, 4])]],
  ["prod all", (a) => a.prod(), () => [away([2, 3])]],
  ["prod dim", (a) => a.prod(1, true), () => [away([3, 4])]],
  ["amax", (a) => a.amax(1), () => [x([3, 4])]],
  ["amin dims", (a) => a.amin([0, 1]), () => [x([2, 3, 2])]],
  ["max all", (a) => a.max(), () => [x([3, 4])]],
  ["min all", (a) => a.min(), () => [x([3, 4])]],
  ["max dim", (a) => a.max(1).values, () => [x([3, 4])]],
  ["min dim keepdim", (a) => a.min(0, true).values, () => [x([3, 4])]],
  ["var", (a) => a.var(1), () => [x([3, 4])]],
  ["var correction 0 keepdim", (a) => a.var([0, 1], { correction: 0, keepdim: true }), () => [x([3, 4])]],
  ["std", (a) => a.std(0), () => [x([4, 3])]],
  ["std all", (a) => a.std(), () => [x([3, 4])]],
  ["logsumexp", (a) => a.logsumexp(1), () => [x([3, 4])]],
  ["logsumexp dims keepdim", (a) => a.logsumexp([0, 2], true), () => [x([2, 3, 2])]],
  ["softmax", (a) => a.softmax(1), () => [x([3, 4])]],
  ["softmax dim 0", (a) => a.softmax(0), () => [x([3, 4])]],
  ["logSoftmax", (a) => a.logSoftmax(-1), () => [x([3, 4])]],
  ["norm 2", (a) => a.norm(), () => [x([3, 4])]],
  ["norm 1 dim", (a) => a.norm(1, 1), () => [away([3, 4])]],
  ["norm 3 dim keepdim", (a) => a.norm(3, 0, true), () => [x([3, 4])]],
  ["norm inf", (a) => a.norm(Infinity, 1), () => [x([3, 4])]],
  // views and copies
  ["reshape", (a, w) => a.reshape([4, 3]).mul(w), () => [x([2, 6]), x([4, 3]).detach()]],
  ["reshape non-contiguous", (a) => a.t().reshape([-1]), () => [x([3, 4])]],
  ["view", (a) => a.view([2, 2, 3]), () => [x([4, 3])]],
  ["flatten", (a) => a.flatten(1), () => [x([2, 3, 2])]],
  ["transpose", (a) => a.transpose(0, 2), () => [x([2, 3, 4])]],
  ["t", (a) => a.t(), () => [x([2, 3])]],
  ["permute", (a) => a.permute([2, 0, 1]), () => [x([2, 3, 4])]],
  ["unsqueeze", (a) => a.unsqueeze(1), () => [x([2, 3])]],
  ["squeeze", (a) => a.squeeze(), () => [x([1, 3, 1])]],
  ["squeeze dim", (a) => a.squeeze(2), () => [x([3, 1, 1])]],
  ["expand", (a) => a.expand([2, 3, 4]), () => [x([3, 1])]],
  ["contiguous", (a) => a.t().contiguous(), () => [x([3, 4])]],
  ["clone", (a) => a.clone(), () => [x([3])]],
  ["select", (a) => a.select(1, 2), () => [x([2, 3, 4])]],
  ["narrow", (a) => a.narrow(0, 1, 2), () => [x([4, 3])]],
  ["slice", (a) => a.slice(1, -5, null, 2), () => [x([2, 7])]],
  ["split", (a) => a.split(2, 1)[1]!, () => [x([3, 5])]],
  ["chunk", (a) => cat(a.chunk(3, 0).reverse(), 0), () => [x([7, 2])]],
  ["repeat", (a) => a.repeat([2, 1, 3]), () => [x([2, 2])]],
  // indexing and joining
  ["indexSelect repeated", (a) => a.indexSelect(0, idx([2, 0, 2, 2])), () => [x([3, 4])]],
  ["indexSelect dim 1", (a) => a.indexSelect(1, idx([1, 1, 0])), () => [x([3, 4])]],
  ["gather repeated", (a) => a.gather(1, idx([0, 0, 2, 3, 3, 3], [2, 3])), () => [x([2, 4])]],
  ["cat", (a, b) => cat([a, b, a], 1), () => [x([2, 3]), x([2, 1])]],
  ["stack", (a, b) => stack([a, b], 1), () => [x([2, 3]), x([2, 3])]],
  // matrix products
  ["matmul 1d·1d", (a, b) => matmul(a, b), () => [x([4]), x([4])]],
  ["matmul 2d·1d", (a, b) => matmul(a, b), () => [x([3, 4]), x([4])]],
  ["matmul 1d·2d", (a, b) => matmul(a, b), () => [x([3]), x([3, 4])]],
  ["matmul 2d·2d", (a, b) => matmul(a, b), () => [x([2, 3]), x([3, 4])]],
  ["matmul batched broadcast", (a, b) => matmul(a, b), () => [x([2, 1, 2, 3]), x([3, 3, 2])]],
  ["matmul 3d·2d", (a, b) => matmul(a, b), () => [x([2, 2, 3]), x([3, 2])]],
  ["matmul 1d·3d", (a, b) => matmul(a, b), () => [x([3]), x([2, 3, 2])]],
  ["matmul 3d·1d", (a, b) => matmul(a, b), () => [x([2, 2, 3]), x([3])]],
  ["matmul transposed", (a, b) => matmul(a.t(), b.t()), () => [x([3, 2]), x([4, 3])]],
  ["mm", (a, b) => a.mm(b), () => [x([2, 3]), x([3, 2])]],
  ["bmm", (a, b) => a.bmm(b), () => [x([2, 2, 3]), x([2, 3, 2])]],
  ["dot", (a, b) => a.dot(b), () => [x([5]), x([5])]],
  ["double (no-op cast)", (a) => a.double().mul(2), () => [x([3])]],
  // in-place ops inside a graph
  ["add_ alpha", (a, b) => a.mul(1).add_(b, { alpha: 0.3 }), () => [x([2, 3]), x([3])]],
  ["sub_", (a, b) => a.mul(1).sub_(b), () => [x([3]), x([3])]],
  ["mul_ tensor", (a, b) => a.mul(1).mul_(b), () => [x([2, 3]), x([2, 1])]],
  ["div_ tensor", (a, b) => a.mul(1).div_(b), () => [x([3]), away([3])]],
  ["addcmul_", (a, b, c) => a.mul(1).addcmul_(b, c, { value: 0.7 }), () => [x([2, 3]), x([3]), x([2, 1])]],
  ["addcdiv_", (a, b, c) => a.mul(1).addcdiv_(b, c, { value: -1.3 }), () => [x([3]), x([3]), away([3])]],
  ["lerp_ scalar", (a, b) => a.mul(1).lerp_(b, 0.3), () => [x([4]), x([4])]],
  ["lerp_ scalar large weight", (a, b) => a.mul(1).lerp_(b, 0.8), () => [x([4]), x([4])]],
  ["lerp_ tensor weight", (a, b, w) => a.mul(1).lerp_(b, w), () => [x([4]), x([4]), x([4], 0, 1)]],
  ["clamp_", (a) => a.mul(1).clamp_(-0.4, 0.5), () => [x([10])]],
  ["copy_ broadcast", (a, b) => a.mul(2).copy_(b).mul(a), () => [x([2, 3]), x([3])]],
  ["sqrt_", (a) => a.mul(1).sqrt_(), () => [pos([4])]],
  ["exp_", (a) => a.mul(1).exp_(), () => [x([4])]],
  ["neg_", (a) => a.mul(1).neg_(), () => [x([4])]],
  ["fill_ then use", (a) => a.mul(1).fill_(2).mul(a), () => [x([3])]],
  ["maskedFill_", (a) => a.mul(1).maskedFill_(mask([true, false, true]), 0), () => [x([2, 3])]],
  [
    "in-place on a view of a non-leaf (CopySlices)",
    (a, b) => {
      const y = a.mul(1);
      y.narrow(1, 1, 2).mul_(b);
      return y;
    },
    () => [x([2, 4]), x([2, 2])],
  ],
  [
    "another view read after the base changed",
    (a, b) => {
      const y = a.mul(1);
      const other = y.select(0, 1);
      y.select(0, 1).addcmul_(b, b, { value: 0.5 });
      return other.mul(3);
    },
    () => [x([2, 3]), x([3])],
  ],
];

describe("gradcheck of every differentiable op (float64, central differences)", () => {
  for (const [name, fn, make] of CASES) {
    it(name, () => {
      expect(gradcheck(fn, make())).toBe(true);
    });
  }
});

describe("gradcheck itself", () => {
  it("reports a wrong gradient", () => {
    const a = x([3]);
    // exp's output with a gradient that ignores the chain rule: detach in the middle.
    const wrong = (t: Tensor) => t.detach().exp().add(t);
    expect(gradcheck(wrong, [a], { raiseException: false })).toBe(false);
    expect(() => gradcheck(wrong, [a])).toThrow(/Jacobian mismatch for output 0 with respect to input 0/);
  });
  it("rejects float32 inputs and leaves .grad untouched", () => {
    expect(() =>
      gradcheck((t) => t.exp(), [tensor([1, 2], { dtype: "float32", requiresGrad: true })]),
    ).toThrow(/double precision/);
    const a = x([2]);
    const g = tensor([5, 6], { dtype: "float64" });
    a.grad = g;
    gradcheck((t) => t.sin(), [a]);
    expect(a.grad).toBe(g);
  });
  it("reads outputs and inputs that are views with an offset", () => {
    const base = x([3, 4]);
    const view = base.detach().select(0, 1).requiresGrad_();
    expect(view.offset).toBe(4);
    expect(gradcheck((t) => t.select(0, 2).mul(t.select(0, 1)), [view])).toBe(true);
  });
});

describe("matmul gradients follow the operand's layout", () => {
  it("x.matmul(w.t()) leaves w a contiguous gradient equal to g^T·x, also when the other side is batched", async () => {
    const tg = await import("../../index.js");
    const x = tg.randn([6, 4], { dtype: "float64" });
    const w = tg.randn([3, 4], { dtype: "float64", requiresGrad: true });
    const g = tg.randn([6, 3], { dtype: "float64" });
    x.matmul(w.t()).backward(g);
    expect(w.grad!.isContiguous()).toBe(true);
    expect(w.grad!.sub(g.t().matmul(x)).abs().max().item()).toBe(0);
    const xb = tg.randn([2, 5, 4], { dtype: "float64" });
    w.grad = null;
    xb.matmul(w.t()).sum().backward();
    const ref = tg
      .ones([10, 3], { dtype: "float64" })
      .t()
      .matmul(xb.reshape([10, 4]));
    expect(w.grad!.sub(ref).abs().max().item()).toBeLessThan(1e-12);
  });
});
