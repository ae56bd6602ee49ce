import { describe, expect, it } from "vitest";
import { col2imAdd, im2col, type ConvGeometry } from "./conv.js";

function geometry(
  p: Partial<ConvGeometry> & { channels: number; height: number; width: number },
): ConvGeometry {
  const g = {
    kernelH: 3,
    kernelW: 3,
    strideH: 1,
    strideW: 1,
    padTop: 0,
    padLeft: 0,
    dilationH: 1,
    dilationW: 1,
    ...p,
  };
  const outH = Math.floor((g.height + 2 * g.padTop - g.dilationH * (g.kernelH - 1) - 1) / g.strideH) + 1;
  const outW = Math.floor((g.width + 2 * g.padLeft - g.dilationW * (g.kernelW - 1) - 1) / g.strideW) + 1;
  return { ...g, outH, outW };
}

/** The column entry by the definition: input at (oh·s − p + k·d), or 0 in the padding. */
function naive(x: Float64Array, g: ConvGeometry): Float64Array {
  const L = g.outH * g.outW;
  const cols = new Float64Array(g.channels * g.kernelH * g.kernelW * L);
  for (let c = 0; c < g.channels; c++)
    for (let kh = 0; kh < g.kernelH; kh++)
      for (let kw = 0; kw < g.kernelW; kw++)
        for (let oh = 0; oh < g.outH; oh++)
          for (let ow = 0; ow < g.outW; ow++) {
            const ih = oh * g.strideH - g.padTop + kh * g.dilationH;
            const iw = ow * g.strideW - g.padLeft + kw * g.dilationW;
            const row = (c * g.kernelH + kh) * g.kernelW + kw;
            const inside = ih >= 0 && ih < g.height && iw >= 0 && iw < g.width;
            cols[row * L + oh * g.outW + ow] = inside ? (x[(c * g.height + ih) * g.width + iw] as number) : 0;
          }
  return cols;
}

const GEOMETRIES = [
  geometry({ channels: 2, height: 5, width: 6 }),
  geometry({ channels: 1, height: 7, width: 7, strideH: 2, strideW: 3, padTop: 1, padLeft: 2 }),
  geometry({ channels: 3, height: 6, width: 5, dilationH: 2, dilationW: 2, padTop: 2, padLeft: 1 }),
  geometry({ channels: 2, height: 4, width: 9, kernelH: 1, kernelW: 4, strideW: 2 }),
  geometry({
    channels: 1,
    height: 3,
    width: 3,
    kernelH: 3,
    kernelW: 3,
    padTop: 1,
    padLeft: 1,
    strideH: 3,
    strideW: 3,
  }),
];

describe("im2col / col2im", () => {
  it("im2col matches the definition, including padding, stride and dilation", () => {
    for (const g of GEOMETRIES) {
      const x = Float64Array.from({ length: g.channels * g.height * g.width }, (_, i) => Math.sin(i + 1));
      const cols = new Float64Array(g.channels * g.kernelH * g.kernelW * g.outH * g.outW);
      im2col(x, 0, g, cols);
      expect(Array.from(cols)).toEqual(Array.from(naive(x, g)));
    }
  });

  it("writes and reads a block inside a wider matrix", () => {
    const g = GEOMETRIES[1] as ConvGeometry;
    const L = g.outH * g.outW;
    const rows = g.channels * g.kernelH * g.kernelW;
    const x = Float64Array.from({ length: g.channels * g.height * g.width }, (_, i) => i + 1);
    const wide = new Float64Array(rows * 3 * L);
    im2col(x, 0, g, wide, L, 3 * L);
    const ref = naive(x, g);
    for (let r = 0; r < rows; r++)
      for (let l = 0; l < L; l++) expect(wide[r * 3 * L + L + l]).toBe(ref[r * L + l]);
    const back = new Float64Array(x.length);
    col2imAdd(wide, g, back, 0, L, 3 * L);
    const direct = new Float64Array(x.length);
    col2imAdd(ref, g, direct, 0);
    expect(Array.from(back)).toEqual(Array.from(direct));
  });

  it("col2imAdd is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>", () => {
    for (const g of GEOMETRIES) {
      const n = g.channels * g.height * g.width;
      const m = g.channels * g.kernelH * g.kernelW * g.outH * g.outW;
      const x = Float64Array.from({ length: n }, (_, i) => Math.cos(3 * i));
      const c = Float64Array.from({ length: m }, (_, i) => Math.sin(7 * i + 1));
      const cols = new Float64Array(m);
      im2col(x, 0, g, cols);
      const back = new Float64Array(n + 3);
      col2imAdd(c, g, back, 3);
      let lhs = 0;
      let rhs = 0;
      for (let i = 0; i < m; i++) lhs += (cols[i] as number) * (c[i] as number);
      for (let i = 0; i < n; i++) rhs += (x[i] as number) * (back[i + 3] as number);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12 * Math.max(1, Math.abs(lhs)));
    }
  });
});
