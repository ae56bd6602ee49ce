/**
 * PyTorch's float32 Box–Muller block for x86-64 CPUs with AVX2 (`normal_fill_16_AVX2`), evaluated
 * lane by lane in float32 (`rng-spec.md` §3.8). Its logarithm and sine/cosine are the Cephes
 * polynomials of `avx_mathfun.h`, not libm, so the result is exactly reproducible: every step is
 * rounded with `Math.fround`, and the multiply-adds that GCC contracts (`-mfma`) use {@link fma32}.
 */

import { fma32 } from "../util/fma.js";

const f32 = Math.fround;
const bitsBuf = new DataView(new ArrayBuffer(4));

function fromBits(bits: number): number {
  bitsBuf.setUint32(0, bits >>> 0);
  return bitsBuf.getFloat32(0);
}

function toBits(x: number): number {
  bitsBuf.setFloat32(0, x);
  return bitsBuf.getUint32(0);
}

// Cephes constants, rounded to float32 (bit patterns from rng-spec.md §3.8).
const TWO_PI_F = fromBits(0x40c90fdb);
const SQRTHF = fromBits(0x3f3504f3);
const LOG_Q1 = fromBits(0xb95e8083);
const LOG_Q2 = fromBits(0x3f318000);
const LOG_P = [
  0x3d9021bb, 0xbdebd1b8, 0x3def251a, 0xbdfe5d4f, 0x3e11e9bf, 0xbe2aae50, 0x3e4cceac, 0xbe7ffffc, 0x3eaaaaaa,
].map(fromBits);
const FOPI = fromBits(0x3fa2f983);
const DP1 = fromBits(0xbf490000);
const DP2 = fromBits(0xb97da000);
const DP3 = fromBits(0xb3222169);
const S0 = fromBits(0xb94ca1f9);
const S1 = fromBits(0x3c08839e);
const S2 = fromBits(0xbe2aaaa3);
const C0 = fromBits(0x37ccf5ce);
const C1 = fromBits(0xbab6061a);
const C2 = fromBits(0x3d2aaaa5);
const MIN_NORM = fromBits(0x00800000);
const [P0, P1, P2, P3, P4, P5, P6, P7, P8] = LOG_P as [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/**
 * `log256_ps` for one lane: natural log of a float32 in (0, 1].
 * @example logf32Cephes(0.5) // ≈ −0.6931472
 */
export function logf32Cephes(input: number): number {
  const xin = input < MIN_NORM ? MIN_NORM : input;
  const bits = toBits(xin);
  let e = f32((bits >>> 23) - 127 + 1);
  const m = fromBits((bits & 0x807fffff) | 0x3f000000);
  let x: number;
  // Both branches are exact: 2m − 1 for m < √½, m − 1 otherwise.
  if (m < SQRTHF) {
    e = f32(e - 1);
    x = f32(f32(m - 1) + m);
  } else {
    x = f32(m - 1);
  }
  const z = f32(x * x);
  let y = P0;
  y = fma32(y, x, P1);
  y = fma32(y, x, P2);
  y = fma32(y, x, P3);
  y = fma32(y, x, P4);
  y = fma32(y, x, P5);
  y = fma32(y, x, P6);
  y = fma32(y, x, P7);
  y = fma32(y, x, P8);
  y = f32(y * x);
  y = fma32(y, z, f32(e * LOG_Q1));
  y = f32(y - f32(z * 0.5));
  x = f32(x + y);
  return f32(x + f32(e * LOG_Q2));
}

/** Scratch output of {@link sincosf32Cephes}: [sin, cos]. */
const SC: [number, number] = [0, 0];

/**
 * `sincos256_ps` for one lane: [sin t, cos t] in float32. The returned pair is reused by the next
 * call.
 * @example const [s, c] = sincosf32Cephes(Math.fround(1));
 */
export function sincosf32Cephes(t: number): readonly [number, number] {
  let signSin = t < 0 || Object.is(t, -0);
  const ax = Math.abs(t);
  let j = Math.trunc(f32(ax * FOPI)) | 0;
  j = (j + 1) & ~1;
  const jf = j;
  let x = fma32(jf, DP1, ax);
  x = fma32(jf, DP2, x);
  x = fma32(jf, DP3, x);
  if ((j & 4) !== 0) signSin = !signSin;
  const cosNeg = ((j - 2) & 4) === 0;
  const z = f32(x * x);
  let pc = fma32(fma32(C0, z, C1), z, C2);
  pc = f32(pc * z);
  pc = fma32(pc, z, -f32(z * 0.5));
  pc = f32(pc + 1);
  let ps = fma32(fma32(S0, z, S1), z, S2);
  ps = f32(ps * z);
  ps = fma32(ps, x, x);
  // The kernel selects with masks and adds +0 to the unselected lane, which turns −0 into +0.
  let s: number;
  let c: number;
  if ((j & 2) === 0) {
    s = ps + 0;
    c = pc + 0;
  } else {
    s = pc + 0;
    c = ps + 0;
  }
  SC[0] = signSin ? -s : s;
  SC[1] = cosNeg ? -c : c;
  return SC;
}

/**
 * Transform 16 float32 uniforms at `d[i..i+16)` into normals in place: pairs (j, j+8) for j < 8,
 * with `1 − d[i+j]` feeding the radius and `d[i+j+8]` the angle; `mean`/`std` already float32.
 * @example normalFill16Avx2(buf, 0, 0, 1)
 */
export function normalFill16Avx2(d: Float32Array, i: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = f32(1 - d[i + j]!);
    const u2 = d[i + j + 8]!;
    const radius = f32(Math.sqrt(f32(-2 * logf32Cephes(u1))));
    const theta = f32(TWO_PI_F * u2);
    const sc = sincosf32Cephes(theta);
    const n1 = f32(radius * sc[1]);
    const n2 = f32(radius * sc[0]);
    d[i + j] = fma32(n1, std, mean);
    d[i + j + 8] = fma32(n2, std, mean);
  }
}
