/**
 * numpy's float-to-text conversion (`np.format_float_positional` / `np.format_float_scientific`,
 * the C "Dragon4" behind every float numpy prints), for float64 and float32 values.
 *
 * Dragon4 (Steele & White; Burger & Dybvig) produces either the shortest digits that identify the
 * value among its neighbours of the same type ("unique") or the exact digits ("exact"), optionally
 * cut off after a number of digits with the last one rounded half-to-even. numpy's variant has its
 * own details that change printed text (a clamped first-digit estimate for fractional cutoffs, the
 * `min_digits` floor, its trimming and padding rules), so this is a faithful re-implementation of
 * that behaviour on BigInt, not a general float printer.
 *
 * References: G. L. Steele and J. L. White, "How to Print Floating-Point Numbers Accurately",
 * PLDI 1990. R. G. Burger and R. K. Dybvig, "Printing Floating-Point Numbers Quickly and
 * Accurately", PLDI 1996. numpy/core/src/multiarray/dragon4.c.
 */

/**
 * numpy's `trim` argument: `"k"` keeps trailing zeros, `"."` trims zeros but keeps the point,
 * `"0"` trims zeros but keeps one after the point, `"-"` trims zeros and the point.
 */
export type TrimMode = "k" | "." | "0" | "-";

/** Options shared by {@link dragon4Positional} and {@link dragon4Scientific} (numpy's names). */
export interface Dragon4Options {
  /** Interpret the value as float32 (shortest digits among float32 neighbours). Default false. */
  float32?: boolean;
  /** Maximum digits (after the point, or significant); -1 for no limit. Default -1. */
  precision?: number;
  /** Shortest unique digits (true) or exact digits (false). Default true. */
  unique?: boolean;
  /** Positional only: precision counts digits after the point (true) or all digits. Default true. */
  fractional?: boolean;
  /** Trailing zero handling. Default "k". */
  trim?: TrimMode;
  /** Print "+" for non-negative values. Default false. */
  sign?: boolean;
  /** Pad with spaces to this many characters left of the point; -1 for none. */
  padLeft?: number;
  /** Positional only: pad with spaces to this many characters right of the point; -1 for none. */
  padRight?: number;
  /** Scientific only: at least this many exponent digits; -1 for numpy's default of 2. */
  expDigits?: number;
  /** Unique mode only: print at least this many digits, rounding the last; -1 for none. */
  minDigits?: number;
}

/** A finite value's parts as numpy's Dragon4 takes them. */
interface FloatParts {
  negative: boolean;
  mantissa: bigint;
  exponent: number;
  mantissaBit: number;
  unequalMargins: boolean;
  special: "" | "inf" | "nan";
}

const view = new DataView(new ArrayBuffer(8));

function bitLength(n: bigint): number {
  return n.toString(2).length;
}

function partsOf(x: number, float32: boolean): FloatParts {
  let negative: boolean;
  let biased: number;
  let fraction: bigint;
  let fractionBits: number;
  let bias: number;
  let maxBiased: number;
  if (float32) {
    view.setFloat32(0, x);
    const bits = view.getUint32(0);
    negative = bits >>> 31 === 1;
    biased = (bits >>> 23) & 0xff;
    fraction = BigInt(bits & 0x7fffff);
    fractionBits = 23;
    bias = 127;
    maxBiased = 0xff;
  } else {
    view.setFloat64(0, x);
    const hi = view.getUint32(0);
    negative = hi >>> 31 === 1;
    biased = (hi >>> 20) & 0x7ff;
    fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
    fractionBits = 52;
    bias = 1023;
    maxBiased = 0x7ff;
  }
  if (biased === maxBiased) {
    const special = fraction === 0n ? "inf" : "nan";
    return { negative, mantissa: 0n, exponent: 0, mantissaBit: 0, unequalMargins: false, special };
  }
  if (biased !== 0) {
    return {
      negative,
      mantissa: fraction | (1n << BigInt(fractionBits)),
      exponent: biased - bias - fractionBits,
      mantissaBit: fractionBits,
      // numpy's test: the gap below is half the gap above at a power of two, except at the
      // smallest normal exponent.
      unequalMargins: biased !== 1 && fraction === 0n,
      special: "",
    };
  }
  return {
    negative,
    mantissa: fraction,
    exponent: 1 - bias - fractionBits,
    mantissaBit: fraction === 0n ? 0 : bitLength(fraction) - 1,
    unequalMargins: false,
    special: "",
  };
}

/** numpy prints into a 16 KiB buffer; its size is the digit cap when no cutoff applies. */
const BUFFER_SIZE = 16384;
// numpy's constant 0.30102999566398119521373889472449, as the double it rounds to.
const LOG10_2 = 0.3010299956639812;

/**
 * The digit generator: digits of `mantissa * 2^exponent` and the decimal exponent of the first.
 * `cutoffMax`/`cutoffMin` are digit limits (-1 for none), counted after the point when
 * `fractionCutoff`, otherwise from the first digit.
 */
function generateDigits(
  p: FloatParts,
  unique: boolean,
  fractionCutoff: boolean,
  cutoffMax: number,
  cutoffMin: number,
  bufferSize: number,
): { digits: number[]; exp10: number } {
  const { mantissa, exponent, mantissaBit, unequalMargins } = p;
  if (mantissa === 0n) return { digits: [0], exp10: 0 };
  const isEven = (mantissa & 1n) === 0n;

  // value = scaledValue / scale; the margins are half the gaps to the neighbouring floats.
  let scaledValue: bigint;
  let scale: bigint;
  let marginLow: bigint;
  if (unequalMargins) {
    if (exponent > 0) {
      scaledValue = mantissa << BigInt(exponent + 2);
      scale = 4n;
      marginLow = 1n << BigInt(exponent);
    } else {
      scaledValue = mantissa << 2n;
      scale = 1n << BigInt(-exponent + 2);
      marginLow = 1n;
    }
  } else if (exponent > 0) {
    scaledValue = mantissa << BigInt(exponent + 1);
    scale = 2n;
    marginLow = 1n << BigInt(exponent);
  } else {
    scaledValue = mantissa << 1n;
    scale = 1n << BigInt(-exponent + 1);
    marginLow = 1n;
  }
  const highFactor = unequalMargins ? 2n : 1n;

  // numpy's estimate of floor(log10(v)) + 1 (correct or one too low), computed the same way.
  let digitExponent = Math.ceil((mantissaBit + exponent) * LOG10_2 - 0.69);
  // A fractional cutoff pulls the first digit up to the cutoff; the rounding step then decides.
  if (cutoffMax >= 0 && fractionCutoff && digitExponent <= -cutoffMax) digitExponent = -cutoffMax + 1;

  if (digitExponent > 0) {
    scale *= 10n ** BigInt(digitExponent);
  } else if (digitExponent < 0) {
    const p10 = 10n ** BigInt(-digitExponent);
    scaledValue *= p10;
    marginLow *= p10;
  }
  if (scaledValue >= scale) {
    digitExponent += 1;
  } else {
    scaledValue *= 10n;
    marginLow *= 10n;
  }

  let cutoffMaxExponent = digitExponent - bufferSize;
  if (cutoffMax >= 0) {
    const desired = fractionCutoff ? -cutoffMax : digitExponent - cutoffMax;
    if (desired > cutoffMaxExponent) cutoffMaxExponent = desired;
  }
  let cutoffMinExponent = digitExponent;
  if (cutoffMin >= 0) {
    const desired = fractionCutoff ? -cutoffMin : digitExponent - cutoffMin;
    if (desired < cutoffMinExponent) cutoffMinExponent = desired;
  }
  let exp10 = digitExponent - 1;

  const digits: number[] = [];
  let outputDigit = 0;
  let low = false;
  let high = false;
  if (unique) {
    for (;;) {
      digitExponent -= 1;
      const q = scaledValue / scale;
      scaledValue -= q * scale;
      outputDigit = Number(q);
      const marginHigh = marginLow * highFactor;
      low = isEven ? scaledValue <= marginLow : scaledValue < marginLow;
      const valueHigh = scaledValue + marginHigh;
      high = isEven ? valueHigh >= scale : valueHigh > scale;
      if (((low || high) && digitExponent <= cutoffMinExponent) || digitExponent === cutoffMaxExponent) break;
      digits.push(outputDigit);
      scaledValue *= 10n;
      marginLow *= 10n;
    }
  } else {
    for (;;) {
      digitExponent -= 1;
      const q = scaledValue / scale;
      scaledValue -= q * scale;
      outputDigit = Number(q);
      if (scaledValue === 0n || digitExponent === cutoffMaxExponent) break;
      digits.push(outputDigit);
      scaledValue *= 10n;
    }
  }

  let roundDown = low;
  if (low === high) {
    const twice = scaledValue * 2n;
    roundDown = twice < scale || (twice === scale && (outputDigit & 1) === 0);
  }
  if (roundDown) {
    digits.push(outputDigit);
  } else if (outputDigit < 9) {
    digits.push(outputDigit + 1);
  } else {
    // Carry through trailing nines; an all-nines prefix becomes a 1 one decade up.
    for (;;) {
      if (digits.length === 0) {
        digits.push(1);
        exp10 += 1;
        break;
      }
      const last = digits.pop() as number;
      if (last !== 9) {
        digits.push(last + 1);
        break;
      }
    }
  }
  return { digits, exp10 };
}

function signChar(p: FloatParts, sign: boolean): string {
  return p.negative ? "-" : sign ? "+" : "";
}

function infNan(p: FloatParts, sign: boolean): string {
  return p.special === "nan" ? "nan" : signChar(p, sign) + "inf";
}

/**
 * numpy's `format_float_positional` (the C `dragon4_positional`) for a float64 or float32 value.
 * @example dragon4Positional(0.1, { precision: 3, trim: "." }) // "0.1"
 * @example dragon4Positional(1 / 3, { float32: true, trim: "-" }) // "0.33333334"
 */
export function dragon4Positional(x: number, opts: Dragon4Options = {}): string {
  const {
    float32 = false,
    precision = -1,
    unique = true,
    fractional = true,
    trim = "k",
    sign = false,
    padLeft = -1,
    padRight = -1,
    minDigits = -1,
  } = opts;
  const p = partsOf(x, float32);
  if (p.special) return infNan(p, sign);
  const s = signChar(p, sign);
  const { digits, exp10 } = generateDigits(
    p,
    unique,
    fractional,
    precision,
    minDigits,
    BUFFER_SIZE - 1 - s.length,
  );
  const text = digits.join("");
  let body: string;
  let numWhole: number;
  let numFraction: number;
  if (exp10 >= 0) {
    numWhole = exp10 + 1;
    if (text.length <= numWhole) {
      body = text + "0".repeat(numWhole - text.length);
      numFraction = 0;
    } else {
      body = `${text.slice(0, numWhole)}.${text.slice(numWhole)}`;
      numFraction = text.length - numWhole;
    }
  } else {
    const zeros = -(exp10 + 1);
    body = `0.${"0".repeat(zeros)}${text}`;
    numFraction = zeros + text.length;
    numWhole = 1;
  }
  if (trim !== "-" && numFraction === 0) body += ".";

  const addDigits = unique ? minDigits : precision;
  const desiredFraction = fractional ? Math.max(addDigits, 0) : addDigits - numWhole;
  if (trim === "0") {
    if (numFraction === 0) {
      body += "0";
      numFraction += 1;
    }
  } else if (trim === "k" && desiredFraction > numFraction) {
    body += "0".repeat(desiredFraction - numFraction);
    numFraction = desiredFraction;
  }
  if (trim !== "k" && numFraction > 0) {
    while (body.endsWith("0")) {
      body = body.slice(0, -1);
      numFraction -= 1;
    }
    if (body.endsWith(".")) {
      if (trim === "0") {
        body += "0";
        numFraction += 1;
      } else if (trim === "-") {
        body = body.slice(0, -1);
      }
    }
  }
  if (padRight >= numFraction) {
    if (trim === "-" && numFraction === 0) body += " ";
    body += " ".repeat(padRight - numFraction);
  }
  const out = s + body;
  const leftWidth = numWhole + s.length;
  return padLeft > leftWidth ? " ".repeat(padLeft - leftWidth) + out : out;
}

/**
 * numpy's `format_float_scientific` (the C `dragon4_scientific`) for a float64 or float32 value.
 * @example dragon4Scientific(12345, { precision: 2, trim: "k" }) // "1.23e+04"
 * @example dragon4Scientific(1e-5, { trim: "-" }) // "1e-05"
 */
export function dragon4Scientific(x: number, opts: Dragon4Options = {}): string {
  const {
    float32 = false,
    precision = -1,
    unique = true,
    trim = "k",
    sign = false,
    padLeft = -1,
    expDigits = -1,
    minDigits = -1,
  } = opts;
  const p = partsOf(x, float32);
  if (p.special) return infNan(p, sign);
  const s = signChar(p, sign);
  const leftChars = 1 + s.length;
  const pad = padLeft > leftChars ? " ".repeat(padLeft - leftChars) : "";
  const { digits, exp10 } = generateDigits(
    p,
    unique,
    false,
    precision < 0 ? -1 : precision + 1,
    minDigits < 0 ? -1 : minDigits + 1,
    BUFFER_SIZE - pad.length - s.length,
  );
  let body = String(digits[0]);
  let numFraction = digits.length - 1;
  if (numFraction > 0) body += "." + digits.slice(1).join("");
  if (trim !== "-" && numFraction === 0) body += ".";

  const addDigits = Math.max(unique ? minDigits : precision, 0);
  if (trim === "0") {
    if (numFraction === 0) {
      body += "0";
      numFraction += 1;
    }
  } else if (trim === "k" && addDigits > numFraction) {
    body += "0".repeat(addDigits - numFraction);
    numFraction = addDigits;
  }
  if (trim !== "k" && numFraction > 0) {
    while (body.endsWith("0")) {
      body = body.slice(0, -1);
      numFraction -= 1;
    }
    if (trim === "0" && body.endsWith(".")) body += "0";
  }

  const width = expDigits < 0 ? 2 : Math.min(expDigits, 5);
  const expText = String(Math.abs(exp10)).padStart(width, "0");
  return `${pad}${s}${body}e${exp10 >= 0 ? "+" : "-"}${expText}`;
}
