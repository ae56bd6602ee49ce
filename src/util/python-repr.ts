/**
 * Python-compatible number formatting.
 *
 * PyTorch and numpy print through Python's float formatting, which rounds the exact binary value
 * of a double half-to-even. JavaScript's `toFixed` breaks exact ties away from zero and
 * `toPrecision`/`toExponential` stop at 100 digits and 1e21, so every fixed-digit formatter here
 * works on the exact value `mantissa * 2^exponent` with BigInt arithmetic.
 */

/** A finite double as an exact binary fraction: `(-1)^negative * mantissa * 2^exponent`. */
export interface ExactBinary {
  /** The sign bit (true for -0 as well). */
  negative: boolean;
  /** Integer significand, 0 for zeros. */
  mantissa: bigint;
  /** Power of two applied to the significand. */
  exponent: number;
}

const scratch = new DataView(new ArrayBuffer(8));

/**
 * Split a finite double into sign, integer significand and power of two, exactly.
 * @example decomposeDouble(0.75) // { negative: false, mantissa: 6755399441055744n, exponent: -53 }
 */
export function decomposeDouble(x: number): ExactBinary {
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const negative = hi >>> 31 === 1;
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { negative, mantissa: fraction, exponent: -1074 };
  return { negative, mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/**
 * Whether the sign bit of `x` is set (true for -0 and negative numbers, false for NaN).
 * @example signBit(-0) // true
 */
export function signBit(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

const POW10_CACHE: bigint[] = [1n];

/** 10^n as a BigInt (n >= 0), cached because the same few powers recur. */
function pow10(n: number): bigint {
  let p = POW10_CACHE[n];
  if (p === undefined) {
    p = 10n ** BigInt(n);
    if (n < 400) POW10_CACHE[n] = p;
  }
  return p;
}

/**
 * Round `mantissa * 2^exponent * 10^scale10` to an integer, ties to even.
 * @example roundScaledHalfEven(5n, -1, 0) // 2n (2.5 rounds to the even 2)
 */
export function roundScaledHalfEven(mantissa: bigint, exponent: number, scale10: number): bigint {
  let num = mantissa;
  let den = 1n;
  if (scale10 >= 0) num *= pow10(scale10);
  else den *= pow10(-scale10);
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  const q = num / den;
  const twiceRem = (num - q * den) * 2n;
  if (twiceRem > den || (twiceRem === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** Compare the positive value `mantissa * 2^exponent` with 10^k exactly: -1, 0 or 1. */
function comparePow10(mantissa: bigint, exponent: number, k: number): number {
  let lhs = mantissa;
  let rhs = 1n;
  if (exponent >= 0) lhs <<= BigInt(exponent);
  else rhs <<= BigInt(-exponent);
  if (k >= 0) rhs *= pow10(k);
  else lhs *= pow10(-k);
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

/**
 * floor(log10(|x|)) for a finite non-zero double, exactly (Math.log10 only gives an estimate).
 * @example decimalExponent(999.9999) // 2
 */
export function decimalExponent(x: number): number {
  const { mantissa, exponent } = decomposeDouble(x);
  let k = Math.floor(Math.log10(Math.abs(x)));
  while (comparePow10(mantissa, exponent, k) < 0) k--;
  while (comparePow10(mantissa, exponent, k + 1) >= 0) k++;
  return k;
}

function nonFinite(x: number): string {
  if (Number.isNaN(x)) return "nan";
  return x > 0 ? "inf" : "-inf";
}

/**
 * Python's `'{:.Nf}'.format(x)`: `digits` places after the point, exact value rounded half-to-even.
 * @example formatFixed(0.125, 2) // "0.12"  (JS toFixed gives "0.13")
 * @example formatFixed(-0.0001, 2) // "-0.00"
 */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const { negative, mantissa, exponent } = decomposeDouble(x);
  const n = roundScaledHalfEven(mantissa, exponent, digits).toString();
  const padded = n.length <= digits ? "0".repeat(digits + 1 - n.length) + n : n;
  const intPart = padded.slice(0, padded.length - digits);
  const body = digits > 0 ? `${intPart}.${padded.slice(padded.length - digits)}` : intPart;
  return negative ? "-" + body : body;
}

/**
 * Python's `'{:.Ne}'.format(x)`: one digit, `digits` decimals, exponent of at least two digits.
 * @example formatExp(12345.678, 4) // "1.2346e+04"
 * @example formatExp(0, 2) // "0.00e+00"
 */
export function formatExp(x: number, digits: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const { negative, mantissa, exponent } = decomposeDouble(x);
  let k = 0;
  let n: bigint;
  if (mantissa === 0n) {
    n = 0n;
  } else {
    k = decimalExponent(x);
    n = roundScaledHalfEven(mantissa, exponent, digits - k);
    // Rounding up 9.99..9 carries to exactly 10^(digits+1): one more power of ten.
    if (n >= pow10(digits + 1)) {
      n /= 10n;
      k += 1;
    }
  }
  const s = n.toString().padStart(digits + 1, "0");
  const lead = digits > 0 ? `${s[0]}.${s.slice(1)}` : s;
  const expText = `${k < 0 ? "-" : "+"}${String(Math.abs(k)).padStart(2, "0")}`;
  return `${negative ? "-" : ""}${lead}e${expText}`;
}

/**
 * Shortest round-trip digits of a finite non-zero double and the exponent of the first digit.
 * ECMAScript's Number-to-string and Python's repr both pick the shortest digit string that reads
 * back as `x`, the one closest to `x` among those, so JS's digits are Python's digits.
 */
function shortestDigits(x: number): { digits: string; exp10: number } {
  const text = Math.abs(x).toExponential();
  const e = text.indexOf("e");
  return { digits: text.slice(0, e).replace(".", ""), exp10: Number(text.slice(e + 1)) };
}

/**
 * Python's `repr(float)`: shortest round-trip digits, positional for 1e-4 <= |x| < 1e16.
 * @example pyFloatRepr(1) // "1.0"
 * @example pyFloatRepr(1e-5) // "1e-05"
 * @example pyFloatRepr(1e16) // "1e+16"
 */
export function pyFloatRepr(x: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const sign = signBit(x) ? "-" : "";
  if (x === 0) return sign + "0.0";
  const { digits, exp10 } = shortestDigits(x);
  if (exp10 < -4 || exp10 >= 16) {
    const lead = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${lead}e${exp10 < 0 ? "-" : "+"}${String(Math.abs(exp10)).padStart(2, "0")}`;
  }
  if (exp10 < 0) return `${sign}0.${"0".repeat(-exp10 - 1)}${digits}`;
  if (digits.length <= exp10 + 1) return `${sign}${digits}${"0".repeat(exp10 + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp10 + 1)}.${digits.slice(exp10 + 1)}`;
}

/**
 * A JS number as Python would print the value a user most likely passed: integer-valued numbers
 * as Python ints (`3`, `-2`, `100000000000000000000`), everything else as `repr(float)`.
 * JS cannot tell `1` from `1.0`; -0 prints as `-0.0` because only a float can be negative zero.
 * @example pyNumberRepr(3) // "3"
 * @example pyNumberRepr(0.1) // "0.1"
 */
export function pyNumberRepr(x: number): string {
  if (Number.isInteger(x) && !Object.is(x, -0)) return BigInt(x).toString();
  return pyFloatRepr(x);
}
