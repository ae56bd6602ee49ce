import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { setDefaultDtype, type DType } from "../dtype.js";
import { getPrintOptions, setPrintOptions, type PrintOptions } from "./print-options.js";
import { formatTorch, type PrintableTensor } from "./torch-format.js";

afterEach(() => {
  setPrintOptions({ profile: "default" });
  setDefaultDtype("float32");
});

const shapes = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });
const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The numbers in a repr body, in printed order. */
function numbersIn(text: string): number[] {
  const body = text
    .slice("tensor(".length)
    .replace(/,\s+(dtype|requires_grad|grad_fn)=.*$/s, "")
    .replace(/\)$/, "");
  return (body.match(/-?(\d+\.?\d*(e[+-]\d+)?|inf|nan)/g) ?? []).map((t) =>
    t === "nan" ? NaN : t === "inf" ? Infinity : t === "-inf" ? -Infinity : Number(t),
  );
}

function t(shape: number[], dtype: DType, values: ArrayLike<number>, extra: Partial<PrintableTensor> = {}) {
  return { shape, dtype, values, ...extra };
}

describe("formatTorch structure", () => {
  it("prints every int value in row-major order with one bracket per sub-array", () => {
    fc.assert(
      fc.property(shapes, fc.integer({ min: 20, max: 120 }), (shape, linewidth) => {
        const values = Int32Array.from({ length: numel(shape) }, (_, i) => ((i * 7919) % 2001) - 1000);
        const text = formatTorch(t(shape, "int32", values), { linewidth });
        expect(numbersIn(text)).toEqual(Array.from(values));
        let subArrays = 1;
        let count = 1;
        for (const size of shape.slice(0, -1)) {
          count *= size;
          subArrays += count;
        }
        expect(text.split("[").length - 1).toBe(subArrays);
        expect(text.includes("dtype")).toBe(false);
      }),
    );
  });

  it("rounds each float to the precision in fixed mode", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 900, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        (values, precision) => {
          fc.pre(values.some((v) => v !== Math.ceil(v)));
          const text = formatTorch(t([values.length], "float64", values), { precision });
          const printed = numbersIn(text);
          printed.forEach((p, i) =>
            expect(Math.abs(p - values[i]!)).toBeLessThanOrEqual(0.5 * 10 ** -precision + 1e-9),
          );
        },
      ),
    );
  });

  it("summarises above the threshold to edgeitems per end of each dimension", () => {
    fc.assert(
      fc.property(fc.integer({ min: 7, max: 50 }), fc.integer({ min: 1, max: 3 }), (n, edge) => {
        const values = Float64Array.from({ length: n * n }, (_, i) => i);
        const text = formatTorch(t([n, n], "float64", values), { threshold: 10, edgeitems: edge });
        const kept = 2 * edge < n ? 2 * edge : n;
        expect(numbersIn(text).length).toBe(kept * kept);
        expect(text.includes("...")).toBe(2 * edge < n);
      }),
    );
  });
});

describe("formatTorch suffixes", () => {
  it("shows dtype only when it is not implied by the default dtype", () => {
    for (const def of ["float32", "float64"] as const) {
      setDefaultDtype(def);
      for (const dtype of ["float32", "float64", "int32", "bool"] as const) {
        const text = formatTorch(t([2], dtype, [1, 0]));
        const expected = (dtype === "float32" || dtype === "float64") && dtype !== def;
        expect(text.includes("dtype=")).toBe(expected);
        const empty = formatTorch(t([0], dtype, []));
        expect(empty.includes("dtype=")).toBe(dtype !== def);
      }
    }
  });

  it("names int32 tensors as PyTorch's int64 and empty shapes other than (0,)", () => {
    expect(formatTorch(t([0], "int32", []))).toContain("dtype=torch.int64");
    expect(formatTorch(t([2, 0, 3], "float32", []))).toContain("size=(2, 0, 3)");
    expect(formatTorch(t([0], "float32", []))).not.toContain("size=");
  });

  it("prefers grad_fn over requires_grad and marks parameters", () => {
    const leaf = formatTorch(t([1], "float32", [1], { requiresGrad: true }));
    const nonLeaf = formatTorch(t([1], "float32", [1], { requiresGrad: true, gradFnName: "AddBackward0" }));
    const param = formatTorch(t([1], "float32", [1], { requiresGrad: true, isParameter: true }));
    expect(leaf.endsWith(", requires_grad=True)")).toBe(true);
    expect(nonLeaf.endsWith(", grad_fn=<AddBackward0>)")).toBe(true);
    expect(nonLeaf.includes("requires_grad")).toBe(false);
    expect(param.startsWith("Parameter containing:\ntensor(")).toBe(true);
  });

  it("moves a suffix to its own line when it would pass the line width", () => {
    const values = Float64Array.from({ length: 8 }, (_, i) => i + 0.5);
    const text = formatTorch(t([8], "float32", values, { gradFnName: "MulBackward0" }), { linewidth: 40 });
    expect(text.endsWith(",\n       grad_fn=<MulBackward0>)")).toBe(true);
  });
});

describe("formatTorch options", () => {
  it("uses overrides without touching the global options", () => {
    const before: PrintOptions = getPrintOptions();
    formatTorch(t([3], "float32", [1.5, 2, 3]), { precision: 1, sciMode: true });
    expect(getPrintOptions()).toEqual(before);
  });

  it("rejects unknown overrides and too few values", () => {
    expect(() => formatTorch(t([1], "float32", [1]), { sci_mode: true } as never)).toThrow(
      /did you mean sciMode\?/,
    );
    expect(() => formatTorch(t([2, 2], "float32", [1, 2, 3]))).toThrow(RangeError);
  });
});
