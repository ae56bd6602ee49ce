import { expect } from "vitest";

/** Largest |a - e| / max(|e|, tiny) over the elements (0 when all match; NaN matches NaN). */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)) || a === e) continue;
    if (!Number.isFinite(a) || !Number.isFinite(e)) return Infinity;
    const err = Math.abs(a - e) / Math.max(Math.abs(e), Number.MIN_VALUE);
    if (err > worst) worst = err;
  }
  return worst;
}

/**
 * Assert `actual` equals `expected` elementwise within `|a - e| <= atol + rtol * |e|`
 * (NaN equals NaN, infinities must match exactly). The failure message names the first bad index.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol = 1e-12, atol = 0, label = "" }: { rtol?: number; atol?: number; label?: string } = {},
): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) expect.fail(`${label}[${i}]: got ${a}, expected NaN`);
      continue;
    }
    if (!Number.isFinite(e)) {
      if (a !== e) expect.fail(`${label}[${i}]: got ${a}, expected ${e}`);
      continue;
    }
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(
        `${label}[${i}]: got ${a}, expected ${e} (abs err ${Math.abs(a - e)}, rel err ${
          Math.abs(a - e) / Math.abs(e)
        }, rtol ${rtol}, atol ${atol})`,
      );
    }
  }
}

/** Assert bit-for-bit equality (Object.is per element, so -0 differs from +0 and NaN equals NaN). */
export function expectExact(actual: ArrayLike<number>, expected: ArrayLike<number>, label = ""): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) {
      expect.fail(`${label}[${i}]: got ${a}, expected ${e} (bit-exact comparison)`);
    }
  }
}
