import { describe, expect, it } from "vitest";
import { manualSeed, randn } from "../../random.js";
import { gelu } from "./activation.js";
import { convolution } from "./conv.js";
import { batchNorm } from "./normalization.js";

const MODIFIED =
  "one of the variables needed for gradient computation has been modified by an inplace operation";

describe("nn ops save their inputs for backward like PyTorch", () => {
  it("an in-place change to a saved input after the forward pass is detected", () => {
    manualSeed(0);
    const x = randn([2, 3]).requiresGrad_();
    const h = x.mul(1);
    const y = gelu(h, "none");
    h.add_(1);
    expect(() => y.sum().backward()).toThrow(MODIFIED);

    const w = randn([2, 1, 2, 2]).requiresGrad_();
    const img = randn([1, 1, 3, 3]).requiresGrad_().mul(1);
    const c = convolution(img, w, null, { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 });
    img.mul_(2);
    expect(() => c.sum().backward()).toThrow(MODIFIED);
  });

  it("non-contiguous inputs get gradients of their own shape and layout", () => {
    manualSeed(1);
    const base = randn([3, 2, 4]).requiresGrad_();
    const xt = base.transpose(0, 1); // [2, 3, 4], non-contiguous
    batchNorm(xt, null, null, null, null, { training: true, momentum: 0.1, eps: 1e-5 })
      .pow(2)
      .sum()
      .backward();
    expect(base.grad!.shape).toEqual([3, 2, 4]);
    expect(base.grad!.isContiguous()).toBe(true);
  });
});
