import type { FloatBuffer } from "../layout.js";

/**
 * The geometry of a 2-D pooling over `planes` contiguous H×W input planes (N·C of them), as
 * PyTorch's CPU pooling kernels see it.
 *
 * @example
 * ```ts
 * const g: PoolGeometry = { planes: 6, height: 5, width: 5, kernelH: 2, kernelW: 2, strideH: 2,
 *   strideW: 2, padH: 0, padW: 0, dilationH: 1, dilationW: 1, outH: 2, outW: 2 };
 * ```
 */
export interface PoolGeometry {
  readonly planes: number;
  readonly height: number;
  readonly width: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly outH: number;
  readonly outW: number;
}

/**
 * Max pooling forward: per output, the first maximum of the window in row-major scan order (a NaN
 * wins and stays, as in PyTorch), and its flat index within the input plane. A window that lies
 * entirely in padding keeps -inf and the index of its (clipped) start, as PyTorch's kernel does.
 *
 * @example
 * ```ts
 * maxPool2dForward(x.data, 0, g, out.data, indices);
 * ```
 */
export function maxPool2dForward(
  src: FloatBuffer,
  srcOffset: number,
  g: PoolGeometry,
  out: FloatBuffer,
  indices: Int32Array,
): void {
  const { planes, height, width, kernelH, kernelW, strideH, strideW, padH, padW } = g;
  const { dilationH, dilationW, outH, outW } = g;
  const plane = height * width;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = srcOffset + p * plane;
    for (let oh = 0; oh < outH; oh++) {
      let ih0 = oh * strideH - padH;
      const ih1 = Math.min(ih0 + (kernelH - 1) * dilationH + 1, height);
      while (ih0 < 0) ih0 += dilationH;
      for (let ow = 0; ow < outW; ow++, o++) {
        let iw0 = ow * strideW - padW;
        const iw1 = Math.min(iw0 + (kernelW - 1) * dilationW + 1, width);
        while (iw0 < 0) iw0 += dilationW;
        let maxIndex = ih0 * width + iw0;
        let maxVal = -Infinity;
        for (let ih = ih0; ih < ih1; ih += dilationH) {
          const row = ih * width;
          for (let iw = iw0; iw < iw1; iw += dilationW) {
            const v = src[base + row + iw] as number;
            if (v > maxVal || v !== v) {
              maxVal = v;
              maxIndex = row + iw;
            }
          }
        }
        out[o] = maxVal;
        indices[o] = maxIndex;
      }
    }
  }
}

/**
 * Max pooling backward: add each output gradient into the input element its index names.
 *
 * @example
 * ```ts
 * maxPool2dBackward(gOut.data, indices, planes, outPlane, inPlane, gIn.data);
 * ```
 */
export function maxPool2dBackward(
  gradOut: ArrayLike<number>,
  indices: Int32Array,
  planes: number,
  outPlane: number,
  inPlane: number,
  gradIn: FloatBuffer,
): void {
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * inPlane;
    for (let j = 0; j < outPlane; j++, o++) {
      const at = base + (indices[o] as number);
      gradIn[at] = (gradIn[at] as number) + (gradOut[o] as number);
    }
  }
}

/** Options of average pooling that change the divisor. */
export interface AvgPoolDivisor {
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
}

/** The clipped window of one average-pooling output and the divisor PyTorch uses for it. */
function avgWindow(
  g: PoolGeometry,
  oh: number,
  ow: number,
  d: AvgPoolDivisor,
  w: { h0: number; h1: number; w0: number; w1: number; div: number },
): void {
  let h0 = oh * g.strideH - g.padH;
  let w0 = ow * g.strideW - g.padW;
  let h1 = Math.min(h0 + g.kernelH, g.height + g.padH);
  let w1 = Math.min(w0 + g.kernelW, g.width + g.padW);
  const poolSize = (h1 - h0) * (w1 - w0);
  h0 = Math.max(h0, 0);
  w0 = Math.max(w0, 0);
  h1 = Math.min(h1, g.height);
  w1 = Math.min(w1, g.width);
  w.h0 = h0;
  w.h1 = h1;
  w.w0 = w0;
  w.w1 = w1;
  w.div =
    d.divisorOverride !== null ? d.divisorOverride : d.countIncludePad ? poolSize : (h1 - h0) * (w1 - w0);
}

/**
 * Average pooling forward with PyTorch's divisor rules: the window is clipped to the padded input
 * for `countIncludePad`, to the real input otherwise, or the divisor is `divisorOverride`. The sum
 * is accumulated in `round` precision (float32 rounding for float32 tensors, as PyTorch's CPU
 * kernel accumulates in the tensor type).
 *
 * @example
 * ```ts
 * avgPool2dForward(x.data, 0, g, { countIncludePad: true, divisorOverride: null }, out.data);
 * ```
 */
export function avgPool2dForward(
  src: FloatBuffer,
  srcOffset: number,
  g: PoolGeometry,
  d: AvgPoolDivisor,
  out: FloatBuffer,
): void {
  const plane = g.height * g.width;
  const w = { h0: 0, h1: 0, w0: 0, w1: 0, div: 1 };
  const f32 = out instanceof Float32Array;
  let o = 0;
  for (let p = 0; p < g.planes; p++) {
    const base = srcOffset + p * plane;
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++, o++) {
        avgWindow(g, oh, ow, d, w);
        if (w.h0 >= w.h1 || w.w0 >= w.w1) {
          out[o] = 0;
          continue;
        }
        let sum = 0;
        for (let ih = w.h0; ih < w.h1; ih++) {
          const row = base + ih * g.width;
          if (f32) for (let iw = w.w0; iw < w.w1; iw++) sum = Math.fround(sum + (src[row + iw] as number));
          else for (let iw = w.w0; iw < w.w1; iw++) sum += src[row + iw] as number;
        }
        out[o] = sum / w.div;
      }
    }
  }
}

/**
 * Average pooling backward: each output gradient divided by its window's divisor is added to every
 * input element of the (clipped) window.
 *
 * @example
 * ```ts
 * avgPool2dBackward(gOut.data, g, divisor, gIn.data);
 * ```
 */
export function avgPool2dBackward(
  gradOut: ArrayLike<number>,
  g: PoolGeometry,
  d: AvgPoolDivisor,
  gradIn: FloatBuffer,
): void {
  const plane = g.height * g.width;
  const w = { h0: 0, h1: 0, w0: 0, w1: 0, div: 1 };
  const f32 = gradIn instanceof Float32Array;
  let o = 0;
  for (let p = 0; p < g.planes; p++) {
    const base = p * plane;
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++, o++) {
        avgWindow(g, oh, ow, d, w);
        const share = f32 ? Math.fround((gradOut[o] as number) / w.div) : (gradOut[o] as number) / w.div;
        for (let ih = w.h0; ih < w.h1; ih++) {
          const row = base + ih * g.width;
          for (let iw = w.w0; iw < w.w1; iw++) gradIn[row + iw] = (gradIn[row + iw] as number) + share;
        }
      }
    }
  }
}

/**
 * PyTorch's adaptive-pooling window start: ⌊a·inSize/outSize⌋.
 *
 * @example
 * ```ts
 * adaptiveStart(1, 3, 5); // 1
 * ```
 */
export function adaptiveStart(a: number, outSize: number, inSize: number): number {
  return Math.floor((a * inSize) / outSize);
}

/**
 * PyTorch's adaptive-pooling window end: ⌈(a+1)·inSize/outSize⌉.
 *
 * @example
 * ```ts
 * adaptiveEnd(1, 3, 5); // 4
 * ```
 */
export function adaptiveEnd(a: number, outSize: number, inSize: number): number {
  return Math.ceil(((a + 1) * inSize) / outSize);
}

/**
 * Adaptive average pooling forward: output (oh, ow) averages input rows
 * [⌊oh·H/outH⌋, ⌈(oh+1)·H/outH⌉) and the matching columns.
 *
 * @example
 * ```ts
 * adaptiveAvgPool2dForward(x.data, 0, planes, H, W, 1, 1, out.data);
 * ```
 */
export function adaptiveAvgPool2dForward(
  src: FloatBuffer,
  srcOffset: number,
  planes: number,
  height: number,
  width: number,
  outH: number,
  outW: number,
  out: FloatBuffer,
): void {
  const plane = height * width;
  const f32 = out instanceof Float32Array;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = srcOffset + p * plane;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = adaptiveStart(oh, outH, height);
      const h1 = adaptiveEnd(oh, outH, height);
      for (let ow = 0; ow < outW; ow++, o++) {
        const w0 = adaptiveStart(ow, outW, width);
        const w1 = adaptiveEnd(ow, outW, width);
        let sum = 0;
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * width;
          if (f32) for (let iw = w0; iw < w1; iw++) sum = Math.fround(sum + (src[row + iw] as number));
          else for (let iw = w0; iw < w1; iw++) sum += src[row + iw] as number;
        }
        // Two divisions, as PyTorch's kernel writes them (`sum / kh / kw`).
        out[o] = f32 ? Math.fround(Math.fround(sum / (h1 - h0)) / (w1 - w0)) : sum / (h1 - h0) / (w1 - w0);
      }
    }
  }
}

/**
 * Adaptive average pooling backward: each output gradient, divided by the window height and then
 * by its width, is added
 * to every input element of the window.
 *
 * @example
 * ```ts
 * adaptiveAvgPool2dBackward(gOut.data, planes, H, W, outH, outW, gIn.data);
 * ```
 */
export function adaptiveAvgPool2dBackward(
  gradOut: ArrayLike<number>,
  planes: number,
  height: number,
  width: number,
  outH: number,
  outW: number,
  gradIn: FloatBuffer,
): void {
  const plane = height * width;
  const f32 = gradIn instanceof Float32Array;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * plane;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = adaptiveStart(oh, outH, height);
      const h1 = adaptiveEnd(oh, outH, height);
      for (let ow = 0; ow < outW; ow++, o++) {
        const w0 = adaptiveStart(ow, outW, width);
        const w1 = adaptiveEnd(ow, outW, width);
        const kh = h1 - h0;
        const kw = w1 - w0;
        const g = gradOut[o] as number;
        const share = f32 ? Math.fround(Math.fround(g / kh) / kw) : g / kh / kw;
        for (let ih = h0; ih < h1; ih++) {
          const row = base + ih * width;
          for (let iw = w0; iw < w1; iw++) gradIn[row + iw] = (gradIn[row + iw] as number) + share;
        }
      }
    }
  }
}
