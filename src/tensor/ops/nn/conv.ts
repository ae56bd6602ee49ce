import { backend } from "../../../backend/backend.js";
import { col2imAdd, im2col, type ConvGeometry } from "../../../backend/js/conv.js";
import type { FloatBuffer } from "../../../backend/layout.js";
import { RuntimeError } from "../../../util/errors.js";
import { allocate } from "../../dtype.js";
import { formatShape } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import { empty, record, requireFloating } from "../common.js";

/**
 * Hyperparameters of a 1-D or 2-D convolution, one entry per spatial dim. `padding` is the
 * leading pad; `paddingEnd` the trailing pad when it differs (PyTorch's `padding="same"` with an
 * even effective kernel pads one more element at the end).
 */
export interface ConvParams {
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly paddingEnd?: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;
}

const TYPE_NAME = { float32: "Float", float64: "Double", int32: "Long", bool: "Bool" } as const;

function checkShapes(input: Tensor, weight: Tensor, bias: Tensor | null, p: ConvParams): void {
  const k = weight.ndim;
  if (k < 3) throw new RuntimeError("weight should have at least three dimensions");
  if (input.ndim !== k) {
    throw new RuntimeError(
      `Expected ${k}-dimensional input for ${k}-dimensional weight ${formatShape(weight.shape)}, but got ${input.ndim}-dimensional input of size ${formatShape(input.shape)} instead`,
    );
  }
  if (!Number.isInteger(p.groups) || p.groups <= 0)
    throw new RuntimeError("non-positive groups is not supported");
  if (p.padding.some((v) => v < 0) || (p.paddingEnd ?? []).some((v) => v < 0))
    throw new RuntimeError("negative padding is not supported");
  if (p.stride.some((v) => v <= 0)) throw new RuntimeError("non-positive stride is not supported");
  if (p.dilation.some((v) => v <= 0)) throw new RuntimeError("dilation should be greater than zero");
  const out = weight.shape[0] as number;
  if (out < p.groups) {
    throw new RuntimeError(
      `Given groups=${p.groups}, expected weight to be at least ${p.groups} at dimension 0, but got weight of size ${formatShape(weight.shape)} instead`,
    );
  }
  if (out % p.groups !== 0) {
    throw new RuntimeError(
      `Given groups=${p.groups}, expected weight to be divisible by ${p.groups} at dimension 0, but got weight of size ${formatShape(weight.shape)} instead`,
    );
  }
  const perGroup = weight.shape[1] as number;
  if (input.shape[1] !== perGroup * p.groups) {
    throw new RuntimeError(
      `Given groups=${p.groups}, weight of size ${formatShape(weight.shape)}, expected input${formatShape(input.shape)} to have ${perGroup * p.groups} channels, but got ${input.shape[1]} channels instead`,
    );
  }
  const padded: number[] = [];
  const kernel: number[] = [];
  let fits = true;
  for (let i = 2; i < k; i++) {
    const d = i - 2;
    padded.push(
      (input.shape[i] as number) + (p.padding[d] as number) + (p.paddingEnd?.[d] ?? (p.padding[d] as number)),
    );
    kernel.push((p.dilation[d] as number) * ((weight.shape[i] as number) - 1) + 1);
    if ((padded[d] as number) < (kernel[d] as number)) fits = false;
  }
  if (!fits) {
    throw new RuntimeError(
      `Calculated padded input size per channel: (${padded.join(" x ")}). Kernel size: (${kernel.join(" x ")}). Kernel size can't be greater than actual input size`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== out)) {
    throw new RuntimeError(
      `Given weight of size ${formatShape(weight.shape)}, expected bias to be 1-dimensional with ${out} elements, but got bias of size ${formatShape(bias.shape)} instead`,
    );
  }
  for (const t of [weight, bias]) {
    if (t && t.dtype !== input.dtype) {
      throw new RuntimeError(
        `expected scalar type ${TYPE_NAME[input.dtype]} but found ${TYPE_NAME[t.dtype]}`,
      );
    }
  }
}

/**
 * The per-group geometry of a convolution as the im2col kernels see it (1-D as height 1).
 *
 * @example
 * ```ts
 * convGeometry([1, 3, 8, 8], [4, 3, 3, 3], params).outH; // 8 with padding 1
 * ```
 */
export function convGeometry(
  inputShape: readonly number[],
  weightShape: readonly number[],
  p: ConvParams,
): ConvGeometry {
  const twoD = weightShape.length === 4;
  const height = twoD ? (inputShape[2] as number) : 1;
  const width = inputShape[inputShape.length - 1] as number;
  const kernelH = twoD ? (weightShape[2] as number) : 1;
  const kernelW = weightShape[weightShape.length - 1] as number;
  const sH = twoD ? (p.stride[0] as number) : 1;
  const sW = p.stride[p.stride.length - 1] as number;
  const dH = twoD ? (p.dilation[0] as number) : 1;
  const dW = p.dilation[p.dilation.length - 1] as number;
  const end = p.paddingEnd ?? p.padding;
  const pT = twoD ? (p.padding[0] as number) : 0;
  const pB = twoD ? (end[0] as number) : 0;
  const pL = p.padding[p.padding.length - 1] as number;
  const pR = end[end.length - 1] as number;
  return {
    channels: weightShape[1] as number,
    height,
    width,
    kernelH,
    kernelW,
    strideH: sH,
    strideW: sW,
    padTop: pT,
    padLeft: pL,
    dilationH: dH,
    dilationW: dW,
    outH: Math.floor((height + pT + pB - dH * (kernelH - 1) - 1) / sH) + 1,
    outW: Math.floor((width + pL + pR - dW * (kernelW - 1) - 1) / sW) + 1,
  };
}

/** Offsets of each group's block in a packed buffer. */
function groupOffsets(groups: number, base: number, step: number): Int32Array {
  const o = new Int32Array(groups);
  for (let g = 0; g < groups; g++) o[g] = base + g * step;
  return o;
}

// Samples are unfolded side by side so that one GEMM per group covers a chunk of the batch (a
// wide right-hand side amortises the GEMM's packing); the chunk keeps the column buffer under
// this many elements.
const MAX_COLUMN_ELEMENTS = 1 << 22;

/** How many samples to unfold at once. */
function chunkSize(batch: number, perSample: number): number {
  return Math.max(1, Math.min(batch, Math.floor(MAX_COLUMN_ELEMENTS / Math.max(perSample, 1))));
}

/**
 * Unfold samples `n0 .. n0+nc` of a contiguous input into `cols`: per group a [Ck, nc·L] block
 * (group g at `g·Ck·nc·L`) whose columns are the samples' output positions, sample by sample.
 */
function unfoldChunk(
  x: FloatBuffer,
  xOffset: number,
  g: ConvGeometry,
  groups: number,
  channels: number,
  n0: number,
  nc: number,
  cols: FloatBuffer,
): void {
  const plane = g.height * g.width;
  const L = g.outH * g.outW;
  const Ck = g.channels * g.kernelH * g.kernelW;
  for (let grp = 0; grp < groups; grp++) {
    for (let s = 0; s < nc; s++) {
      const src = xOffset + ((n0 + s) * channels + grp * g.channels) * plane;
      im2col(x, src, g, cols, grp * Ck * nc * L + s * L, nc * L);
    }
  }
}

/** Copy rows of a [nc, O, L] block of `src` into an [O, nc·L] matrix (or back, with `inverse`). */
function transposeSamples(
  src: ArrayLike<number>,
  srcOffset: number,
  dst: FloatBuffer,
  dstOffset: number,
  nc: number,
  O: number,
  L: number,
  inverse: boolean,
): void {
  for (let s = 0; s < nc; s++) {
    for (let o = 0; o < O; o++) {
      const a = srcOffset + (inverse ? o * nc * L + s * L : (s * O + o) * L);
      const b = dstOffset + (inverse ? (s * O + o) * L : o * nc * L + s * L);
      for (let l = 0; l < L; l++) dst[b + l] = src[a + l] as number;
    }
  }
}

/**
 * A batched 1-D or 2-D convolution (cross-correlation, as in PyTorch): input [N, C, (H,) W],
 * weight [O, C/groups, (kh,) kw], optional bias [O]. Each sample is unfolded with im2col and
 * multiplied by the weight with the backend GEMM (one batch entry per group), so a faster backend
 * speeds convolution up too. Recorded as `ConvolutionBackward0`.
 *
 * @example
 * ```ts
 * const y = convolution(x, w, b, { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 });
 * ```
 */
export function convolution(input: Tensor, weight: Tensor, bias: Tensor | null, p: ConvParams): Tensor {
  requireFloating(input, "convolution");
  checkShapes(input, weight, bias, p);
  const g = convGeometry(input.shape, weight.shape, p);
  const x = input.detach().contiguous();
  const w = weight.detach().contiguous();
  const N = input.shape[0] as number;
  const C = input.shape[1] as number;
  const O = weight.shape[0] as number;
  const G = p.groups;
  const Og = O / G;
  const Ck = g.channels * g.kernelH * g.kernelW;
  const L = g.outH * g.outW;
  const spatialOut = weight.ndim === 4 ? [g.outH, g.outW] : [g.outW];
  const out = empty([N, O, ...spatialOut], input.dtype);
  const chunk = chunkSize(N, G * Ck * L);
  const cols = allocate(input.dtype, G * Ck * chunk * L) as FloatBuffer;
  const tmp = allocate(input.dtype, O * chunk * L) as FloatBuffer;
  const aOffsets = groupOffsets(G, w.offset, Og * Ck);
  for (let n0 = 0; n0 < N; n0 += chunk) {
    const nc = Math.min(chunk, N - n0);
    unfoldChunk(x.data as FloatBuffer, x.offset, g, G, C, n0, nc, cols);
    backend().gemm({
      m: Og,
      n: nc * L,
      k: Ck,
      a: w.data as FloatBuffer,
      aOffsets,
      aRowStride: Ck,
      aColStride: 1,
      b: cols,
      bOffsets: groupOffsets(G, 0, Ck * nc * L),
      bRowStride: nc * L,
      bColStride: 1,
      out: tmp,
      outOffsets: groupOffsets(G, 0, Og * nc * L),
    });
    transposeSamples(tmp, 0, out.data as FloatBuffer, n0 * O * L, nc, O, L, true);
  }
  if (bias) {
    const b = bias.detach().contiguous();
    const o = out.data;
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < O; c++) {
        const v = b.data[b.offset + c] as number;
        const base = (n * O + c) * L;
        for (let i = 0; i < L; i++) o[base + i] = (o[base + i] as number) + v;
      }
    }
  }
  const node = record(out, "convolution", "ConvolutionBackward0", [input, weight, bias], {
    params: p,
    geometry: g,
  });
  if (node) node.save([x, w]);
  return out;
}

/**
 * Gradient of {@link convolution} with respect to its input: `Wᵀ·gradOut` per group over a chunk
 * of samples, folded back with col2im. Not recorded.
 *
 * @example
 * ```ts
 * const gx = convInputGrad(gradOut, w, x.shape, g, groups);
 * ```
 */
export function convInputGrad(
  gradOut: Tensor,
  weight: Tensor,
  inputShape: readonly number[],
  g: ConvGeometry,
  groups: number,
): Tensor {
  const gy = gradOut.contiguous();
  const w = weight.contiguous();
  const N = inputShape[0] as number;
  const C = inputShape[1] as number;
  const O = weight.shape[0] as number;
  const Og = O / groups;
  const Ck = g.channels * g.kernelH * g.kernelW;
  const L = g.outH * g.outW;
  const plane = g.height * g.width;
  const gx = empty(inputShape, gradOut.dtype);
  const chunk = chunkSize(N, groups * Ck * L);
  const gyT = allocate(gradOut.dtype, O * chunk * L) as FloatBuffer;
  const gcols = allocate(gradOut.dtype, groups * Ck * chunk * L) as FloatBuffer;
  const aOffsets = groupOffsets(groups, w.offset, Og * Ck);
  for (let n0 = 0; n0 < N; n0 += chunk) {
    const nc = Math.min(chunk, N - n0);
    transposeSamples(gy.data, gy.offset + n0 * O * L, gyT, 0, nc, O, L, false);
    backend().gemm({
      m: Ck,
      n: nc * L,
      k: Og,
      a: w.data as FloatBuffer,
      aOffsets,
      aRowStride: 1,
      aColStride: Ck,
      b: gyT,
      bOffsets: groupOffsets(groups, 0, Og * nc * L),
      bRowStride: nc * L,
      bColStride: 1,
      out: gcols,
      outOffsets: groupOffsets(groups, 0, Ck * nc * L),
    });
    for (let grp = 0; grp < groups; grp++) {
      for (let s = 0; s < nc; s++) {
        const dst = ((n0 + s) * C + grp * g.channels) * plane;
        col2imAdd(gcols, g, gx.data as FloatBuffer, dst, grp * Ck * nc * L + s * L, nc * L);
      }
    }
  }
  return gx;
}

/**
 * Gradient of {@link convolution} with respect to its weight: `gradOut·colsᵀ` per group, one GEMM
 * per chunk of samples, accumulated over the chunks. Not recorded.
 *
 * @example
 * ```ts
 * const gw = convWeightGrad(gradOut, x, w.shape, g, groups);
 * ```
 */
export function convWeightGrad(
  gradOut: Tensor,
  input: Tensor,
  weightShape: readonly number[],
  g: ConvGeometry,
  groups: number,
): Tensor {
  const gy = gradOut.contiguous();
  const x = input.detach().contiguous();
  const N = x.shape[0] as number;
  const C = x.shape[1] as number;
  const O = weightShape[0] as number;
  const Og = O / groups;
  const Ck = g.channels * g.kernelH * g.kernelW;
  const L = g.outH * g.outW;
  const gw = empty(weightShape, gradOut.dtype);
  const acc = gw.data;
  const tmp = allocate(gradOut.dtype, O * Ck) as FloatBuffer;
  const chunk = chunkSize(N, groups * Ck * L);
  const cols = allocate(x.dtype, groups * Ck * chunk * L) as FloatBuffer;
  const gyT = allocate(gradOut.dtype, O * chunk * L) as FloatBuffer;
  const outOffsets = groupOffsets(groups, 0, Og * Ck);
  for (let n0 = 0; n0 < N; n0 += chunk) {
    const nc = Math.min(chunk, N - n0);
    unfoldChunk(x.data as FloatBuffer, x.offset, g, groups, C, n0, nc, cols);
    transposeSamples(gy.data, gy.offset + n0 * O * L, gyT, 0, nc, O, L, false);
    backend().gemm({
      m: Og,
      n: Ck,
      k: nc * L,
      a: gyT,
      aOffsets: groupOffsets(groups, 0, Og * nc * L),
      aRowStride: nc * L,
      aColStride: 1,
      b: cols,
      bOffsets: groupOffsets(groups, 0, Ck * nc * L),
      bRowStride: 1,
      bColStride: nc * L,
      out: n0 === 0 ? (acc as FloatBuffer) : tmp,
      outOffsets,
    });
    if (n0 > 0) for (let i = 0; i < tmp.length; i++) acc[i] = (acc[i] as number) + (tmp[i] as number);
  }
  return gw;
}
