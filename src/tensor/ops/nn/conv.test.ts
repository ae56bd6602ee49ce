import { describe, expect, it } from "vitest";
import { cat } from "../indexing.js";
import { manualSeed, randn } from "../../random.js";
import type { Tensor } from "../../tensor.js";
import { convolution, type ConvParams } from "./conv.js";

const P: ConvParams = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 2 };
const values = (t: Tensor): number[] => Array.from(t.toTypedArray() as ArrayLike<number>);

describe("convolution over several chunks of samples", () => {
  it("equals sample-by-sample convolution, forward and backward", () => {
    // 1.5 M column elements per sample: the 4 M-element column buffer holds two samples, so a
    // batch of three runs as a chunk of two and a chunk of one.
    manualSeed(3);
    const x = randn([3, 8, 144, 144], { dtype: "float64" }).requiresGrad_();
    const w = randn([4, 4, 3, 3], { dtype: "float64" }).requiresGrad_();
    const b = randn([4], { dtype: "float64" }).requiresGrad_();
    const g = randn([3, 4, 144, 144], { dtype: "float64" });
    const y = convolution(x, w, b, P);
    y.mul(g).sum().backward();
    const gx = x.grad!;
    const gw = w.grad!;
    x.grad = null;
    w.grad = null;
    const parts = [0, 1, 2].map((n) => convolution(x.narrow(0, n, 1), w, b, P));
    expect(values(y)).toEqual(values(cat(parts, 0)));
    cat(parts, 0).mul(g).sum().backward();
    expect(values(gx)).toEqual(values(x.grad!));
    const want = values(w.grad!);
    values(gw).forEach((v, i) =>
      expect(Math.abs(v - (want[i] as number))).toBeLessThan(1e-12 * Math.abs(want[i] as number) + 1e-9),
    );
  });
});
