import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decimalExponent,
  decomposeDouble,
  formatExp,
  formatFixed,
  pyFloatRepr,
  pyNumberRepr,
  roundScaledHalfEven,
  signBit,
} from "./python-repr.js";

/** Any finite double, drawn from raw bit patterns so subnormals and huge values are common. */
const anyFinite = fc
  .bigInt({ min: 0n, max: (1n << 64n) - 1n })
  .map((bits) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setBigUint64(0, bits);
    return view.getFloat64(0);
  })
  .filter(Number.isFinite);

/** Python's exponent style: at least two digits (`e+05`), JS writes `e+5`. */
function pythonExponent(jsExp: string): string {
  return jsExp.replace(/e([+-])(\d)$/, "e$10$2");
}

/** Whether x * 10^d is exactly an integer plus 1/2, i.e. 2 * x * 10^d is an odd integer. */
function isTie(x: number, d: number): boolean {
  const { mantissa, exponent } = decomposeDouble(x);
  const scaled = mantissa * 10n ** BigInt(d);
  const shift = exponent + 1;
  if (shift >= 0) return ((scaled << BigInt(shift)) & 1n) === 1n;
  const den = 1n << BigInt(-shift);
  return scaled % den === 0n && ((scaled / den) & 1n) === 1n;
}

describe("decomposeDouble", () => {
  it("reconstructs every finite double exactly", () => {
    fc.assert(
      fc.property(anyFinite, (x) => {
        const { negative, mantissa, exponent } = decomposeDouble(x);
        expect(mantissa < 1n << 53n).toBe(true);
        const magnitude = Number(mantissa) * 2 ** exponent;
        expect(Object.is(negative ? -magnitude : magnitude, x)).toBe(true);
      }),
    );
  });
});

describe("signBit", () => {
  it("is set for negatives and -0 only", () => {
    expect([signBit(-0), signBit(0), signBit(-1e-300), signBit(NaN), signBit(-Infinity)]).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
  });
});

describe("decimalExponent", () => {
  it("brackets |x| between consecutive powers of ten", () => {
    fc.assert(
      fc.property(
        anyFinite.filter((x) => x !== 0),
        (x) => {
          const k = decimalExponent(x);
          // 10^k <= |x| < 10^(k+1), checked through the exact formatter's digits.
          const text = formatExp(x, 20);
          const expPart = Number(text.slice(text.indexOf("e") + 1));
          const rounded =
            text.startsWith("1.00000000000000000000") || text.startsWith("-1.00000000000000000000");
          expect(expPart === k || (rounded && expPart === k + 1)).toBe(true);
        },
      ),
    );
  });
});

describe("roundScaledHalfEven", () => {
  it("sends exact halves to the even neighbour", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (k) => {
        // (2k+1)/2 is a tie between k and k+1.
        const r = roundScaledHalfEven(BigInt(2 * k + 1), -1, 0);
        expect(r === BigInt(k) || r === BigInt(k + 1)).toBe(true);
        expect(r % 2n).toBe(0n);
      }),
    );
  });
});

describe("formatFixed", () => {
  it("agrees with toFixed except on exact ties", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyFinite.filter((x) => Math.abs(x) < 1e21),
          fc.double({ min: -1e9, max: 1e9, noNaN: true }),
          fc.integer({ min: -4000, max: 4000 }).map((k) => k / 64),
        ),
        fc.integer({ min: 0, max: 20 }),
        (x, d) => {
          const ours = formatFixed(x, d);
          const js = x.toFixed(d);
          // toFixed drops the sign of values that round to zero; Python keeps it.
          const jsSigned = signBit(x) && !js.startsWith("-") ? "-" + js : js;
          // Only an exact tie may differ.
          if (ours !== jsSigned) expect(isTie(x, d)).toBe(true);
        },
      ),
    );
  });

  it("breaks exact ties to the even last digit (toFixed rounds them up)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), fc.integer({ min: 0, max: 6 }), (k, d) => {
        const x = (2 * k + 1) / 2 ** (d + 1); // x * 10^d = (2k+1) * 5^d / 2: a tie
        const scaled = x * 10 ** d; // exact: (2k+1) * 5^d / 2 is far below 2^53
        const lower = Math.floor(scaled);
        const even = (((lower % 2) + 2) % 2 === 0 ? lower : lower + 1) + 0;
        expect(BigInt(formatFixed(x, d).replace(".", ""))).toBe(BigInt(even));
      }),
    );
  });

  it("prints non-finite values as Python does", () => {
    expect([formatFixed(NaN, 2), formatFixed(Infinity, 0), formatFixed(-Infinity, 4)]).toEqual([
      "nan",
      "inf",
      "-inf",
    ]);
  });
});

describe("formatExp", () => {
  it("agrees with toExponential (Python exponent style) on values with full significands", () => {
    fc.assert(
      fc.property(anyFinite, fc.integer({ min: 0, max: 15 }), (x, d) => {
        const { mantissa } = decomposeDouble(x);
        fc.pre(mantissa >= 1n << 52n); // normal numbers: an exact tie needs a short significand
        expect(formatExp(x, d)).toBe(pythonExponent(x.toExponential(d)));
      }),
    );
  });

  it("round-trips with 16 decimals (17 significant digits)", () => {
    fc.assert(
      fc.property(anyFinite, (x) => {
        expect(Object.is(Number(formatExp(x, 16)), x)).toBe(true);
      }),
    );
  });

  it("breaks exact ties to even", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (m) => {
        // x = "m5": with one decimal per digit of m after the first, the 5 is an exact tie.
        const x = m * 10 + 5;
        const d = String(m).length - 1;
        const even = m % 2 === 0 ? m : m + 1;
        expect(Number(formatExp(x, d))).toBe(even * 10);
      }),
    );
  });
});

describe("pyFloatRepr", () => {
  it("reads back to the same double and uses JS's shortest digits", () => {
    fc.assert(
      fc.property(anyFinite, (x) => {
        const text = pyFloatRepr(x);
        expect(Object.is(Number(text), x)).toBe(true);
        const digits = (s: string) =>
          s
            .replace(/^-/, "")
            .split("e")[0]!
            .replace(".", "")
            .replace(/^0+|0+$/g, "");
        expect(digits(text)).toBe(digits(Math.abs(x).toExponential()));
      }),
    );
  });

  it("switches to exponent form outside 1e-4 <= |x| < 1e16 and always shows a point or exponent", () => {
    fc.assert(
      fc.property(
        anyFinite.filter((x) => x !== 0),
        (x) => {
          const text = pyFloatRepr(x);
          const a = Math.abs(x);
          expect(text.includes("e")).toBe(a < 1e-4 || a >= 1e16);
          expect(/[.e]/.test(text)).toBe(true);
        },
      ),
    );
  });
});

describe("pyNumberRepr", () => {
  it("prints integer-valued numbers as Python ints and others as float reprs", () => {
    fc.assert(
      fc.property(anyFinite, (x) => {
        const text = pyNumberRepr(x);
        if (Number.isInteger(x) && !Object.is(x, -0)) {
          expect(text).toBe(BigInt(x).toString());
        } else {
          expect(text).toBe(pyFloatRepr(x));
        }
      }),
    );
  });
});
