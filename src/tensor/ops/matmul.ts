import { backend } from "../../backend/backend.js";
import type { FloatBuffer } from "../../backend/layout.js";
import { elementOffsets } from "../../backend/js/strided-loop.js";
import { RuntimeError } from "../../util/errors.js";
import { isFloatingDType, type DType } from "../dtype.js";
import { broadcastShapes, broadcastStrides, numelOf } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { empty, record } from "./common.js";

const SCALAR_NAME: Record<DType, string> = {
  float32: "Float",
  float64: "Double",
  int32: "Long",
  bool: "Bool",
};

function checkSameDtype(a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(`expected scalar type ${SCALAR_NAME[a.dtype]} but found ${SCALAR_NAME[b.dtype]}`);
  }
}

/**
 * The product of `a` [...batchA, M, K] and `b` [...batchB, K, N] (both at least 2-D) with batch
 * broadcasting, written densely into a new [...batch, M, N] tensor.
 */
function batched(a: Tensor, b: Tensor): Tensor {
  const m = a.shape[a.ndim - 2] as number;
  const k = a.shape[a.ndim - 1] as number;
  const n = b.shape[b.ndim - 1] as number;
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes(batchA, batchB);
  const out = empty([...batch, m, n], a.dtype);
  const aOffsets = elementOffsets(batch, broadcastStrides(batchA, a.strides.slice(0, -2), batch), a.offset);
  const bOffsets = elementOffsets(batch, broadcastStrides(batchB, b.strides.slice(0, -2), batch), b.offset);
  const count = numelOf(batch);
  const outOffsets = new Int32Array(count);
  for (let i = 0; i < count; i++) outOffsets[i] = i * m * n;
  const args = {
    m,
    n,
    k,
    a: a.data as FloatBuffer,
    aOffsets,
    aRowStride: a.strides[a.ndim - 2] as number,
    aColStride: a.strides[a.ndim - 1] as number,
    b: b.data as FloatBuffer,
    bOffsets,
    bRowStride: b.strides[b.ndim - 2] as number,
    bColStride: b.strides[b.ndim - 1] as number,
    out: out.data as FloatBuffer,
    outOffsets,
  };
  if (isFloatingDType(a.dtype)) backend().gemm(args);
  else integerGemm(args);
  return out;
}

/** Integer matmul (rare; exact for values that fit a double). */
function integerGemm(args: {
  m: number;
  n: number;
  k: number;
  a: ArrayLike<number>;
  aOffsets: ArrayLike<number>;
  aRowStride: number;
  aColStride: number;
  b: ArrayLike<number>;
  bOffsets: ArrayLike<number>;
  bRowStride: number;
  bColStride: number;
  out: { [i: number]: number };
  outOffsets: ArrayLike<number>;
}): void {
  const { m, n, k } = args;
  for (let t = 0; t < args.outOffsets.length; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          s +=
            (args.a[(args.aOffsets[t] as number) + i * args.aRowStride + p * args.aColStride] as number) *
            (args.b[(args.bOffsets[t] as number) + p * args.bRowStride + j * args.bColStride] as number);
        }
        args.out[(args.outOffsets[t] as number) + i * n + j] = s;
      }
    }
  }
}

/** Unrecorded views used inside matmul: a leading or trailing size-1 dim added to a 1-D operand. */
function asRow(v: Tensor): Tensor {
  return v.detach().reshape([1, v.shape[0] as number]);
}
function asColumn(v: Tensor): Tensor {
  return v.detach().reshape([v.shape[0] as number, 1]);
}

/** `torch.matmul`: dot, matrix-vector, vector-matrix, matrix and batched products. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RuntimeError(
      `both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`,
    );
  }
  checkSameDtype(a, b);
  if (a.ndim === 1 && b.ndim === 1) return dot(a, b);
  if (a.ndim === 2 && b.ndim === 2) return mm(a, b);
  if (a.ndim === 2 && b.ndim === 1) {
    if (a.shape[1] !== b.shape[0]) {
      throw new RuntimeError(`size mismatch, got ${a.shape[0]}, ${a.shape[0]}x${a.shape[1]},${b.shape[0]}`);
    }
    const out = batched(a.detach(), asColumn(b))
      .detach()
      .reshape([a.shape[0] as number]);
    return recordMatmul(out.contiguous(), a, b, "MvBackward0");
  }
  if (a.ndim === 1 && b.ndim === 2) {
    if (a.shape[0] !== b.shape[0]) {
      throw new RuntimeError(
        `mat1 and mat2 shapes cannot be multiplied (1x${a.shape[0]} and ${b.shape[0]}x${b.shape[1]})`,
      );
    }
    const out = batched(asRow(a), b.detach())
      .detach()
      .reshape([b.shape[1] as number]);
    return recordMatmul(out, a, b, "SqueezeBackward3");
  }
  const a2 = a.ndim === 1 ? asRow(a) : a.detach();
  const b2 = b.ndim === 1 ? asColumn(b) : b.detach();
  const k1 = a2.shape[a2.ndim - 1] as number;
  const k2 = b2.shape[b2.ndim - 2] as number;
  if (k1 !== k2) {
    if (a2.ndim === 3 && b2.ndim === 3 && a2.shape[0] === b2.shape[0]) {
      throw new RuntimeError(
        `Expected size for first two dimensions of batch2 tensor to be: [${b2.shape[0]}, ${k1}] but got: [${b2.shape[0]}, ${k2}].`,
      );
    }
    throw new RuntimeError(
      `mat1 and mat2 shapes cannot be multiplied (${numelOf(a2.shape.slice(0, -1))}x${k1} and ${k2}x${b2.shape[b2.ndim - 1]})`,
    );
  }
  let out = batched(a2, b2);
  if (a.ndim === 1) out = out.detach().squeeze(-2).contiguous();
  if (b.ndim === 1) out = out.detach().squeeze(-1).contiguous();
  return recordMatmul(out, a, b, "UnsafeViewBackward0");
}

function recordMatmul(out: Tensor, a: Tensor, b: Tensor, name: string): Tensor {
  const node = record(out, "matmul", name, [a, b]);
  if (node) node.save([a, b]);
  return out;
}

/** 2-D matrix product with PyTorch's shape message. */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2) throw new RuntimeError("self must be a matrix");
  if (b.ndim !== 2) throw new RuntimeError("mat2 must be a matrix");
  checkSameDtype(a, b);
  if (a.shape[1] !== b.shape[0]) {
    throw new RuntimeError(
      `mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`,
    );
  }
  return recordMatmul(batched(a, b), a, b, "MmBackward0");
}

/** Batched product of two 3-D tensors with equal batch sizes. */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3) throw new RuntimeError(`batch1 must be a 3D tensor`);
  if (b.ndim !== 3) throw new RuntimeError(`batch2 must be a 3D tensor`);
  checkSameDtype(a, b);
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new RuntimeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`,
    );
  }
  return recordMatmul(batched(a, b), a, b, "BmmBackward0");
}

/** Dot product of two 1-D tensors. */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new RuntimeError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  }
  checkSameDtype(a, b);
  if (a.shape[0] !== b.shape[0]) {
    throw new RuntimeError(
      `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
    );
  }
  const out = batched(asRow(a), asColumn(b)).detach().reshape([]);
  return recordMatmul(out, a, b, "DotBackward0");
}
