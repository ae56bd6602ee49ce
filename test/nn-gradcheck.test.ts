/**
 * Finite-difference checks (float64 `gradcheck`) of every differentiable op that nn adds to the
 * autograd table: convolution, pooling, normalisation, embedding, activations, losses and padding.
 * Each op's output is contracted with a fixed random tensor, so one gradcheck compares the full
 * gradient of every input with central differences of that scalar.
 */
import { describe, expect, it } from "vitest";
import { gradcheck } from "../src/autograd/gradcheck.js";
import * as F from "../src/nn/functional/index.js";
import { NumpyRandomState } from "../src/random/numpy-random-state.js";
import { tensor } from "../src/tensor/creation.js";
import type { Tensor } from "../src/tensor/tensor.js";

const rs = new NumpyRandomState(7);

function rand(shape: number[], kind: "normal" | "prob" | "pos" = "normal"): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rs.nextDouble();
    v[i] = kind === "prob" ? 0.1 + 0.8 * r : kind === "pos" ? 0.5 + 1.5 * r : (r - 0.5) * 4;
  }
  return tensor(v, { shape, dtype: "float64", requiresGrad: true });
}

/** gradcheck of `sum(fn(inputs) · g)` for a fixed random g of the output's shape. */
function check(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const out = fn(...inputs);
  const g = rand([...out.shape]).detach();
  expect(
    gradcheck(
      (...xs) =>
        fn(...xs)
          .mul(g)
          .sum(),
      inputs,
      { eps: 1e-6, atol: 1e-7, rtol: 1e-5 },
    ),
  ).toBe(true);
}

const ints = (values: number[], shape: number[]): Tensor =>
  tensor(Int32Array.from(values), { shape, dtype: "int32" });

describe("gradcheck of nn ops (float64)", () => {
  it("conv2d: stride, padding, dilation, groups, bias", () => {
    check(
      (x, w, b) => F.conv2d(x, w, b, { stride: 2, padding: 1 }),
      [rand([2, 2, 5, 5]), rand([3, 2, 3, 3]), rand([3])],
    );
    check(
      (x, w) => F.conv2d(x, w, null, { dilation: 2, groups: 2, padding: 2 }),
      [rand([1, 4, 5, 4]), rand([2, 2, 3, 2])],
    );
    check(
      (x, w, b) => F.conv2d(x, w, b, { padding: "same" }),
      [rand([1, 2, 4, 5]), rand([2, 2, 2, 4]), rand([2])],
    );
    check((x, w, b) => F.conv2d(x, w, b), [rand([2, 3, 3, 2]), rand([2, 3, 1, 1]), rand([2])]);
  });

  it("conv1d", () => {
    check(
      (x, w, b) => F.conv1d(x, w, b, { stride: 2, padding: 1, dilation: 2 }),
      [rand([2, 2, 9]), rand([3, 2, 3]), rand([3])],
    );
  });

  it("max, average and adaptive pooling", () => {
    check((x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [rand([2, 2, 6, 5])]);
    check((x) => F.maxPool2d(x, 2, { dilation: 2 }), [rand([1, 2, 6, 6])]);
    check(
      (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
      [rand([1, 2, 6, 5])],
    );
    check((x) => F.avgPool2d(x, 2, { divisorOverride: 3 }), [rand([1, 1, 4, 4])]);
    check((x) => F.adaptiveAvgPool2d(x, [3, 2]), [rand([2, 2, 7, 5])]);
    check((x) => F.adaptiveAvgPool2d(x, 1), [rand([2, 2, 3, 3])]);
  });

  it("batch norm in training and evaluation", () => {
    const rm = rand([3]).detach();
    const rv = rand([3], "pos").detach();
    check(
      (x, w, b) => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }),
      [rand([3, 3, 2, 2]), rand([3]), rand([3])],
    );
    check(
      (x, w, b) => F.batchNorm(x, rm, rv, { weight: w, bias: b, training: false }),
      [rand([3, 3, 2]), rand([3]), rand([3])],
    );
    check((x) => F.batchNorm(x, null, null, { training: true }), [rand([4, 2])]);
  });

  it("layer, group and RMS norm", () => {
    check(
      (x, w, b) => F.layerNorm(x, [2, 3], { weight: w, bias: b }),
      [rand([2, 2, 3]), rand([2, 3]), rand([2, 3])],
    );
    check((x) => F.layerNorm(x, 4), [rand([3, 4])]);
    check((x, w, b) => F.groupNorm(x, 2, { weight: w, bias: b }), [rand([2, 4, 3]), rand([4]), rand([4])]);
    check((x) => F.groupNorm(x, 3), [rand([2, 3, 2, 2])]);
    check((x, w) => F.rmsNorm(x, [4], { weight: w }), [rand([3, 4]), rand([4])]);
  });

  // paddingIdx and scaleGradByFreq deliberately change the gradient away from the derivative (as
  // in PyTorch); they are checked against PyTorch's fixtures in nn-ops.test.ts instead.
  it("embedding (weight)", () => {
    check((w) => F.embedding(ints([0, 2, 1, 2, 3, 2], [2, 3]), w), [rand([4, 3])]);
  });

  it("activations", () => {
    check((x) => F.leakyRelu(x, 0.2), [rand([3, 4])]);
    check((x) => F.gelu(x), [rand([3, 4])]);
    check((x) => F.gelu(x, { approximate: "tanh" }), [rand([3, 4])]);
    check((x) => F.silu(x), [rand([3, 4])]);
  });

  it("losses", () => {
    const y = ints([0, 2, 1, 2, 0], [5]);
    const w = rand([3], "pos").detach();
    check((x) => F.nllLoss(x, y, { weight: w, ignoreIndex: 1 }), [rand([5, 3])]);
    check((x) => F.crossEntropy(x, y, { weight: w, labelSmoothing: 0.2, ignoreIndex: 0 }), [rand([5, 3])]);
    check((x, t) => F.crossEntropy(x, t.softmax(1), { labelSmoothing: 0.1 }), [rand([4, 3]), rand([4, 3])]);
    check((x) => F.crossEntropy(x, ints([1, 0, 2, 2], [2, 2]), { reduction: "sum" }), [rand([2, 3, 2])]);
    check((x, t) => F.mseLoss(x, t), [rand([3, 4]), rand([3, 4])]);
    check((x, t) => F.l1Loss(x, t, { reduction: "sum" }), [rand([3, 4]), rand([3, 4])]);
    check((x, t) => F.smoothL1Loss(x, t, { beta: 0.7, reduction: "none" }), [rand([3, 4]), rand([3, 4])]);
    check((x, t) => F.huberLoss(x, t, { delta: 0.6 }), [rand([3, 4]), rand([3, 4])]);
    check((x, t) => F.binaryCrossEntropy(x, t, { weight: w }), [rand([4, 3], "prob"), rand([4, 3], "prob")]);
    check(
      (x, t) => F.binaryCrossEntropyWithLogits(x, t, { posWeight: w }),
      [rand([4, 3]), rand([4, 3], "prob")],
    );
    check(
      (x, t) => F.binaryCrossEntropyWithLogits(x, t, { reduction: "sum" }),
      [rand([4, 3]), rand([4, 3], "prob")],
    );
  });

  it("padding modes", () => {
    for (const mode of ["constant", "reflect", "replicate", "circular"] as const) {
      check((x) => F.pad(x, [2, 1, 1, 2], { mode }), [rand([1, 2, 3, 4])]);
    }
  });
});
