import { describe, expect, it } from "vitest";
import {
  adaptiveAvgPool2dBackward,
  adaptiveAvgPool2dForward,
  avgPool2dBackward,
  avgPool2dForward,
  maxPool2dBackward,
  maxPool2dForward,
  type PoolGeometry,
} from "./pool.js";

const g: PoolGeometry = {
  planes: 2,
  height: 5,
  width: 5,
  kernelH: 3,
  kernelW: 3,
  strideH: 2,
  strideW: 2,
  padH: 1,
  padW: 1,
  dilationH: 1,
  dilationW: 1,
  outH: 3,
  outW: 3,
};
const x = Float64Array.from({ length: 50 }, (_, i) => Math.sin(1.7 * i));

describe("pooling kernels", () => {
  it("max pooling picks the first maximum of each clipped window and routes gradients there", () => {
    const out = new Float64Array(18);
    const idx = new Int32Array(18);
    maxPool2dForward(x, 0, g, out, idx);
    for (let p = 0; p < 2; p++)
      for (let oh = 0; oh < 3; oh++)
        for (let ow = 0; ow < 3; ow++) {
          let best = -Infinity;
          let at = -1;
          for (let ih = Math.max(0, 2 * oh - 1); ih < Math.min(5, 2 * oh + 2); ih++)
            for (let iw = Math.max(0, 2 * ow - 1); iw < Math.min(5, 2 * ow + 2); iw++) {
              const v = x[p * 25 + ih * 5 + iw] as number;
              if (v > best) {
                best = v;
                at = ih * 5 + iw;
              }
            }
          const o = p * 9 + oh * 3 + ow;
          expect(out[o]).toBe(best);
          expect(idx[o]).toBe(at);
        }
    const gin = new Float64Array(50);
    maxPool2dBackward(new Float64Array(18).fill(1), idx, 2, 9, 25, gin);
    expect(gin.reduce((a, b) => a + b, 0)).toBe(18);
  });

  it("average pooling forward and backward are adjoint for every divisor rule", () => {
    for (const d of [
      { countIncludePad: true, divisorOverride: null },
      { countIncludePad: false, divisorOverride: null },
      { countIncludePad: true, divisorOverride: 4 },
    ]) {
      const out = new Float64Array(18);
      avgPool2dForward(x, 0, g, d, out);
      const gout = Float64Array.from({ length: 18 }, (_, i) => Math.cos(i));
      const gin = new Float64Array(50);
      avgPool2dBackward(gout, g, d, gin);
      let lhs = 0;
      let rhs = 0;
      for (let i = 0; i < 18; i++) lhs += (out[i] as number) * (gout[i] as number);
      for (let i = 0; i < 50; i++) rhs += (x[i] as number) * (gin[i] as number);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12);
    }
  });

  it("adaptive average pooling covers the input with PyTorch's overlapping windows", () => {
    const out = new Float64Array(2 * 3 * 2);
    adaptiveAvgPool2dForward(x, 0, 2, 5, 5, 3, 2, out);
    // Rows [0,2), [1,4), [3,5); columns [0,3), [2,5).
    const mean = (p: number, r0: number, r1: number, c0: number, c1: number) => {
      let s = 0;
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) s += x[p * 25 + r * 5 + c] as number;
      return s / (r1 - r0) / (c1 - c0);
    };
    expect(out[0]).toBeCloseTo(mean(0, 0, 2, 0, 3), 14);
    expect(out[3]).toBeCloseTo(mean(0, 1, 4, 2, 5), 14);
    expect(out[11]).toBeCloseTo(mean(1, 3, 5, 2, 5), 14);
    const gin = new Float64Array(50);
    adaptiveAvgPool2dBackward(new Float64Array(12).fill(1), 2, 5, 5, 3, 2, gin);
    expect(gin.reduce((a, b) => a + b, 0)).toBeCloseTo(12, 12);
  });
});
