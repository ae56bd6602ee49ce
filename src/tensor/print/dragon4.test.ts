import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatExp, formatFixed } from "../../util/python-repr.js";
import { dragon4Positional, dragon4Scientific } from "./dragon4.js";

/** Any finite double from raw bits (subnormals and extremes included). */
const anyDouble = fc
  .bigInt({ min: 0n, max: (1n << 64n) - 1n })
  .map((bits) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setBigUint64(0, bits);
    return view.getFloat64(0);
  })
  .filter(Number.isFinite);

/** Any finite float32 value, as the double it is. */
const anyFloat32 = fc
  .integer({ min: 0, max: 0xffffffff })
  .map((bits) => {
    const view = new DataView(new ArrayBuffer(4));
    view.setUint32(0, bits);
    return view.getFloat32(0);
  })
  .filter(Number.isFinite);

const someDouble = fc.oneof(anyDouble, fc.double({ min: -1e6, max: 1e6, noNaN: true }));

/** The significant digits of a decimal string (no sign, point, exponent or edge zeros). */
function significant(text: string): string {
  return text
    .trim()
    .replace(/^[-+]/, "")
    .split("e")[0]!
    .replace(".", "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
}

/** numpy keeps the point when there are no decimals ("2." / "2.e+00"); Python drops it. */
function withoutBarePoint(text: string): string {
  return text.replace(/\.(e|$)/, "$1");
}

describe("exact mode agrees with the independent Python formatters", () => {
  it("positional with unique=false is '{:.Nf}'", () => {
    fc.assert(
      fc.property(someDouble, fc.integer({ min: 0, max: 25 }), (x, d) => {
        expect(withoutBarePoint(dragon4Positional(x, { unique: false, precision: d }))).toBe(
          formatFixed(x, d),
        );
      }),
    );
  });

  it("scientific with unique=false is '{:.Ne}'", () => {
    fc.assert(
      fc.property(someDouble, fc.integer({ min: 0, max: 25 }), (x, d) => {
        expect(withoutBarePoint(dragon4Scientific(x, { unique: false, precision: d }))).toBe(formatExp(x, d));
      }),
    );
  });
});

describe("unique mode", () => {
  it("gives float64 the shortest round-trip digits (JS's)", () => {
    fc.assert(
      fc.property(someDouble, (x) => {
        const pos = dragon4Positional(x, { trim: "-" });
        const sci = dragon4Scientific(x, { trim: "-" });
        expect(Object.is(Number(pos), x) || (x === 0 && Number(pos) === 0)).toBe(true);
        expect(Number(sci)).toBe(x);
        expect(significant(sci)).toBe(significant(Math.abs(x).toExponential()));
      }),
    );
  });

  it("gives float32 digits that read back to the same float32 and cannot be shortened", () => {
    fc.assert(
      fc.property(anyFloat32, (x) => {
        const sci = dragon4Scientific(x, { float32: true, trim: "-" });
        expect(Math.fround(Number(sci))).toBe(x);
        const n = significant(sci).length;
        const isPowerOfTwo = x !== 0 && Math.log2(Math.abs(x)) % 1 === 0;
        if (n > 1 && !isPowerOfTwo) {
          // The nearest shorter decimal would be in the rounding interval if any shorter one were.
          expect(Math.fround(Number(Math.abs(x).toPrecision(n - 1)))).not.toBe(Math.abs(x));
        }
      }),
    );
  });

  it("cuts off at the precision with the exact value rounded", () => {
    fc.assert(
      fc.property(someDouble, fc.integer({ min: 0, max: 12 }), (x, d) => {
        const cut = dragon4Positional(x, { precision: d, trim: "k" });
        const frac = cut.split(".")[1] ?? "";
        expect(frac.length).toBeLessThanOrEqual(d);
        // Never further from x than the exactly rounded d-decimal value, plus half an ulp of x.
        const exact = Number(formatFixed(x, d));
        expect(Math.abs(Number(cut) - x)).toBeLessThanOrEqual(Math.abs(exact - x) * (1 + 1e-9) + 1e-300);
      }),
    );
  });
});

describe("trimming and padding", () => {
  it("follows each trim mode's rule for the fraction", () => {
    fc.assert(
      fc.property(someDouble, fc.integer({ min: 0, max: 10 }), (x, d) => {
        const k = dragon4Positional(x, { precision: d, unique: false, trim: "k" });
        const dot = dragon4Positional(x, { precision: d, unique: false, trim: "." });
        const zero = dragon4Positional(x, { precision: d, unique: false, trim: "0" });
        const dash = dragon4Positional(x, { precision: d, unique: false, trim: "-" });
        expect(dot.length <= k.length && k.startsWith(dot)).toBe(true);
        expect(/\.(\d*[1-9])?$/.test(dot)).toBe(true);
        expect(/\.(0|\d*[1-9])$/.test(zero)).toBe(true);
        expect(dash.endsWith(".") || (dash.includes(".") && dash.endsWith("0"))).toBe(false);
      }),
    );
  });

  it("pads to the requested widths around the point", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        (x, left, right) => {
          const text = dragon4Positional(x, { precision: 4, trim: ".", padLeft: left, padRight: right });
          const plain = dragon4Positional(x, { precision: 4, trim: "." });
          const [intPart, fracPart] = plain.split(".") as [string, string];
          expect(text.indexOf(".")).toBe(Math.max(left, intPart.length));
          expect(text.length - text.indexOf(".") - 1).toBe(Math.max(right, fracPart.length));
          expect(text.trim()).toBe(plain);
        },
      ),
    );
  });

  it("writes at least expDigits exponent digits and numpy's signs", () => {
    fc.assert(
      fc.property(anyDouble, fc.integer({ min: 1, max: 5 }), (x, e) => {
        const text = dragon4Scientific(x, { precision: 3, expDigits: e, sign: true });
        const exp = text.split("e")[1]!;
        expect(exp.length - 1).toBeGreaterThanOrEqual(e);
        expect(text[0]).toBe(x < 0 || Object.is(x, -0) ? "-" : "+");
      }),
    );
    expect([
      dragon4Positional(NaN, { sign: true }),
      dragon4Scientific(-Infinity),
      dragon4Positional(Infinity),
    ]).toEqual(["nan", "-inf", "inf"]);
  });
});
