/**
 * `nn.init`: PyTorch's weight initialisers, drawing from the same generator in the same order with
 * the same double-precision bound arithmetic, so a seeded initialisation matches PyTorch bit for
 * bit (float32 uniform draws; see the RNG spec for normal draws). All run without recording
 * gradients and return the tensor they fill.
 *
 * @example
 * ```ts
 * tg.manualSeed(0);
 * nn.init.kaimingUniform_(w, { a: Math.sqrt(5) }); // what nn.Linear does
 * nn.init.zeros_(b);
 * ```
 * @module
 */

import { noGrad } from "../autograd/grad-mode.js";
import { erf } from "../backend/js/scalar-math.js";
import { fma32, fma64 } from "../util/fma.js";
import type { Generator } from "../tensor/random.js";
import { Tensor } from "../tensor/tensor.js";
import { ValueError } from "../util/errors.js";
import { checkOptions } from "./options.js";
import { warnOnce } from "../util/warn.js";

/** Nonlinearities known to {@link calculateGain} (PyTorch's names). */
export type Nonlinearity =
  | "linear"
  | "conv1d"
  | "conv2d"
  | "conv3d"
  | "conv_transpose1d"
  | "conv_transpose2d"
  | "conv_transpose3d"
  | "sigmoid"
  | "tanh"
  | "relu"
  | "leaky_relu"
  | "selu";

/** Fan modes of the Kaiming initialisers (PyTorch's strings; camelCase accepted). */
export type FanMode = "fan_in" | "fan_out" | "fanIn" | "fanOut";

/** The `generator` option every random initialiser takes. */
export interface GeneratorOption {
  /** Draw from this generator instead of the default one. */
  generator?: Generator;
}

const LINEAR_FNS = [
  "linear",
  "conv1d",
  "conv2d",
  "conv3d",
  "conv_transpose1d",
  "conv_transpose2d",
  "conv_transpose3d",
];

/**
 * The recommended gain for a nonlinearity (PyTorch's `calculate_gain`): 1 for linear, conv and
 * sigmoid; 5/3 for tanh; √2 for relu; √(2/(1+slope²)) for leaky_relu (slope default 0.01);
 * 3/4 for selu.
 *
 * @throws ValueError for an unknown nonlinearity or a non-numeric slope.
 * @example
 * ```ts
 * nn.init.calculateGain("leaky_relu", 0.2); // 1.3867504905630728
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity | "leakyRelu", param?: number | null): number {
  const name = nonlinearity === "leakyRelu" ? "leaky_relu" : nonlinearity;
  if (LINEAR_FNS.includes(name) || name === "sigmoid") return 1;
  if (name === "tanh") return 5.0 / 3;
  if (name === "relu") return Math.sqrt(2.0);
  if (name === "leaky_relu") {
    let slope = 0.01;
    if (param !== undefined && param !== null) {
      if (typeof param !== "number") {
        throw new ValueError(`negative_slope ${String(param)} not a valid number`);
      }
      slope = param;
    }
    return Math.sqrt(2.0 / (1 + slope ** 2));
  }
  if (name === "selu") return 3.0 / 4;
  throw new ValueError(`Unsupported nonlinearity ${String(nonlinearity)}`);
}

/**
 * Fan-in and fan-out of a weight (PyTorch's `_calculate_fan_in_and_fan_out`): `size(1)·receptive`
 * and `size(0)·receptive`, where `receptive` is the product of the dims after the second.
 *
 * @throws ValueError for tensors with fewer than 2 dims.
 * @example
 * ```ts
 * nn.init.calculateFanInAndFanOut(tg.zeros([16, 3, 5, 5])); // [75, 400]
 * ```
 */
export function calculateFanInAndFanOut(tensor: Tensor): [number, number] {
  if (tensor.ndim < 2) {
    throw new ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  }
  let receptive = 1;
  for (let i = 2; i < tensor.ndim; i++) receptive *= tensor.shape[i] as number;
  return [(tensor.shape[1] as number) * receptive, (tensor.shape[0] as number) * receptive];
}

function correctFan(tensor: Tensor, mode: FanMode): number {
  const m = mode === "fanIn" ? "fan_in" : mode === "fanOut" ? "fan_out" : String(mode).toLowerCase();
  if (m !== "fan_in" && m !== "fan_out") {
    throw new ValueError(`Mode ${String(mode)} not supported, please use one of ['fan_in', 'fan_out']`);
  }
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return m === "fan_in" ? fanIn : fanOut;
}

/**
 * Fill with U(a, b) draws (PyTorch's `uniform_`). @example nn.init.uniform_(w, -0.1, 0.1)
 */
export function uniform_(tensor: Tensor, a = 0, b = 1, options: GeneratorOption = {}): Tensor {
  const { generator } = checkOptions("uniform_", options, ["generator"]);
  return noGrad(() => tensor.uniform_(a, b, generator ? { generator } : {}));
}

/** Fill with N(mean, std²) draws (PyTorch's `normal_`). @example nn.init.normal_(w, 0, 0.02) */
export function normal_(tensor: Tensor, mean = 0, std = 1, options: GeneratorOption = {}): Tensor {
  const { generator } = checkOptions("normal_", options, ["generator"]);
  return noGrad(() => tensor.normal_(mean, std, generator ? { generator } : {}));
}

/** Fill with a constant. @example nn.init.constant_(b, 0.1) */
export function constant_(tensor: Tensor, val: number): Tensor {
  return noGrad(() => tensor.fill_(val));
}

/** Fill with ones. @example nn.init.ones_(gamma) */
export function ones_(tensor: Tensor): Tensor {
  return noGrad(() => tensor.fill_(1));
}

/** Fill with zeros. @example nn.init.zeros_(bias) */
export function zeros_(tensor: Tensor): Tensor {
  return noGrad(() => tensor.zero_());
}

/**
 * Glorot uniform: U(−a, a) with `a = gain·√(6/(fanIn + fanOut))` (computed as PyTorch does:
 * `std = gain·√(2/(fanIn+fanOut))`, `a = √3·std`).
 * @example nn.init.xavierUniform_(w, nn.init.calculateGain("relu"))
 */
export function xavierUniform_(tensor: Tensor, gain = 1, options: GeneratorOption = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return uniform_(tensor, -a, a, options);
}

/**
 * Glorot normal: N(0, std²) with `std = gain·√(2/(fanIn + fanOut))`.
 * @example nn.init.xavierNormal_(w)
 */
export function xavierNormal_(tensor: Tensor, gain = 1, options: GeneratorOption = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  return normal_(tensor, 0, std, options);
}

/** Keyword arguments of the Kaiming initialisers, with PyTorch's defaults. */
export interface KaimingOptions extends GeneratorOption {
  /** Negative slope of the following leaky ReLU (default 0). */
  a?: number;
  /** Preserve the variance of the forward (`fan_in`, default) or backward (`fan_out`) pass. */
  mode?: FanMode;
  /** The nonlinearity that follows (default `leaky_relu`). */
  nonlinearity?: Nonlinearity | "leakyRelu";
}

const KAIMING_OPTIONS = ["a", "mode", "nonlinearity", "generator"] as const;

function kaimingStd(tensor: Tensor, o: KaimingOptions): number {
  const fan = correctFan(tensor, o.mode ?? "fan_in");
  const gain = calculateGain(o.nonlinearity ?? "leaky_relu", o.a ?? 0);
  return gain / Math.sqrt(fan);
}

/**
 * He uniform: U(−bound, bound) with `bound = √3·gain/√fan` (PyTorch's `kaiming_uniform_`; with
 * `a = √5` it is the default init of `nn.Linear` and `nn.Conv*`).
 * @example nn.init.kaimingUniform_(w, { a: Math.sqrt(5) })
 */
export function kaimingUniform_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  const o = checkOptions("kaiming_uniform_", options, KAIMING_OPTIONS);
  if (tensor.numel() === 0) {
    warnOnce("Initializing zero-element tensors is a no-op");
    return tensor;
  }
  const bound = Math.sqrt(3.0) * kaimingStd(tensor, o);
  return uniform_(tensor, -bound, bound, o.generator ? { generator: o.generator } : {});
}

/**
 * He normal: N(0, std²) with `std = gain/√fan` (PyTorch's `kaiming_normal_`).
 * @example nn.init.kaimingNormal_(w, { mode: "fan_out", nonlinearity: "relu" })
 */
export function kaimingNormal_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  const o = checkOptions("kaiming_normal_", options, KAIMING_OPTIONS);
  if (tensor.numel() === 0) {
    warnOnce("Initializing zero-element tensors is a no-op");
    return tensor;
  }
  return normal_(tensor, 0, kaimingStd(tensor, o), o.generator ? { generator: o.generator } : {});
}

/**
 * PyTorch's `calc_erfinv`: a rational initial approximation refined by two Newton steps, in the
 * tensor's precision (`round` is `Math.fround` for float32), with the polynomial steps fused
 * multiply-adds as PyTorch's x86-64 build contracts them.
 *
 * @example
 * ```ts
 * erfinv(0.5); // 0.4769362762044699
 * ```
 */
export function erfinv(y: number, round: (x: number) => number = (x) => x): number {
  const r = round;
  const F = r === Math.fround ? fma32 : fma64;
  const ya = Math.abs(y);
  if (ya > 1) return NaN;
  if (ya === 1) return y > 0 ? Infinity : -Infinity;
  const A = [0.886226899, -1.645349621, 0.914624893, -0.140543331].map(r);
  const B = [-2.118377725, 1.442710462, -0.329097515, 0.012229801].map(r);
  const C = [-1.970840454, -1.624906493, 3.429567803, 1.641345311].map(r);
  const D = [3.5438892, 1.6370678].map(r);
  let x: number;
  if (ya <= r(0.7)) {
    const z = r(y * y);
    const num = F(F(F(A[3]!, z, A[2]!), z, A[1]!), z, A[0]!);
    const dem = F(F(F(F(B[3]!, z, B[2]!), z, B[1]!), z, B[0]!), z, 1);
    x = r(r(y * num) / dem);
  } else {
    const z = r(Math.sqrt(r(-r(Math.log(r(r(1 - ya) / 2))))));
    const num = F(F(F(C[3]!, z, C[2]!), z, C[1]!), z, C[0]!);
    const dem = F(F(D[1]!, z, D[0]!), z, 1);
    x = r((y < 0 ? -num : num) / dem);
  }
  const k = r(2 / r(Math.sqrt(Math.PI)));
  for (let i = 0; i < 2; i++) {
    x = r(x - r(r(r(erf(x)) - y) / r(k * r(Math.exp(r(-r(x * x)))))));
  }
  return x;
}

/** Keyword arguments of {@link truncNormal_}, with PyTorch's defaults. */
export interface TruncNormalOptions extends GeneratorOption {
  mean?: number;
  std?: number;
  /** Lower cut-off (default −2). */
  a?: number;
  /** Upper cut-off (default 2). */
  b?: number;
}

/**
 * Truncated normal in [a, b] by PyTorch's inverse-CDF method: `uniform_(2l−1, 2u−1)` with l, u the
 * normal CDF at the cut-offs, then `erfinv`, `·std·√2`, `+mean`, and a final clamp to [a, b].
 * The uniform draws are PyTorch's; `erfinv` follows PyTorch's algorithm but its last bit can
 * differ where C's `erff/logf/expf` and JavaScript's double functions round differently (about
 * 6% of float32 values differ by an ulp or two).
 * @example nn.init.truncNormal_(w, { std: 0.02 })
 */
export function truncNormal_(tensor: Tensor, options: TruncNormalOptions = {}): Tensor {
  const o = checkOptions("trunc_normal_", options, ["mean", "std", "a", "b", "generator"]);
  const mean = o.mean ?? 0;
  const std = o.std ?? 1;
  const a = o.a ?? -2;
  const b = o.b ?? 2;
  const normCdf = (x: number): number => (1 + erf(x / Math.sqrt(2))) / 2;
  if (mean < a - 2 * std || mean > b + 2 * std) {
    warnOnce(
      "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.",
    );
  }
  return noGrad(() => {
    const l = normCdf((a - mean) / std);
    const u = normCdf((b - mean) / std);
    tensor.uniform_(2 * l - 1, 2 * u - 1, o.generator ? { generator: o.generator } : {});
    const round = tensor.dtype === "float32" ? Math.fround : (x: number) => x;
    const c = tensor.contiguous();
    const d = c.data;
    for (let i = c.offset; i < c.offset + c.numel(); i++) d[i] = erfinv(d[i] as number, round);
    if (c !== tensor) tensor.copy_(c);
    else tensor._bumpVersion();
    tensor.mul_(std * Math.sqrt(2));
    tensor.add_(mean);
    tensor.clamp_(a, b);
    return tensor;
  });
}

/**
 * Householder QR of a column-major-free dense rows×cols matrix (rows ≥ cols) in double: returns
 * Q (rows×cols, orthonormal columns) and the diagonal of R.
 */
function householderQr(
  m: Float64Array,
  rows: number,
  cols: number,
): { q: Float64Array; rdiag: Float64Array } {
  const a = Float64Array.from(m);
  const vs: Float64Array[] = [];
  const rdiag = new Float64Array(cols);
  for (let k = 0; k < cols; k++) {
    let norm = 0;
    for (let i = k; i < rows; i++) norm += (a[i * cols + k] as number) ** 2;
    norm = Math.sqrt(norm);
    const akk = a[k * cols + k] as number;
    const alpha = akk > 0 ? -norm : norm;
    const v = new Float64Array(rows);
    for (let i = k; i < rows; i++) v[i] = a[i * cols + k] as number;
    v[k] = akk - alpha;
    let vnorm2 = 0;
    for (let i = k; i < rows; i++) vnorm2 += (v[i] as number) ** 2;
    if (vnorm2 > 0) {
      for (let j = k; j < cols; j++) {
        let dot = 0;
        for (let i = k; i < rows; i++) dot += (v[i] as number) * (a[i * cols + j] as number);
        const f = (2 * dot) / vnorm2;
        for (let i = k; i < rows; i++) a[i * cols + j] = (a[i * cols + j] as number) - f * (v[i] as number);
      }
    }
    rdiag[k] = a[k * cols + k] as number;
    vs.push(vnorm2 > 0 ? v : new Float64Array(0));
  }
  // Q = H_0 H_1 ... H_{cols-1} applied to the first `cols` columns of the identity.
  const q = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) q[j * cols + j] = 1;
  for (let k = cols - 1; k >= 0; k--) {
    const v = vs[k] as Float64Array;
    if (v.length === 0) continue;
    let vnorm2 = 0;
    for (let i = k; i < rows; i++) vnorm2 += (v[i] as number) ** 2;
    for (let j = 0; j < cols; j++) {
      let dot = 0;
      for (let i = k; i < rows; i++) dot += (v[i] as number) * (q[i * cols + j] as number);
      const f = (2 * dot) / vnorm2;
      for (let i = k; i < rows; i++) q[i * cols + j] = (q[i * cols + j] as number) - f * (v[i] as number);
    }
  }
  return { q, rdiag };
}

/**
 * A (semi-)orthogonal matrix (PyTorch's `orthogonal_`, Saxe et al. 2013): normal draws, QR with
 * the signs of R's diagonal folded into Q (so the result is unique), transposed when there are
 * fewer rows than columns, times `gain`. Trailing dims are flattened. The normal draws match
 * PyTorch's; the QR (Householder, in double) agrees with LAPACK's to rounding.
 *
 * @example
 * ```ts
 * nn.init.orthogonal_(w);
 * ```
 * References: Saxe, McClelland, Ganguli, "Exact solutions to the nonlinear dynamics of learning in
 * deep linear neural networks", 2013.
 */
export function orthogonal_(tensor: Tensor, gain = 1, options: GeneratorOption = {}): Tensor {
  if (tensor.ndim < 2) throw new ValueError("Only tensors with 2 or more dimensions are supported");
  if (tensor.numel() === 0) return tensor;
  const rows = tensor.shape[0] as number;
  const cols = tensor.numel() / rows;
  const flat = Tensor._empty([rows, cols], tensor.dtype);
  normal_(flat, 0, 1, options);
  const transpose = rows < cols;
  const m = transpose ? cols : rows;
  const n = transpose ? rows : cols;
  const src = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = flat.data[i * cols + j] as number;
      if (transpose) src[j * n + i] = v;
      else src[i * n + j] = v;
    }
  }
  const { q, rdiag } = householderQr(src, m, n);
  const out = Tensor._empty([rows, cols], tensor.dtype);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const d = rdiag[j] as number;
      const v = (q[i * n + j] as number) * (d > 0 ? 1 : d < 0 ? -1 : 0);
      if (transpose) out.data[j * cols + i] = v;
      else out.data[i * cols + j] = v;
    }
  }
  return noGrad(() => {
    tensor.copy_(out.view(tensor.shape as number[]));
    tensor.mul_(gain);
    return tensor;
  });
}
