import type { FloatBuffer } from "../layout.js";

/**
 * The geometry of one 2-D convolution over a stack of input planes: the per-group channel count,
 * the input plane size, the kernel, and the stride/padding/dilation that map output positions to
 * input positions (`ih = oh·strideH − padTop + kh·dilationH`). A 1-D convolution is the same with
 * `height = kernelH = outH = 1`. Asymmetric padding (PyTorch's `padding="same"` with an even
 * effective kernel) only needs the leading pads here: the trailing pad is implied by `outH/outW`.
 *
 * @example
 * ```ts
 * const g: ConvGeometry = { channels: 3, height: 8, width: 8, kernelH: 3, kernelW: 3,
 *   strideH: 1, strideW: 1, padTop: 1, padLeft: 1, dilationH: 1, dilationW: 1, outH: 8, outW: 8 };
 * ```
 */
export interface ConvGeometry {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly outH: number;
  readonly outW: number;
}

/**
 * Unfold `channels` contiguous input planes starting at `srcOffset` into the column matrix
 * `cols` of shape [channels·kernelH·kernelW, outH·outW] (row-major, row = (c, kh, kw)), writing
 * zeros where the window reads padding. This is PyTorch's `im2col` layout, so a convolution is
 * `weight[O, C·kh·kw] · cols`. The block may sit inside a wider matrix (several samples side by
 * side): it starts at `colsOffset` and its rows are `rowStride` apart.
 *
 * @example
 * ```ts
 * im2col(input.data, n * C * H * W, g, cols);
 * ```
 */
export function im2col(
  src: FloatBuffer,
  srcOffset: number,
  g: ConvGeometry,
  cols: FloatBuffer,
  colsOffset = 0,
  rowStride = g.outH * g.outW,
): void {
  const { channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft } = g;
  const { dilationH, dilationW, outH, outW } = g;
  const plane = height * width;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const cBase = srcOffset + c * plane;
    for (let kh = 0; kh < kernelH; kh++) {
      for (let kw = 0; kw < kernelW; kw++, row++) {
        const rowBase = colsOffset + row * rowStride;
        const wShift = kw * dilationW - padLeft;
        // Output columns whose input column is inside the image: ow in [owLo, owHi).
        const owLo = Math.min(outW, Math.max(0, Math.ceil(-wShift / strideW)));
        const owHi = Math.max(owLo, Math.min(outW, Math.ceil((width - wShift) / strideW)));
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * strideH - padTop + kh * dilationH;
          const dst = rowBase + oh * outW;
          if (ih < 0 || ih >= height) {
            for (let ow = 0; ow < outW; ow++) cols[dst + ow] = 0;
            continue;
          }
          const srcRow = cBase + ih * width + wShift;
          for (let ow = 0; ow < owLo; ow++) cols[dst + ow] = 0;
          if (strideW === 1) {
            for (let ow = owLo; ow < owHi; ow++) cols[dst + ow] = src[srcRow + ow] as number;
          } else {
            for (let ow = owLo; ow < owHi; ow++) cols[dst + ow] = src[srcRow + ow * strideW] as number;
          }
          for (let ow = owHi; ow < outW; ow++) cols[dst + ow] = 0;
        }
      }
    }
  }
}

/**
 * Fold a column matrix back onto the input planes, adding every column entry into the input
 * element it was read from (the adjoint of {@link im2col}, PyTorch's `col2im`). Contributions
 * arrive in row order (c, kh, kw) and then output order, as in PyTorch's kernel. `colsOffset`
 * and `rowStride` locate the block as in {@link im2col}.
 *
 * @example
 * ```ts
 * col2imAdd(gradCols, g, gradInput.data, n * C * H * W);
 * ```
 */
export function col2imAdd(
  cols: ArrayLike<number>,
  g: ConvGeometry,
  dst: FloatBuffer,
  dstOffset: number,
  colsOffset = 0,
  rowStride = g.outH * g.outW,
): void {
  const { channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft } = g;
  const { dilationH, dilationW, outH, outW } = g;
  const plane = height * width;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const cBase = dstOffset + c * plane;
    for (let kh = 0; kh < kernelH; kh++) {
      for (let kw = 0; kw < kernelW; kw++, row++) {
        const rowBase = colsOffset + row * rowStride;
        const wShift = kw * dilationW - padLeft;
        const owLo = Math.min(outW, Math.max(0, Math.ceil(-wShift / strideW)));
        const owHi = Math.max(owLo, Math.min(outW, Math.ceil((width - wShift) / strideW)));
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * strideH - padTop + kh * dilationH;
          if (ih < 0 || ih >= height) continue;
          const from = rowBase + oh * outW;
          const dstRow = cBase + ih * width + wShift;
          for (let ow = owLo; ow < owHi; ow++) {
            const at = dstRow + ow * strideW;
            dst[at] = (dst[at] as number) + (cols[from + ow] as number);
          }
        }
      }
    }
  }
}
