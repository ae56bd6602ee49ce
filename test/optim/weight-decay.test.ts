/**
 * The seed thread's closing point ("How does SGD weight_decay work?"): PyTorch's `weight_decay`
 * adds λ·w to the gradient, which is exactly the gradient of an extra (λ/2)·‖w‖² term in the loss.
 * For SGD that also equals shrinking the weights; for Adam it does not, because the added λ·w is
 * divided by √v like the rest of the gradient. AdamW is the decoupled form: Adam with
 * `w ← w·(1 − lr·λ)` before each step.
 */

import { describe, expect, test } from "vitest";
import { noGrad } from "../../src/autograd/grad-mode.js";
import { Adam, AdamW, SGD, type Optimizer } from "../../src/optim/index.js";
import { Tensor } from "../../src/tensor/tensor.js";
import { expectExact, maxRelativeError } from "../helpers/close.js";
import { Stream } from "./stream.js";

const STEPS = 300;
const LAMBDA = 0.05;

/** A least-squares problem ½‖A·w − b‖² (float64) with a fixed seed, and a starting point. */
function problem(): { A: Tensor; b: Tensor; w0: Float64Array } {
  const s = new Stream(2024);
  return {
    A: s.tensor([12, 6], "float64"),
    b: s.tensor([12], "float64"),
    w0: Float64Array.from(s.tensor([6], "float64").toTypedArray()),
  };
}

function leaf(values: Float64Array): Tensor {
  return new Tensor(Float64Array.from(values), [values.length]).requiresGrad_();
}

/** Loss ½‖A·w − b‖² plus, optionally, (λ/2)·Σw², via autograd. */
function loss(A: Tensor, b: Tensor, w: Tensor, l2: number): Tensor {
  const r = A.matmul(w).sub(b);
  const data = r.pow(2).sum().mul(0.5);
  return l2 === 0
    ? data
    : data.add(
        w
          .pow(2)
          .sum()
          .mul(l2 / 2),
      );
}

/** Run `steps` optimizer steps on the loss and return the trajectory of w. */
function trajectory(
  make: (w: Tensor) => Optimizer,
  l2: number,
  before?: (w: Tensor) => void,
): Float64Array[] {
  const { A, b, w0 } = problem();
  const w = leaf(w0);
  const opt = make(w);
  const out: Float64Array[] = [];
  for (let i = 0; i < STEPS; i++) {
    opt.zeroGrad();
    loss(A, b, w, l2).backward();
    if (before) before(w);
    opt.step();
    out.push(Float64Array.from(w.toTypedArray()));
  }
  return out;
}

/**
 * Assert two trajectories agree to rounding: at every step ‖a − b‖∞ ≤ tol·‖b‖∞. Rounding errors
 * are relative to the vector's scale, not to each coordinate (a coordinate near zero got there by
 * cancellation and carries the absolute error of the larger terms).
 */
function expectSameTrajectory(a: Float64Array[], b: Float64Array[], tol: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => {
    const y = b[i] as Float64Array;
    let diff = 0;
    let scale = 0;
    for (let k = 0; k < y.length; k++) {
      diff = Math.max(diff, Math.abs((x[k] as number) - (y[k] as number)));
      scale = Math.max(scale, Math.abs(y[k] as number));
    }
    if (!(diff <= tol * scale))
      expect.fail(`step ${i + 1}: ‖a − b‖∞ = ${diff}, ‖b‖∞ = ${scale}, tolerance ${tol}`);
  });
}

function worstDifference(a: Float64Array[], b: Float64Array[]): number {
  return Math.max(...a.map((x, i) => maxRelativeError(x, b[i] as Float64Array)));
}

describe("weight decay is an L2 term in the loss (coupled decay)", () => {
  test.each([
    ["SGD", { lr: 0.01 }],
    ["SGD with momentum 0.9", { lr: 0.01, momentum: 0.9 }],
    ["SGD with Nesterov momentum", { lr: 0.01, momentum: 0.9, nesterov: true }],
  ] as const)("%s: weightDecay λ ≡ plain SGD on loss + (λ/2)·Σw²", (_name, options) => {
    const decayed = trajectory((w) => new SGD([w], { ...options, weightDecay: LAMBDA }), 0);
    const penalised = trajectory((w) => new SGD([w], options), LAMBDA);
    const plain = trajectory((w) => new SGD([w], options), 0);
    // Equal up to rounding (λ·w is fused into the gradient in one case, differentiated in the other) ...
    expectSameTrajectory(decayed, penalised, 1e-12);
    // ... and genuinely different from no decay at all.
    expect(worstDifference(decayed, plain)).toBeGreaterThan(1e-3);
  });

  test("Adam's weightDecay is also the L2 term (coupled), so it passes through the moments", () => {
    const decayed = trajectory((w) => new Adam([w], { lr: 0.01, weightDecay: LAMBDA }), 0);
    const penalised = trajectory((w) => new Adam([w], { lr: 0.01 }), LAMBDA);
    expectSameTrajectory(decayed, penalised, 1e-12);
  });
});

describe("decoupled decay (shrinking the weights) is the same thing only for plain SGD", () => {
  const shrink = (lr: number) => (w: Tensor) => noGrad(() => w.mul_(1 - lr * LAMBDA));

  test("plain SGD: w ← w·(1 − lr·λ) then a step ≡ weightDecay λ (to rounding)", () => {
    const decayed = trajectory((w) => new SGD([w], { lr: 0.01, weightDecay: LAMBDA }), 0);
    const shrunk = trajectory((w) => new SGD([w], { lr: 0.01 }), 0, shrink(0.01));
    expectSameTrajectory(decayed, shrunk, 1e-12);
  });

  test("SGD with momentum: the decay passes through the buffer, so shrinking differs", () => {
    const decayed = trajectory((w) => new SGD([w], { lr: 0.01, momentum: 0.9, weightDecay: LAMBDA }), 0);
    const shrunk = trajectory((w) => new SGD([w], { lr: 0.01, momentum: 0.9 }), 0, shrink(0.01));
    expect(worstDifference(decayed, shrunk)).toBeGreaterThan(1e-3);
  });

  test("Adam: the L2 term and shrinking the weights give different trajectories; AdamW is the shrink", () => {
    const adamL2 = trajectory((w) => new Adam([w], { lr: 0.01 }), LAMBDA);
    const adamw = trajectory((w) => new AdamW([w], { lr: 0.01, weightDecay: LAMBDA }), 0);
    expect(worstDifference(adamw, adamL2)).toBeGreaterThan(1e-3);
  });

  test("AdamW ≡ Adam with a manual w ← w·(1 − lr·λ) before each step, bit for bit", () => {
    const adamw = trajectory((w) => new AdamW([w], { lr: 0.01, weightDecay: LAMBDA }), 0);
    const manual = trajectory((w) => new Adam([w], { lr: 0.01 }), 0, shrink(0.01));
    for (let i = 0; i < STEPS; i++) expectExact(adamw[i]!, manual[i]!, `step ${i + 1}`);
    // Adam's own decoupled flag is the same algorithm.
    const flag = trajectory(
      (w) => new Adam([w], { lr: 0.01, weightDecay: LAMBDA, decoupledWeightDecay: true }),
      0,
    );
    for (let i = 0; i < STEPS; i++) expectExact(flag[i]!, adamw[i]!, `step ${i + 1}`);
  });
});
