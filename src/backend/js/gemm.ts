import type { FloatBuffer } from "../layout.js";

/**
 * One batch of matrix products `out[b] = A[b] · B[b]` (M×K times K×N), the compute-bound kernel
 * that backends implement. Operands are strided, so transposed views need no copy; the output is
 * written densely (row-major, N per row) at `outOffsets[b]`.
 *
 * @example
 * ```ts
 * // 2×3 times 3×2, one batch, both row-major:
 * jsBackend.gemm({ m: 2, n: 2, k: 3, a, aOffsets: [0], aRowStride: 3, aColStride: 1,
 *   b, bOffsets: [0], bRowStride: 2, bColStride: 1, out, outOffsets: [0] });
 * ```
 */
export interface GemmArgs {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: FloatBuffer;
  readonly aOffsets: ArrayLike<number>;
  readonly aRowStride: number;
  readonly aColStride: number;
  readonly b: FloatBuffer;
  readonly bOffsets: ArrayLike<number>;
  readonly bRowStride: number;
  readonly bColStride: number;
  readonly out: FloatBuffer;
  readonly outOffsets: ArrayLike<number>;
}

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 512;

/**
 * Packed, register-blocked GEMM in plain JS (GotoBLAS loop order: N blocks, K blocks, M blocks,
 * then a 4×4 micro-kernel whose 16 accumulators stay in registers). Accumulation is in double and
 * each output is rounded once when stored, so float32 results are at least as accurate as a
 * float32 BLAS.
 * @example
 * ```ts
 * const out = new Float64Array(4); // [[1, 2], [3, 4]] @ [[5, 6], [7, 8]], one batch, row-major
 * gemmJs({ m: 2, n: 2, k: 2, a: Float64Array.of(1, 2, 3, 4), aOffsets: [0], aRowStride: 2, aColStride: 1,
 *   b: Float64Array.of(5, 6, 7, 8), bOffsets: [0], bRowStride: 2, bColStride: 1, out, outOffsets: [0] });
 * // out: [19, 22, 43, 50]
 * ```
 */
export function gemmJs(args: GemmArgs): void {
  const { m, n, k } = args;
  const batches = args.outOffsets.length;
  if (m === 0 || n === 0) return;
  const kc = Math.min(KC, Math.max(k, 1));
  const packA = new Float64Array(MC * kc);
  const packB = new Float64Array(Math.min(NC, roundUp(n, NR)) * kc);
  const acc = new Float64Array(m * n);
  for (let batch = 0; batch < batches; batch++) {
    acc.fill(0);
    const aOff = args.aOffsets[batch] as number;
    const bOff = args.bOffsets[batch] as number;
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      for (let pc = 0; pc < k; pc += KC) {
        const kb = Math.min(KC, k - pc);
        packPanelB(
          args.b,
          bOff + pc * args.bRowStride + jc * args.bColStride,
          args.bRowStride,
          args.bColStride,
          kb,
          nc,
          packB,
        );
        for (let ic = 0; ic < m; ic += MC) {
          const mc = Math.min(MC, m - ic);
          packPanelA(
            args.a,
            aOff + ic * args.aRowStride + pc * args.aColStride,
            args.aRowStride,
            args.aColStride,
            mc,
            kb,
            packA,
          );
          macroKernel(packA, packB, acc, ic, jc, mc, nc, kb, n);
        }
      }
    }
    const out = args.out;
    const o = args.outOffsets[batch] as number;
    for (let i = 0; i < m * n; i++) out[o + i] = acc[i] as number;
  }
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/** Copy a kb×nc block of B into NR-wide column panels, zero-padding the ragged last panel. */
function packPanelB(
  b: FloatBuffer,
  off: number,
  rs: number,
  cs: number,
  kb: number,
  nc: number,
  dst: Float64Array,
) {
  let d = 0;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const w = Math.min(NR, nc - j0);
    for (let p = 0; p < kb; p++) {
      const row = off + p * rs + j0 * cs;
      for (let jj = 0; jj < NR; jj++) dst[d++] = jj < w ? (b[row + jj * cs] as number) : 0;
    }
  }
}

/** Copy an mc×kb block of A into MR-high row panels, zero-padding the ragged last panel. */
function packPanelA(
  a: FloatBuffer,
  off: number,
  rs: number,
  cs: number,
  mc: number,
  kb: number,
  dst: Float64Array,
) {
  let d = 0;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const h = Math.min(MR, mc - i0);
    for (let p = 0; p < kb; p++) {
      const col = off + i0 * rs + p * cs;
      for (let ii = 0; ii < MR; ii++) dst[d++] = ii < h ? (a[col + ii * rs] as number) : 0;
    }
  }
}

function macroKernel(
  pa: Float64Array,
  pb: Float64Array,
  acc: Float64Array,
  ic: number,
  jc: number,
  mc: number,
  nc: number,
  kb: number,
  ldc: number,
) {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const bBase = (j0 / NR) * kb * NR;
    const w = Math.min(NR, nc - j0);
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const aBase = (i0 / MR) * kb * MR;
      const h = Math.min(MR, mc - i0);
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0;
      let c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0;
      let c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      let ai = aBase;
      let bi = bBase;
      for (let p = 0; p < kb; p++, ai += 4, bi += 4) {
        const a0 = pa[ai] as number,
          a1 = pa[ai + 1] as number,
          a2 = pa[ai + 2] as number,
          a3 = pa[ai + 3] as number;
        const b0 = pb[bi] as number,
          b1 = pb[bi + 1] as number,
          b2 = pb[bi + 2] as number,
          b3 = pb[bi + 3] as number;
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
      }
      const r0 = (ic + i0) * ldc + jc + j0;
      if (h === MR && w === NR) {
        const r1 = r0 + ldc,
          r2 = r1 + ldc,
          r3 = r2 + ldc;
        acc[r0] = (acc[r0] as number) + c00;
        acc[r0 + 1] = (acc[r0 + 1] as number) + c01;
        acc[r0 + 2] = (acc[r0 + 2] as number) + c02;
        acc[r0 + 3] = (acc[r0 + 3] as number) + c03;
        acc[r1] = (acc[r1] as number) + c10;
        acc[r1 + 1] = (acc[r1 + 1] as number) + c11;
        acc[r1 + 2] = (acc[r1 + 2] as number) + c12;
        acc[r1 + 3] = (acc[r1 + 3] as number) + c13;
        acc[r2] = (acc[r2] as number) + c20;
        acc[r2 + 1] = (acc[r2 + 1] as number) + c21;
        acc[r2 + 2] = (acc[r2 + 2] as number) + c22;
        acc[r2 + 3] = (acc[r2 + 3] as number) + c23;
        acc[r3] = (acc[r3] as number) + c30;
        acc[r3 + 1] = (acc[r3 + 1] as number) + c31;
        acc[r3 + 2] = (acc[r3 + 2] as number) + c32;
        acc[r3 + 3] = (acc[r3 + 3] as number) + c33;
      } else {
        const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let ii = 0; ii < h; ii++) {
          for (let jj = 0; jj < w; jj++)
            acc[r0 + ii * ldc + jj] = (acc[r0 + ii * ldc + jj] as number) + (tile[ii * 4 + jj] as number);
        }
      }
    }
  }
}
