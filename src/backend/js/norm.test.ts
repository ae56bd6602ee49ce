import { describe, expect, it } from "vitest";
import {
  batchNormApply,
  batchNormBackward,
  batchNormStats,
  groupNormApply,
  layerNormApply,
  rowMoments,
} from "./norm.js";

const x = Float64Array.from({ length: 24 }, (_, i) => Math.sin(2.3 * i) * 3 + 1);

describe("normalisation kernels", () => {
  it("batch statistics are the per-channel mean and sum of squared deviations", () => {
    const mean = new Float64Array(3);
    const vs = new Float64Array(3);
    batchNormStats(x, 2, 3, 4, mean, vs);
    for (let c = 0; c < 3; c++) {
      const vals = [0, 1].flatMap((n) => Array.from(x.subarray((n * 3 + c) * 4, (n * 3 + c) * 4 + 4)));
      const m = vals.reduce((a, b) => a + b, 0) / 8;
      expect(mean[c]).toBeCloseTo(m, 14);
      expect(vs[c]).toBeCloseTo(
        vals.reduce((a, b) => a + (b - m) ** 2, 0),
        12,
      );
    }
  });

  it("normalised batch has zero mean, and the training input gradient of a constant is zero", () => {
    const mean = new Float64Array(3);
    const vs = new Float64Array(3);
    batchNormStats(x, 2, 3, 4, mean, vs);
    const inv = vs.map((v) => 1 / Math.sqrt(v / 8 + 1e-5));
    const alpha = inv;
    const beta = mean.map((m, c) => -m * (alpha[c] as number));
    const y = new Float64Array(24);
    batchNormApply(x, 2, 3, 4, alpha, beta, y);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let n = 0; n < 2; n++) for (let i = 0; i < 4; i++) s += y[(n * 3 + c) * 4 + i] as number;
      expect(Math.abs(s)).toBeLessThan(1e-13);
    }
    const dx = new Float64Array(24);
    batchNormBackward(new Float64Array(24).fill(1), x, 2, 3, 4, mean, inv, null, true, dx, null, null);
    for (const v of dx) expect(Math.abs(v)).toBeLessThan(1e-13);
  });

  it("layer and group norm standardise each row or group", () => {
    const mean = new Float64Array(4);
    const rstd = new Float64Array(4);
    rowMoments(x, 4, 6, 0, mean, rstd);
    const y = new Float64Array(24);
    layerNormApply(x, 4, 6, mean, rstd, null, null, y);
    for (let r = 0; r < 4; r++) {
      const row = Array.from(y.subarray(r * 6, r * 6 + 6));
      expect(Math.abs(row.reduce((a, b) => a + b, 0))).toBeLessThan(1e-13);
      expect(row.reduce((a, b) => a + b * b, 0) / 6).toBeCloseTo(1, 12);
    }
    const gm = new Float64Array(4);
    const gr = new Float64Array(4);
    rowMoments(x, 4, 6, 0, gm, gr);
    const z = new Float64Array(24);
    groupNormApply(x, 2, 6, 2, 2, gm, gr, null, null, z);
    // Each (n, group) of [2, 6, 2] with 2 groups is 6 contiguous values, like the layer-norm rows.
    z.forEach((v, i) => expect(Math.abs(v - (y[i] as number))).toBeLessThan(1e-14));
  });
});
