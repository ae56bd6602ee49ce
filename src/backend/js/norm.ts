import type { FloatBuffer } from "../layout.js";

/** Rounding to the storage precision: float32 rounding for float32 buffers, none for float64. */
function rounder(buf: FloatBuffer): (x: number) => number {
  return buf instanceof Float32Array ? Math.fround : (x: number) => x;
}

/**
 * Per-channel batch statistics of a contiguous [N, C, S] input, in PyTorch's CPU arithmetic: the
 * sum is accumulated in double and the mean rounded to the tensor type; then the sum of squared
 * deviations `(x − mean)²` (each computed in the tensor type) is accumulated in double and rounded.
 *
 * @example
 * ```ts
 * const mean = new Float64Array(C), varSum = new Float64Array(C);
 * batchNormStats(x.data, N, C, S, mean, varSum);
 * ```
 */
export function batchNormStats(
  x: FloatBuffer,
  batch: number,
  channels: number,
  size: number,
  mean: Float64Array,
  varSum: Float64Array,
): void {
  const r = rounder(x);
  const count = batch * size;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * size;
      for (let i = 0; i < size; i++) sum += x[base + i] as number;
    }
    const m = r(sum / count);
    let vs = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * size;
      for (let i = 0; i < size; i++) {
        const d = r((x[base + i] as number) - m);
        vs += r(d * d);
      }
    }
    mean[c] = m;
    varSum[c] = r(vs);
  }
}

/**
 * `y = x·alpha[c] + beta[c]` over a contiguous [N, C, S] tensor, the form PyTorch's CPU batch norm
 * applies (one fused multiply-add per element on x86-64; for float32 the product is exact in
 * double, so rounding the double sum once reproduces it).
 *
 * @example
 * ```ts
 * batchNormApply(x.data, N, C, S, alpha, beta, y.data);
 * ```
 */
export function batchNormApply(
  x: FloatBuffer,
  batch: number,
  channels: number,
  size: number,
  alpha: Float64Array,
  beta: Float64Array,
  out: FloatBuffer,
): void {
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const a = alpha[c] as number;
      const b = beta[c] as number;
      const base = (n * channels + c) * size;
      for (let i = 0; i < size; i++) out[base + i] = (x[base + i] as number) * a + b;
    }
  }
}

/**
 * Batch-norm backward over a contiguous [N, C, S] input with PyTorch's CPU formulas:
 * `sum = Σ dy`, `dotp = Σ (x − mean)·dy`; in training
 * `dx = (dy − sum/n − (x − mean)·dotp·invstd²/n)·invstd·w`, in evaluation `dx = dy·invstd·w`;
 * `dweight = dotp·invstd`, `dbias = sum`. Pass null for outputs that are not wanted.
 *
 * @example
 * ```ts
 * batchNormBackward(dy, x, N, C, S, mean, invstd, weight, true, dx, dw, db);
 * ```
 */
export function batchNormBackward(
  dy: FloatBuffer,
  x: FloatBuffer,
  batch: number,
  channels: number,
  size: number,
  mean: ArrayLike<number>,
  invstd: ArrayLike<number>,
  weight: ArrayLike<number> | null,
  training: boolean,
  dx: FloatBuffer | null,
  dweight: FloatBuffer | null,
  dbias: FloatBuffer | null,
): void {
  const r = rounder(x);
  const count = batch * size;
  for (let c = 0; c < channels; c++) {
    const w = weight ? (weight[c] as number) : 1;
    const m = mean[c] as number;
    const inv = invstd[c] as number;
    let sum = 0;
    let dotp = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * size;
      for (let i = 0; i < size; i++) {
        const g = dy[base + i] as number;
        sum += g;
        dotp += r(r((x[base + i] as number) - m) * g);
      }
    }
    if (dx) {
      if (training) {
        const k = r(r(r(r(dotp) * inv) * inv) / count);
        const gradMean = r(sum / count);
        for (let n = 0; n < batch; n++) {
          const base = (n * channels + c) * size;
          for (let i = 0; i < size; i++) {
            const d = r(r((x[base + i] as number) - m) * k);
            dx[base + i] = r(r(r((dy[base + i] as number) - gradMean) - d) * inv) * w;
          }
        }
      } else {
        for (let n = 0; n < batch; n++) {
          const base = (n * channels + c) * size;
          for (let i = 0; i < size; i++) dx[base + i] = r((dy[base + i] as number) * inv) * w;
        }
      }
    }
    if (dweight) dweight[c] = dotp * inv;
    if (dbias) dbias[c] = sum;
  }
}

/**
 * Mean and reciprocal standard deviation of each of `rows` contiguous rows of length `cols`
 * (two-pass in double, population variance), rounded to the tensor type as PyTorch stores them:
 * `rstd = 1 / sqrt(var + eps)`.
 *
 * @example
 * ```ts
 * rowMoments(x.data, 0, M, N, eps, mean, rstd);
 * ```
 */
export function rowMoments(
  x: FloatBuffer,
  rows: number,
  cols: number,
  eps: number,
  mean: FloatBuffer,
  rstd: FloatBuffer,
): void {
  const r = rounder(x);
  const e = r(eps);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += x[base + j] as number;
    const m = s / cols;
    let v = 0;
    for (let j = 0; j < cols; j++) {
      const d = (x[base + j] as number) - m;
      v += d * d;
    }
    const variance = r(Math.max(v / cols, 0));
    mean[i] = m;
    rstd[i] = 1 / Math.sqrt(r(variance + e));
  }
}

/**
 * Layer-norm forward over `rows` rows of length `cols`: `y = (x·rstd − rstd·mean)·γ + β`, the
 * form PyTorch's CPU kernel uses (γ = 1 and β = 0 when absent). `mean` and `rstd` come from
 * {@link rowMoments}.
 *
 * @example
 * ```ts
 * layerNormApply(x.data, M, N, mean, rstd, gamma, beta, y.data);
 * ```
 */
export function layerNormApply(
  x: FloatBuffer,
  rows: number,
  cols: number,
  mean: ArrayLike<number>,
  rstd: ArrayLike<number>,
  gamma: ArrayLike<number> | null,
  beta: ArrayLike<number> | null,
  out: FloatBuffer,
): void {
  const r = rounder(out);
  for (let i = 0; i < rows; i++) {
    const a = rstd[i] as number;
    const b = r(-a * (mean[i] as number));
    const base = i * cols;
    if (gamma && beta) {
      for (let j = 0; j < cols; j++)
        out[base + j] = r((x[base + j] as number) * a + b) * (gamma[j] as number) + (beta[j] as number);
    } else {
      for (let j = 0; j < cols; j++) {
        const g = gamma ? (gamma[j] as number) : 1;
        const bb = beta ? (beta[j] as number) : 0;
        out[base + j] = r(r((x[base + j] as number) * a + b) * g) + bb;
      }
    }
  }
}

/**
 * Layer-norm backward with PyTorch's CPU formulas, per row:
 * `ds = Σ dy·x·γ`, `db = Σ dy·γ`, `b = (db·mean − ds)·rstd³/N`, `c = −b·mean − db·rstd/N`,
 * `dx = rstd·dy·γ + b·x + c`; `dγ += dy·(rstd·x − rstd·mean)`, `dβ += dy` over rows.
 * `dgamma`/`dbeta` must be zeroed by the caller.
 *
 * @example
 * ```ts
 * layerNormBackward(dy, x, M, N, mean, rstd, gamma, dx, dgamma, dbeta);
 * ```
 */
export function layerNormBackward(
  dy: FloatBuffer,
  x: FloatBuffer,
  rows: number,
  cols: number,
  mean: ArrayLike<number>,
  rstd: ArrayLike<number>,
  gamma: ArrayLike<number> | null,
  dx: FloatBuffer | null,
  dgamma: Float64Array | null,
  dbeta: Float64Array | null,
): void {
  const scale = 1 / cols;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    const a = rstd[i] as number;
    const m = mean[i] as number;
    if (dgamma) {
      const b = -a * m;
      for (let j = 0; j < cols; j++)
        dgamma[j] = (dgamma[j] as number) + (dy[base + j] as number) * (a * (x[base + j] as number) + b);
    }
    if (dbeta) for (let j = 0; j < cols; j++) dbeta[j] = (dbeta[j] as number) + (dy[base + j] as number);
    if (dx) {
      let ds = 0;
      let db = 0;
      for (let j = 0; j < cols; j++) {
        const g = gamma ? (gamma[j] as number) : 1;
        const d = dy[base + j] as number;
        ds += d * (x[base + j] as number) * g;
        db += d * g;
      }
      const b = (db * m - ds) * a * a * a * scale;
      const c = -b * m - db * a * scale;
      for (let j = 0; j < cols; j++) {
        const g = gamma ? (gamma[j] as number) : 1;
        dx[base + j] = a * (dy[base + j] as number) * g + b * (x[base + j] as number) + c;
      }
    }
  }
}

/**
 * Group-norm forward over a contiguous [N, C, S] input with `groups` groups of D = C/groups
 * channels: per channel `scale = rstd·γ[c]`, `bias = −scale·mean + β[c]`, `y = scale·x + bias`
 * (PyTorch's CPU form). `mean`/`rstd` hold one value per (n, group), from {@link rowMoments}
 * over rows of D·S elements.
 *
 * @example
 * ```ts
 * groupNormApply(x.data, N, C, S, G, mean, rstd, gamma, beta, y.data);
 * ```
 */
export function groupNormApply(
  x: FloatBuffer,
  batch: number,
  channels: number,
  size: number,
  groups: number,
  mean: ArrayLike<number>,
  rstd: ArrayLike<number>,
  gamma: ArrayLike<number> | null,
  beta: ArrayLike<number> | null,
  out: FloatBuffer,
): void {
  const r = rounder(out);
  const D = channels / groups;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const i = n * groups + Math.floor(c / D);
      const a = rstd[i] as number;
      const m = mean[i] as number;
      const base = (n * channels + c) * size;
      if (!gamma && !beta) {
        for (let k = 0; k < size; k++) out[base + k] = r((x[base + k] as number) - m) * a;
        continue;
      }
      const sc = r(a * (gamma ? (gamma[c] as number) : 1));
      const bias = r(-sc * m) + (beta ? (beta[c] as number) : 0);
      const b = r(bias);
      for (let k = 0; k < size; k++) out[base + k] = r(sc * (x[base + k] as number)) + b;
    }
  }
}

/**
 * Group-norm backward with PyTorch's CPU formulas. With `ds[n,c] = Σ dy·x` and `db[n,c] = Σ dy`
 * over the plane, per (n, group): `dsg = Σ ds·γ`, `dbg = Σ db·γ`,
 * `c2 = (dbg·mean − dsg)·rstd³/(D·S)`, `c3 = −c2·mean − dbg·rstd/(D·S)`, and
 * `dx = rstd·γ·dy + c2·x + c3`; `dγ[c] = Σ_n (ds − db·mean)·rstd`, `dβ[c] = Σ_n db`.
 *
 * @example
 * ```ts
 * groupNormBackward(dy, x, N, C, S, G, mean, rstd, gamma, dx, dgamma, dbeta);
 * ```
 */
export function groupNormBackward(
  dy: FloatBuffer,
  x: FloatBuffer,
  batch: number,
  channels: number,
  size: number,
  groups: number,
  mean: ArrayLike<number>,
  rstd: ArrayLike<number>,
  gamma: ArrayLike<number> | null,
  dx: FloatBuffer | null,
  dgamma: Float64Array | null,
  dbeta: Float64Array | null,
): void {
  const D = channels / groups;
  const ds = new Float64Array(batch * channels);
  const db = new Float64Array(batch * channels);
  for (let nc = 0; nc < batch * channels; nc++) {
    const base = nc * size;
    let s = 0;
    let b = 0;
    for (let k = 0; k < size; k++) {
      const d = dy[base + k] as number;
      s += d * (x[base + k] as number);
      b += d;
    }
    ds[nc] = s;
    db[nc] = b;
  }
  const s = 1 / (D * size);
  if (dx) {
    for (let n = 0; n < batch; n++) {
      for (let g = 0; g < groups; g++) {
        const i = n * groups + g;
        const a = rstd[i] as number;
        const m = mean[i] as number;
        let dsg = 0;
        let dbg = 0;
        for (let d = 0; d < D; d++) {
          const c = g * D + d;
          const gm = gamma ? (gamma[c] as number) : 1;
          dsg += (ds[n * channels + c] as number) * gm;
          dbg += (db[n * channels + c] as number) * gm;
        }
        const c2 = (dbg * m - dsg) * a * a * a * s;
        const c3 = -c2 * m - dbg * a * s;
        for (let d = 0; d < D; d++) {
          const c = g * D + d;
          const c1 = a * (gamma ? (gamma[c] as number) : 1);
          const base = (n * channels + c) * size;
          for (let k = 0; k < size; k++)
            dx[base + k] = c1 * (dy[base + k] as number) + c2 * (x[base + k] as number) + c3;
        }
      }
    }
  }
  if (dgamma || dbeta) {
    for (let c = 0; c < channels; c++) {
      const g = Math.floor(c / D);
      let gw = 0;
      let gb = 0;
      for (let n = 0; n < batch; n++) {
        const i = n * groups + g;
        gw +=
          ((ds[n * channels + c] as number) - (db[n * channels + c] as number) * (mean[i] as number)) *
          (rstd[i] as number);
        gb += db[n * channels + c] as number;
      }
      if (dgamma) dgamma[c] = gw;
      if (dbeta) dbeta[c] = gb;
    }
  }
}
