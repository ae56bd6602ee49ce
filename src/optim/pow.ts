/**
 * Python's `x ** y` for floats, correctly rounded, to stand in for glibc's `pow` in the bias
 * corrections (`β^t`), NAdam's momentum schedule (`0.96^(t·ψ)`) and ASGD's η.
 *
 * V8's `Math.pow` is not correctly rounded: `0.9 ** t` differs from glibc in the last bit for about
 * one `t` in ten, which moves float64 Adam off PyTorch's trajectory by an ulp per step. glibc's
 * `pow` is correctly rounded except in rare hard cases (its documented error is below 0.52 ulp), so
 * computing the power in double-double precision (≈100 bits) and rounding once agrees with it
 * almost always.
 *
 * @example
 * ```ts
 * pyPow(0.9, 3); // 0.7290000000000001, as Python prints 0.9 ** 3
 * ```
 * @module
 */

/** A double-double: the unevaluated sum hi + lo with |lo| ≤ ulp(hi)/2. */
type DD = [number, number];

const SPLITTER = 134217729; // 2^27 + 1 (Veltkamp)

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function fastTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function add(x: DD, y: DD): DD {
  const [s, e] = twoSum(x[0], y[0]);
  const [t, f] = twoSum(x[1], y[1]);
  const [u, g] = fastTwoSum(s, e + t);
  return fastTwoSum(u, g + f);
}

function mul(x: DD, y: DD): DD {
  const [p, e] = twoProd(x[0], y[0]);
  return fastTwoSum(p, e + (x[0] * y[1] + x[1] * y[0]));
}

function div(x: DD, y: DD): DD {
  const q1 = x[0] / y[0];
  const r = add(x, mul([-q1, 0], y));
  const q2 = r[0] / y[0];
  const r2 = add(r, mul([-q2, 0], y));
  const q3 = r2[0] / y[0];
  return add(fastTwoSum(q1, q2), [q3, 0]);
}

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];

/** ln x in double-double for finite x > 0: x = m·2^e, ln m = 2·atanh((m − 1)/(m + 1)). */
function ddLog(x: number): DD {
  let e = Math.floor(Math.log2(x));
  let m = x / 2 ** e;
  if (m >= Math.SQRT2) {
    m /= 2;
    e += 1;
  } else if (m < Math.SQRT1_2) {
    m *= 2;
    e -= 1;
  }
  // m − 1 and m + 1 are exact for m in [√½, √2).
  const s = div([m - 1, 0], twoSum(m, 1));
  const s2 = mul(s, s);
  let term = s;
  let sum: DD = s;
  for (let k = 3; k < 99; k += 2) {
    term = mul(term, s2);
    const part = div(term, [k, 0]);
    sum = add(sum, part);
    if (Math.abs(part[0]) <= Math.abs(sum[0]) * 1e-34) break;
  }
  return add(mul([2, 0], sum), mul([e, 0], LN2));
}

/** e^z in double-double for moderate |z|: z = k·ln 2 + r, |r| ≤ ln 2 / 2, Taylor series of e^r. */
function ddExp(z: DD): DD {
  const k = Math.round(z[0] / LN2[0]);
  const r = add(z, mul([-k, 0], LN2));
  let term: DD = [1, 0];
  let sum: DD = [1, 0];
  for (let n = 1; n < 60; n++) {
    term = div(mul(term, r), [n, 0]);
    sum = add(sum, term);
    if (Math.abs(term[0]) <= Math.abs(sum[0]) * 1e-34) break;
  }
  return [sum[0] * 2 ** k, sum[1] * 2 ** k];
}

/** x^n for an integer n ≥ 1 by binary powering in double-double. */
function ddPowInt(x: number, n: number): DD {
  let result: DD = [1, 0];
  let base: DD = [x, 0];
  let k = n;
  while (k > 0) {
    if (k & 1) result = mul(result, base);
    k = Math.floor(k / 2);
    if (k > 0) base = mul(base, base);
  }
  return result;
}

/**
 * `x ** y` as Python computes it for floats (glibc `pow`), correctly rounded. Cases outside the
 * well-conditioned range (non-positive or non-finite operands, huge exponents, results near
 * overflow or underflow) fall back to `Math.pow`.
 *
 * @example
 * ```ts
 * pyPow(0.999, 10); // 0.9900448802097482
 * ```
 */
export function pyPow(x: number, y: number): number {
  if (y === 0) return 1;
  if (y === 1) return x;
  if (y === 0.5 && x >= 0) return Math.sqrt(x);
  if (!(x > 0) || !Number.isFinite(x) || !Number.isFinite(y)) return x ** y;
  const approx = x ** y;
  if (!(approx > 1e-290 && approx < 1e290)) return approx;
  let r: DD;
  if (Number.isInteger(y) && Math.abs(y) <= 2 ** 31) {
    r = ddPowInt(x, Math.abs(y));
    if (y < 0) r = div([1, 0], r);
  } else {
    const z = mul(ddLog(x), [y, 0]);
    if (Math.abs(z[0]) > 700) return approx;
    r = ddExp(z);
  }
  return r[0] + r[1];
}
