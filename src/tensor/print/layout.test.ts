import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keptIndices, rowMajorStrides, summarizedValues } from "./layout.js";

const shapes = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 0, maxLength: 4 });

describe("rowMajorStrides", () => {
  it("steps by the product of the trailing sizes", () => {
    fc.assert(
      fc.property(shapes, (shape) => {
        const strides = rowMajorStrides(shape);
        shape.forEach((_, d) => {
          const tail = shape.slice(d + 1).reduce((a, b) => a * b, 1);
          expect(strides[d]).toBe(tail);
        });
      }),
    );
  });
});

describe("keptIndices", () => {
  it("keeps everything unless the dimension exceeds twice the edge items", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        (size, edge, on) => {
          const { leading, trailing, elided } = keptIndices(size, edge, on);
          expect(elided).toBe(on && size > 2 * edge);
          const all = [...leading, ...trailing];
          if (elided) {
            expect(all).toEqual([
              ...Array(edge).keys(),
              ...Array.from({ length: edge }, (_, i) => size - edge + i),
            ]);
          } else {
            expect(all).toEqual([...Array(size).keys()]);
          }
        },
      ),
    );
  });
});

describe("summarizedValues", () => {
  it("equals filtering the row-major elements whose every index is kept", () => {
    fc.assert(
      fc.property(shapes, fc.integer({ min: 1, max: 3 }), fc.boolean(), (shape, edge, on) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const values = Array.from({ length: n }, (_, i) => i);
        const strides = rowMajorStrides(shape);
        const kept = values.filter((flat) =>
          shape.every((size, d) => {
            const i = Math.floor(flat / (strides[d] as number)) % size;
            const { leading, trailing } = keptIndices(size, edge, on);
            return leading.includes(i) || trailing.includes(i);
          }),
        );
        expect(summarizedValues(values, shape, edge, on)).toEqual(kept);
      }),
    );
  });
});
