/**
 * Parity of tensor printing with PyTorch 1.13's repr, numpy 1.24's str and Python's float
 * formatting, against test/fixtures/printing.json (scripts/fixtures/printing.py).
 */
import { afterEach, describe, expect, it } from "vitest";
import { setDefaultDtype, type DType } from "../src/tensor/dtype.js";
import { dragon4Positional, dragon4Scientific, type TrimMode } from "../src/tensor/print/dragon4.js";
import { formatNumpy, type NumpyPrintOptions } from "../src/tensor/print/numpy-format.js";
import { setPrintOptions, type SetPrintOptions } from "../src/tensor/print/print-options.js";
import { formatTorch } from "../src/tensor/print/torch-format.js";
import { formatExp, formatFixed, pyFloatRepr } from "../src/util/python-repr.js";
import { decodeNumber, decodeValues, loadFixture, type EncodedTensor } from "./helpers/fixtures.js";

type Encoded = number | "nan" | "inf" | "-inf";

interface TorchCase {
  name: string;
  tensor: EncodedTensor;
  requiresGrad: boolean;
  gradFn: string | null;
  isParameter: boolean;
  options: Record<string, number | boolean | string>;
  defaultDtype: "float32" | "float64";
  expected: string;
}

interface NumpyCase {
  name: string;
  array: EncodedTensor;
  options: Record<string, number | boolean | string>;
  expected: string;
}

interface Dragon4Case {
  x: Encoded;
  float32: boolean;
  kind: "pos" | "sci";
  options: {
    precision?: number;
    unique?: boolean;
    fractional?: boolean;
    trim?: TrimMode;
    sign?: boolean;
    pad_left?: number;
    pad_right?: number;
    exp_digits?: number;
    min_digits?: number;
  };
  expected: string;
}

interface PyFloatCase {
  x: Encoded;
  repr: string;
  fixed: Record<string, string>;
  exp: Record<string, string>;
}

const fixture = loadFixture<{
  torch: TorchCase[];
  numpy: NumpyCase[];
  dragon4: Dragon4Case[];
  pyfloat: PyFloatCase[];
}>("printing");

/** "inf" in an option means Python's math.inf. */
function decodeOptions(options: Record<string, number | boolean | string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [k, v === "inf" ? Infinity : v]));
}

function valuesOf(t: EncodedTensor): Float64Array {
  return decodeValues(t);
}

afterEach(() => {
  setPrintOptions({ profile: "default" });
  setDefaultDtype("float32");
});

describe("torch repr parity", () => {
  it("has hundreds of cases", () => {
    expect(fixture.torch.length).toBeGreaterThan(500);
  });
  it.each(fixture.torch.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    setPrintOptions(decodeOptions(c.options) as SetPrintOptions);
    setDefaultDtype(c.defaultDtype);
    const text = formatTorch({
      shape: c.tensor.shape,
      dtype: c.tensor.dtype as DType,
      values: valuesOf(c.tensor),
      requiresGrad: c.requiresGrad,
      gradFnName: c.gradFn,
      isParameter: c.isParameter,
    });
    expect(text).toBe(c.expected);
  });
});

describe("numpy str parity", () => {
  it("has hundreds of cases", () => {
    expect(fixture.numpy.length).toBeGreaterThan(500);
  });
  it.each(fixture.numpy.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const text = formatNumpy(
      valuesOf(c.array),
      c.array.shape,
      c.array.dtype as DType,
      decodeOptions(c.options) as Partial<NumpyPrintOptions>,
    );
    expect(text).toBe(c.expected);
  });
});

describe("dragon4 parity (np.format_float_positional / scientific)", () => {
  it("matches every case", () => {
    const failures: string[] = [];
    for (const c of fixture.dragon4) {
      const x = decodeNumber(c.x);
      const o = c.options;
      const opts = {
        float32: c.float32,
        precision: o.precision ?? -1,
        unique: o.unique ?? true,
        fractional: o.fractional ?? true,
        trim: o.trim ?? "k",
        sign: o.sign ?? false,
        padLeft: o.pad_left ?? -1,
        padRight: o.pad_right ?? -1,
        expDigits: o.exp_digits ?? -1,
        minDigits: o.min_digits ?? -1,
      };
      const got = c.kind === "pos" ? dragon4Positional(x, opts) : dragon4Scientific(x, opts);
      if (got !== c.expected) {
        failures.push(
          `${c.kind} ${c.float32 ? "f32" : "f64"} ${x} ${JSON.stringify(o)}: ${got} != ${c.expected}`,
        );
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(fixture.dragon4.length).toBeGreaterThan(1000);
  });
});

describe("Python float formatting parity", () => {
  it("repr, '{:.Nf}' and '{:.Ne}' match for every value", () => {
    const failures: string[] = [];
    for (const c of fixture.pyfloat) {
      const x = decodeNumber(c.x);
      if (pyFloatRepr(x) !== c.repr) failures.push(`repr(${c.repr}): ${pyFloatRepr(x)}`);
      for (const [d, want] of Object.entries(c.fixed)) {
        const got = formatFixed(x, Number(d));
        if (got !== want) failures.push(`{:.${d}f} of ${c.repr}: ${got} != ${want}`);
      }
      for (const [d, want] of Object.entries(c.exp)) {
        const got = formatExp(x, Number(d));
        if (got !== want) failures.push(`{:.${d}e} of ${c.repr}: ${got} != ${want}`);
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(fixture.pyfloat.length).toBeGreaterThan(300);
  });
});
