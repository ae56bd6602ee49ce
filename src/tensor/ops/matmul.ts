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

/** The C++ type names PyTorch prints for dtypes (its int64 is `long int`). */
const C_NAME: Record<DType, string> = {
  float32: "float",
  float64: "double",
  int32: "long int",
  bool: "bool",
};

/** mm's dtype check as current PyTorch words it (`addmm_impl_cpu_` in ATen's LinearAlgebra.cpp). */
function checkMmDtype(a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(
      `expected m1 and m2 to have the same dtype, but got: ${C_NAME[a.dtype]} != ${C_NAME[b.dtype]}`,
    );
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

/** PyTorch's message for a matrix-vector product with mismatched sizes (`mv`, current wording). */
function mvMismatch(rows: number, cols: number, vec: number): RuntimeError {
  return new RuntimeError(`size mismatch, got input (${rows}), mat (${rows}x${cols}), vec (${vec})`);
}

function mmMismatch(m: number, k1: number, k2: number, n: number): RuntimeError {
  return new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${m}x${k1} and ${k2}x${n})`);
}

/**
 * Whether current PyTorch's matmul folds the larger (≥ 3-D) operand into a matrix and calls mm/mv
 * rather than bmm (`should_fold` in ATen's LinearAlgebra.cpp). It decides which error message a
 * shape mismatch produces.
 */
function shouldFold(a: Tensor, b: Tensor): boolean {
  const aLarger = a.ndim >= b.ndim;
  const big = aLarger ? a : b;
  const small = aLarger ? b : a;
  if (!(big.ndim >= 3 && small.ndim <= 2)) return false;
  if (small.requiresGrad) return true;
  if (a.ndim === 2) return false;
  if (big.numel() === 0) return true;
  // The leading dims of the larger operand (transposed when it is b) must collapse without a copy.
  const shape = [...big.shape];
  const strides = [...big.strides];
  if (!aLarger) {
    const n = shape.length;
    [shape[n - 1], shape[n - 2]] = [shape[n - 2] as number, shape[n - 1] as number];
    [strides[n - 1], strides[n - 2]] = [strides[n - 2] as number, strides[n - 1] as number];
  }
  for (let i = 0; i < shape.length - 2; i++) {
    if (strides[i] !== (strides[i + 1] as number) * (shape[i + 1] as number)) return false;
  }
  return true;
}

/** Throw the error current PyTorch's matmul raises for incompatible shapes (≥ 3-D cases). */
function checkBatchedShapes(a: Tensor, b: Tensor): void {
  if (shouldFold(a, b)) {
    const transpose = b.ndim > a.ndim;
    // t1 is the larger operand (b transposed), folded to [rows, k]; t2 the other one.
    const t1Shape = transpose ? [...b.shape.slice(0, -2), b.shape[b.ndim - 1], b.shape[b.ndim - 2]] : a.shape;
    const t2Shape = transpose ? (a.ndim === 2 ? [a.shape[1], a.shape[0]] : a.shape) : b.shape;
    const k = t1Shape[t1Shape.length - 1] as number;
    const rows = numelOf(t1Shape.slice(0, -1) as number[]);
    const k2 = t2Shape[0] as number;
    if (k === k2) return;
    if (t2Shape.length === 2) throw mmMismatch(rows, k, k2, t2Shape[1] as number);
    throw mvMismatch(rows, k, k2);
  }
  if (a.ndim === 3 && b.ndim === 3 && a.shape[0] !== b.shape[0]) {
    // PyTorch squeezes a broadcast batch of one that requires grad and retries (then folds).
    if (a.shape[0] === 1 && a.requiresGrad) return checkBatchedShapes(a.squeeze(0), b);
    if (b.shape[0] === 1 && b.requiresGrad) return checkBatchedShapes(a, b.squeeze(0));
  }
  const m1 = a.shape[a.ndim - 1] as number;
  const m2 = (b.ndim > 1 ? b.shape[b.ndim - 2] : b.shape[0]) as number;
  const batch = broadcastShapes(
    a.shape.slice(0, Math.max(a.ndim - 2, 0)),
    b.shape.slice(0, Math.max(b.ndim - 2, 0)),
  );
  if (m1 !== m2) {
    const bs = numelOf(batch);
    throw new RuntimeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${bs}, ${m1}] but got: [${bs}, ${m2}].`,
    );
  }
}

/**
 * `torch.matmul`: dot, matrix-vector, vector-matrix, matrix and batched products.
 * @example tg.matmul(tg.ones([10, 3, 4]), tg.ones([4, 5])).shape; // [10, 3, 5]; [3, 4] @ [4] gives [3]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RuntimeError(
      `both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`,
    );
  }
  if (a.ndim === 1 && b.ndim === 1) return dot(a, b);
  if (a.ndim === 2 && b.ndim === 2) return mm(a, b);
  if (a.ndim === 2 && b.ndim === 1) {
    if (a.shape[1] !== b.shape[0])
      throw mvMismatch(a.shape[0] as number, a.shape[1] as number, b.shape[0] as number);
    checkSameDtype(a, b);
    const out = batched(a.detach(), asColumn(b))
      .detach()
      .reshape([a.shape[0] as number]);
    return recordMatmul(out.contiguous(), a, b, "MvBackward0");
  }
  if (a.ndim === 1 && b.ndim === 2) {
    if (a.shape[0] !== b.shape[0]) {
      throw mmMismatch(1, a.shape[0] as number, b.shape[0] as number, b.shape[1] as number);
    }
    checkMmDtype(a, b);
    const out = batched(asRow(a), b.detach())
      .detach()
      .reshape([b.shape[1] as number]);
    return recordMatmul(out, a, b, "SqueezeBackward3");
  }
  checkBatchedShapes(a, b);
  checkSameDtype(a, b);
  const a2 = a.ndim === 1 ? asRow(a) : a.detach();
  const b2 = b.ndim === 1 ? asColumn(b) : b.detach();
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

/**
 * 2-D matrix product with PyTorch's shape message.
 * @example
 * ```ts
 * mm(tg.tensor([[1, 2], [3, 4]]), tg.tensor([[5], [6]])).tolist(); // [[17], [39]]
 * mm(tg.ones([2, 3]), tg.ones([2, 3])); // RuntimeError: mat1 and mat2 shapes cannot be multiplied ...
 * ```
 */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2) throw new RuntimeError("self must be a matrix");
  if (b.ndim !== 2) throw new RuntimeError("mat2 must be a matrix");
  if (a.shape[1] !== b.shape[0]) {
    throw mmMismatch(a.shape[0] as number, a.shape[1] as number, b.shape[0] as number, b.shape[1] as number);
  }
  checkMmDtype(a, b);
  return recordMatmul(batched(a, b), a, b, "MmBackward0");
}

/**
 * Batched product of two 3-D tensors with equal batch sizes.
 * @example bmm(tg.ones([8, 2, 3]), tg.ones([8, 3, 4])).shape; // [8, 2, 4]
 */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3) throw new RuntimeError(`batch1 must be a 3D tensor`);
  if (b.ndim !== 3) throw new RuntimeError(`batch2 must be a 3D tensor`);
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new RuntimeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`,
    );
  }
  checkSameDtype(a, b);
  return recordMatmul(batched(a, b), a, b, "BmmBackward0");
}

/**
 * Dot product of two 1-D tensors.
 * @example dot(tg.tensor([1, 2, 3]), tg.tensor([4, 5, 6])).item(); // 32
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new RuntimeError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  }
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(
      `dot : expected both vectors to have same dtype, but found ${SCALAR_NAME[a.dtype]} and ${SCALAR_NAME[b.dtype]}`,
    );
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new RuntimeError(
      `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
    );
  }
  const out = batched(asRow(a), asColumn(b)).detach().reshape([]);
  return recordMatmul(out, a, b, "DotBackward0");
}
