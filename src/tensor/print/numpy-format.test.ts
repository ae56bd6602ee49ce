import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValueError } from "../../util/errors.js";
import { pyFloatRepr } from "../../util/python-repr.js";
import { formatNumpy, type NumpyPrintOptions } from "./numpy-format.js";

const anyDouble = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((bits) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
});
const someDouble = fc.oneof(
  anyDouble,
  fc.double({ min: -1e4, max: 1e4 }),
  fc.constantFrom(0, -0, NaN, Infinity),
);

/** The element tokens of a numpy str, in printed order. */
function tokens(text: string): string[] {
  return text.replace(/[[\]]/g, " ").trim().split(/\s+/).filter(Boolean);
}

function parse(token: string): number {
  if (token === "nan") return NaN;
  if (token === "inf") return Infinity;
  if (token === "-inf") return -Infinity;
  return Number(token);
}

const full: Partial<NumpyPrintOptions> = { threshold: Infinity };

describe("formatNumpy values", () => {
  it("prints float64 arrays in 'unique' mode with digits that read back exactly", () => {
    fc.assert(
      fc.property(
        fc.array(someDouble, { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        (values, suppressSmall) => {
          const text = formatNumpy(values, [values.length], "float64", {
            ...full,
            floatmode: "unique",
            suppressSmall,
          });
          const printed = tokens(text).map(parse);
          expect(printed.length).toBe(values.length);
          printed.forEach((p, i) =>
            expect(Object.is(p, values[i]) || (p === 0 && values[i] === 0)).toBe(true),
          );
        },
      ),
    );
  });

  it("prints float32 arrays with float32 digits that read back to the same float32", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 30 }), (values) => {
        const text = formatNumpy(Float32Array.from(values), [values.length], "float32", {
          ...full,
          floatmode: "unique",
        });
        tokens(text).forEach((tok, i) => expect(Math.fround(parse(tok))).toBe(Math.fround(values[i]!)));
      }),
    );
  });

  it("prints ints and bools value for value, right-aligned to one width", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 40 }),
        (values) => {
          const text = formatNumpy(Int32Array.from(values), [values.length], "int32", full);
          expect(tokens(text).map(Number)).toEqual(values);
          const bools = formatNumpy(
            values.map((v) => (v > 0 ? 1 : 0)),
            [values.length],
            "bool",
            full,
          );
          expect(tokens(bools)).toEqual(values.map((v) => (v > 0 ? "True" : "False")));
        },
      ),
    );
  });

  it("prints a 0-d float64 array as Python prints the float", () => {
    fc.assert(
      fc.property(someDouble, (x) => {
        expect(formatNumpy([x], [], "float64", { precision: 2 })).toBe(pyFloatRepr(x));
      }),
    );
  });
});

describe("formatNumpy layout", () => {
  it("keeps every line of a 1-d array within the line width", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 30, max: 120 }),
        (values, linewidth) => {
          const text = formatNumpy(values, [values.length], "float64", { linewidth, precision: 4 });
          for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(linewidth);
        },
      ),
    );
  });

  it("summarises above the threshold with edgeitems at each end of every axis", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 30 }), fc.integer({ min: 1, max: 3 }), (n, edge) => {
        const values = Int32Array.from({ length: n * n }, (_, i) => i);
        const text = formatNumpy(values, [n, n], "int32", { threshold: 5, edgeitems: edge });
        const kept = 2 * edge < n ? 2 * edge : n;
        expect(tokens(text).filter((s) => s !== "...").length).toBe(kept * kept);
      }),
    );
  });

  it("prints empty arrays as []", () => {
    expect(formatNumpy([], [0, 3], "float64")).toBe("[]");
  });
});

describe("formatNumpy options", () => {
  it("rejects unknown options with a suggestion and bad values with numpy's words", () => {
    expect(() => formatNumpy([1], [1], "float64", { suppress: true } as never)).toThrow(
      /did you mean suppressSmall\?/,
    );
    expect(() => formatNumpy([1], [1], "float64", { max_line_width: 50 } as never)).toThrow(
      /did you mean linewidth\?/,
    );
    expect(() => formatNumpy([1], [1], "float64", { floatmode: "short" as "fixed" })).toThrow(ValueError);
    expect(() => formatNumpy([1], [1], "float64", { sign: "x" as "-" })).toThrow(
      "sign option must be one of",
    );
    expect(() => formatNumpy([1], [1], "float64", { precision: -1 })).toThrow(TypeError);
    expect(() => formatNumpy([1, 2], [3], "float64")).toThrow(RangeError);
  });
});
