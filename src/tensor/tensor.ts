import type { Node } from "../autograd/node.js";
import { runBackward } from "../autograd/engine.js";
import { viewOfBase } from "../autograd/view-node.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { RuntimeError } from "../util/errors.js";
import { allocate, dtypeOfArray, isFloatingDType, type DType, type TypedArray } from "./dtype.js";
import { contiguousStrides, isContiguousLayout, normalizeDim, numelOf, shapesEqual } from "./shape.js";
import * as ew from "./ops/elementwise.js";
import * as inplace from "./ops/inplace.js";
import * as mv from "./ops/movement.js";
import * as red from "./ops/reduce.js";
import * as idx from "./ops/indexing.js";
import * as mm from "./ops/matmul.js";
import * as cast from "./ops/cast.js";
import { toNested, toTorchString } from "./ops/export.js";
import { bernoulliInPlace, normalInPlace, uniformInPlace, type Generator } from "./random.js";

/** A shared counter of in-place writes; views share their base's counter, as in PyTorch. */
export interface VersionCounter {
  value: number;
}

/** A tensor or a plain number where PyTorch accepts a Python scalar. */
export type TensorLike = Tensor | number | boolean;

/** Options of reductions that keep or drop the reduced dimensions. */
export interface VarOptions {
  /** Difference between the sample count and the divisor (1 = Bessel's correction, the default). */
  correction?: number;
  /** PyTorch's older spelling: `unbiased: false` is `correction: 0`. */
  unbiased?: boolean;
  keepdim?: boolean;
}

/**
 * An n-dimensional array of float32, float64, int32 or bool values with reverse-mode autograd:
 * storage (a typed array, shared by views) plus shape, strides and offset.
 *
 * Method names, argument order, broadcasting, type promotion, error messages and printing follow
 * PyTorch; scalar arguments may be plain numbers.
 *
 * @example
 * ```ts
 * const x = tg.tensor([[1, 2], [3, 4]], { dtype: "float64" });
 * const w = tg.ones([2, 2], { dtype: "float64", requiresGrad: true });
 * x.matmul(w).sum().backward();
 * console.log(w.grad!.toString()); // tensor([[4., 4.], [6., 6.]], dtype=torch.float64)
 * ```
 */
export class Tensor {
  /** Storage, shared by every view of the same base. */
  readonly data: TypedArray;
  /** Size of each dimension, outermost first. */
  readonly shape: readonly number[];
  /** Storage step of each dimension, in elements. */
  readonly strides: readonly number[];
  /** Storage index of the first element. */
  readonly offset: number;
  /** Element type, derived from the storage class. */
  readonly dtype: DType;
  /** @internal In-place write counter shared with views, checked by autograd. */
  readonly _version: VersionCounter;
  /** @internal The tensor this one is a view of, if any. */
  readonly _base: Tensor | null;
  private _gradFn: Node | null = null;
  /** Version of the shared counter when a view's history was last set (see {@link gradFn}). */
  private _viewVersion = 0;
  private _requiresGrad = false;
  private _grad: Tensor | null = null;
  private _retainsGrad = false;

  constructor(
    data: TypedArray,
    shape: readonly number[],
    strides?: readonly number[],
    offset = 0,
    version?: VersionCounter,
    base?: Tensor | null,
  ) {
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze(strides ? [...strides] : contiguousStrides(shape));
    this.offset = offset;
    this.dtype = dtypeOfArray(data);
    this._version = version ?? { value: 0 };
    this._base = base ?? null;
    this._viewVersion = this._version.value;
  }

  /**
   * The operation that produced this tensor, for non-leaves (`grad_fn`). A view whose storage was
   * modified in place after it was created (through itself, its base or another view) takes its
   * history from the base's current one, as PyTorch regenerates a view's `grad_fn`: otherwise
   * gradients would bypass the in-place operation.
   */
  get gradFn(): Node | null {
    if (this._base !== null && this._viewVersion !== this._version.value) this._refreshViewHistory();
    return this._gradFn;
  }

  set gradFn(node: Node | null) {
    this._gradFn = node;
    this._viewVersion = this._version.value;
  }

  private _refreshViewHistory(): void {
    this._viewVersion = this._version.value;
    const base = this._base as Tensor;
    if (base.requiresGrad) this._gradFn = viewOfBase(this, base);
  }

  /** Number of dimensions. @example tg.zeros([2, 3]).ndim // 2 */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of dimensions (PyTorch's `dim()`). @example tg.zeros([2, 3]).dim() // 2 */
  dim(): number {
    return this.shape.length;
  }

  /** Number of elements. @example tg.zeros([2, 3]).numel() // 6 */
  numel(): number {
    return numelOf(this.shape);
  }

  /** The shape, or the size of one dimension. @example tg.zeros([2, 3]).size(-1) // 3 */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return [...this.shape];
    return this.shape[normalizeDim(dim, this.ndim)] ?? 1;
  }

  /** Whether the elements are laid out densely in row-major order. @example x.t().isContiguous() // false for 2×3 */
  isContiguous(): boolean {
    return isContiguousLayout(this.shape, this.strides);
  }

  /** Whether this tensor was created by the user rather than by a recorded operation. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Whether gradients are computed for this tensor. Settable on leaves only. */
  get requiresGrad(): boolean {
    return this._requiresGrad || this.gradFn !== null;
  }

  set requiresGrad(on: boolean) {
    this.requiresGrad_(on);
  }

  /**
   * Set `requiresGrad` in place and return this tensor (PyTorch's `requires_grad_()`).
   * @example const w = tg.zeros([3]).requiresGrad_();
   */
  requiresGrad_(on = true): this {
    if (!this.isLeaf) {
      if (on) return this;
      throw new RuntimeError(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
      );
    }
    if (on && !isFloatingDType(this.dtype)) {
      throw new RuntimeError("only Tensors of floating point and complex dtype can require gradients");
    }
    this._requiresGrad = on;
    return this;
  }

  /** The accumulated gradient of a leaf (or of a non-leaf after `retainGrad()`), settable. */
  get grad(): Tensor | null {
    return this._grad;
  }

  set grad(g: Tensor | null) {
    if (g !== null) {
      if (!(g instanceof Tensor)) throw new TypeError("assigned grad expected to be a Tensor or null");
      if (g.dtype !== this.dtype) {
        throw new RuntimeError("assigned grad has data of a different type");
      }
      if (!shapesEqual(g.shape, this.shape)) {
        throw new RuntimeError("assigned grad has data of a different size");
      }
    }
    this._grad = g;
  }

  /** Keep `.grad` for this non-leaf during backward (`retain_grad()`). */
  retainGrad(): void {
    if (!this.requiresGrad)
      throw new RuntimeError("can't retain_grad on Tensor that has requires_grad=False");
    if (!this.isLeaf && this.gradFn) {
      this._retainsGrad = true;
      this.gradFn.retained = this;
    }
  }

  /** Whether a non-leaf keeps its gradient (`retains_grad`). */
  get retainsGrad(): boolean {
    return this._retainsGrad;
  }

  /**
   * Compute gradients of this tensor with respect to the graph leaves and accumulate them into
   * their `.grad`. A non-scalar tensor needs an explicit `gradient` of its shape.
   * @example loss.backward();  y.backward(tg.onesLike(y), { retainGraph: true });
   */
  backward(gradient?: Tensor | null, options: { retainGraph?: boolean } = {}): void {
    runBackward(this, gradient ?? null, options.retainGraph ?? false);
  }

  /**
   * A tensor sharing storage (and the in-place version counter) but cut from the graph
   * (`detach()`). Like PyTorch's, it is not a view for autograd: in-place ops on it do not reach
   * this tensor's history.
   * @example w.detach().requiresGrad // false
   */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, this.strides, this.offset, this._version, null);
  }

  /** Cut this tensor from the graph in place and make it a leaf (`detach_()`). */
  detach_(): this {
    this.gradFn = null;
    this._requiresGrad = false;
    return this;
  }

  /** The single value of a one-element tensor as a number (bools become 0/1). @example tg.tensor([2.5]).item() // 2.5 */
  item(): number {
    if (this.numel() !== 1) {
      throw new RuntimeError(`a Tensor with ${this.numel()} elements cannot be converted to Scalar`);
    }
    return this.data[this.offset] as number;
  }

  /** The values as nested arrays (`tolist()`); bools as booleans. @example tg.eye(2).tolist() // [[1, 0], [0, 1]] */
  tolist(): unknown {
    return toNested(this);
  }

  /** A dense row-major copy of the values in this dtype's typed array. @example x.toTypedArray() */
  toTypedArray(): TypedArray {
    const c = this.contiguous();
    const n = c.numel();
    if (c.offset === 0 && c.data.length === n) return c.data.slice();
    return c.data.slice(c.offset, c.offset + n);
  }

  /** Exactly what PyTorch prints for `repr(t)`. @example tg.tensor([1.5, 2]).toString() // "tensor([1.5000, 2.0000])" */
  toString(): string {
    return toTorchString(this);
  }

  /** @internal Throw PyTorch's errors when an in-place write would corrupt autograd or alias itself. */
  _checkInplace(): void {
    if (isGradEnabled()) {
      if (this.isLeaf && this._requiresGrad) {
        throw new RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.");
      }
      const base = this._base;
      if (base !== null && base.isLeaf && base._requiresGrad) {
        throw new RuntimeError(
          "a view of a leaf Variable that requires grad is being used in an in-place operation.",
        );
      }
    }
    for (let d = 0; d < this.shape.length && this.numel() > 0; d++) {
      if (this.strides[d] === 0 && (this.shape[d] as number) > 1) {
        throw new RuntimeError(
          "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.",
        );
      }
    }
  }

  /** @internal Record an in-place write so saved tensors can detect it. */
  _bumpVersion(): void {
    this._version.value++;
  }

  /**
   * @internal Take `src`'s storage, shape, strides and dtype while keeping this object, its
   * autograd flags and its version counter — PyTorch's `t.data = src`. `Module.double()` uses it so
   * optimizers that hold a parameter keep working after the conversion.
   */
  _replaceData(src: Tensor): void {
    // The fields are readonly to users; this is the one sanctioned place that swaps them.
    const self = this as unknown as {
      data: TypedArray;
      shape: readonly number[];
      strides: readonly number[];
      offset: number;
      dtype: DType;
    };
    self.data = src.data;
    self.shape = src.shape;
    self.strides = src.strides;
    self.offset = src.offset;
    self.dtype = src.dtype;
  }

  /** @internal Allocate an uninitialised (zeroed) contiguous tensor. */
  static _empty(shape: readonly number[], dtype: DType): Tensor {
    return new Tensor(allocate(dtype, numelOf(shape)), shape);
  }

  // ---- elementwise arithmetic -------------------------------------------------------------

  /** `self + alpha·other` with broadcasting. @example x.add(1); x.add(y, { alpha: -0.1 }) */
  add(other: TensorLike, options: { alpha?: number } = {}): Tensor {
    return ew.add(this, other, options.alpha ?? 1);
  }
  /** `self − alpha·other`. @example x.sub(y) */
  sub(other: TensorLike, options: { alpha?: number } = {}): Tensor {
    return ew.sub(this, other, options.alpha ?? 1);
  }
  /** Elementwise product. @example x.mul(0.5) */
  mul(other: TensorLike): Tensor {
    return ew.mul(this, other);
  }
  /** True division (integer inputs give a float result). @example x.div(2) */
  div(other: TensorLike): Tensor {
    return ew.div(this, other);
  }
  /** Elementwise power with a scalar or tensor exponent. @example x.pow(2) */
  pow(exponent: TensorLike): Tensor {
    return ew.pow(this, exponent);
  }
  /** Negation. @example x.neg() */
  neg(): Tensor {
    return ew.unary("neg", this);
  }
  /** Absolute value. @example x.abs() */
  abs(): Tensor {
    return ew.unary("abs", this);
  }
  /** −1, 0 or +1 per element. @example x.sign() */
  sign(): Tensor {
    return ew.unary("sign", this);
  }
  /** Square root. @example x.sqrt() */
  sqrt(): Tensor {
    return ew.unary("sqrt", this);
  }
  /** Reciprocal square root. @example x.rsqrt() */
  rsqrt(): Tensor {
    return ew.unary("rsqrt", this);
  }
  /** Exponential. @example x.exp() */
  exp(): Tensor {
    return ew.unary("exp", this);
  }
  /** Natural logarithm. @example x.log() */
  log(): Tensor {
    return ew.unary("log", this);
  }
  /** `log(1 + x)`, accurate near 0. @example x.log1p() */
  log1p(): Tensor {
    return ew.unary("log1p", this);
  }
  /** `exp(x) − 1`, accurate near 0. @example x.expm1() */
  expm1(): Tensor {
    return ew.unary("expm1", this);
  }
  /** Sine. @example x.sin() */
  sin(): Tensor {
    return ew.unary("sin", this);
  }
  /** Cosine. @example x.cos() */
  cos(): Tensor {
    return ew.unary("cos", this);
  }
  /** Hyperbolic tangent. @example x.tanh() */
  tanh(): Tensor {
    return ew.unary("tanh", this);
  }
  /** Logistic sigmoid. @example x.sigmoid() */
  sigmoid(): Tensor {
    return ew.unary("sigmoid", this);
  }
  /** Rectified linear unit. @example x.relu() */
  relu(): Tensor {
    return ew.unary("relu", this);
  }
  /** Gauss error function. @example x.erf() */
  erf(): Tensor {
    return ew.unary("erf", this);
  }
  /** `1 / x`. @example x.reciprocal() */
  reciprocal(): Tensor {
    return ew.unary("reciprocal", this);
  }
  /** `x * x`. @example x.square() */
  square(): Tensor {
    return ew.pow(this, 2);
  }
  /** Clamp into `[min, max]` (either bound may be omitted with null/undefined). @example x.clamp(0, 1) */
  clamp(min?: number | null, max?: number | null): Tensor {
    return ew.clamp(this, min ?? null, max ?? null);
  }
  /** Elementwise maximum (NaN propagates). @example tg.maximum(x, y) */
  maximum(other: Tensor): Tensor {
    return ew.maximum(this, other);
  }
  /** Elementwise minimum (NaN propagates). @example x.minimum(y) */
  minimum(other: Tensor): Tensor {
    return ew.minimum(this, other);
  }

  // ---- comparisons (bool results, never differentiable) ------------------------------------

  /** `self == other` elementwise. @example x.eq(0) */
  eq(other: TensorLike): Tensor {
    return ew.compare("eq", this, other);
  }
  /** `self != other`. @example x.ne(0) */
  ne(other: TensorLike): Tensor {
    return ew.compare("ne", this, other);
  }
  /** `self < other`. @example x.lt(0) */
  lt(other: TensorLike): Tensor {
    return ew.compare("lt", this, other);
  }
  /** `self <= other`. @example x.le(0) */
  le(other: TensorLike): Tensor {
    return ew.compare("le", this, other);
  }
  /** `self > other`. @example x.gt(0) */
  gt(other: TensorLike): Tensor {
    return ew.compare("gt", this, other);
  }
  /** `self >= other`. @example x.ge(0) */
  ge(other: TensorLike): Tensor {
    return ew.compare("ge", this, other);
  }
  /** Logical not of a tensor (nonzero is true). @example mask.logicalNot() */
  logicalNot(): Tensor {
    return ew.logicalNot(this);
  }
  /** Whether each element is NaN. @example x.isnan() */
  isnan(): Tensor {
    return ew.compare("ne", this, this);
  }
  /** Whether each element is finite. @example x.isfinite() */
  isfinite(): Tensor {
    return ew.isfinite(this);
  }
  /** Fill positions where `mask` is true with `value` (out of place). @example x.maskedFill(x.lt(0), 0) */
  maskedFill(mask: Tensor, value: number): Tensor {
    return idx.maskedFill(this, mask, value);
  }

  // ---- reductions ---------------------------------------------------------------------------

  /** Sum over all or some dims. @example x.sum(); x.sum(1, true) */
  sum(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return red.sum(this, dim ?? null, keepdim);
  }
  /** Mean over all or some dims (floating tensors only). @example x.mean(0) */
  mean(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return red.mean(this, dim ?? null, keepdim);
  }
  /** Product over all elements or one dim. @example x.prod() */
  prod(dim?: number | null, keepdim = false): Tensor {
    return red.prod(this, dim ?? null, keepdim);
  }
  /** Maximum over dims, values only. @example x.amax(1) */
  amax(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return red.amaxAmin(this, dim ?? null, keepdim, true);
  }
  /** Minimum over dims, values only. @example x.amin(1) */
  amin(dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return red.amaxAmin(this, dim ?? null, keepdim, false);
  }
  /**
   * Maximum of all elements, or `{ values, indices }` along `dim` (first occurrence).
   * @example x.max(); const { values, indices } = x.max(1);
   */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor };
  max(dim?: number, keepdim = false): Tensor | { values: Tensor; indices: Tensor } {
    return dim === undefined ? red.maxAll(this, true) : red.maxDim(this, dim, keepdim, true);
  }
  /** Minimum of all elements, or `{ values, indices }` along `dim`. @example x.min(0).indices */
  min(): Tensor;
  min(dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor };
  min(dim?: number, keepdim = false): Tensor | { values: Tensor; indices: Tensor } {
    return dim === undefined ? red.maxAll(this, false) : red.maxDim(this, dim, keepdim, false);
  }
  /** Index of the maximum (flattened when `dim` is omitted). @example logits.argmax(1) */
  argmax(dim?: number | null, keepdim = false): Tensor {
    return red.argExtreme(this, dim ?? null, keepdim, true);
  }
  /** Index of the minimum. @example x.argmin() */
  argmin(dim?: number | null, keepdim = false): Tensor {
    return red.argExtreme(this, dim ?? null, keepdim, false);
  }
  /** Variance (Bessel-corrected by default). @example x.var(); x.var(0, { correction: 0 }) */
  var(dim?: number | readonly number[] | null, options: VarOptions = {}): Tensor {
    return red.variance(this, dim ?? null, options, false);
  }
  /** Standard deviation (Bessel-corrected by default). @example x.std(1, { keepdim: true }) */
  std(dim?: number | readonly number[] | null, options: VarOptions = {}): Tensor {
    return red.variance(this, dim ?? null, options, true);
  }
  /** `log(sum(exp(x)))` over dims, computed stably. @example x.logsumexp(1) */
  logsumexp(dim: number | readonly number[], keepdim = false): Tensor {
    return red.logsumexp(this, dim, keepdim);
  }
  /** Softmax along a dim. @example logits.softmax(-1) */
  softmax(dim: number): Tensor {
    return red.softmax(this, dim, false);
  }
  /** Log-softmax along a dim. @example logits.logSoftmax(-1) */
  logSoftmax(dim: number): Tensor {
    return red.softmax(this, dim, true);
  }
  /** p-norm over all elements or dims (`torch.linalg.vector_norm`). @example g.norm() */
  norm(p = 2, dim?: number | readonly number[] | null, keepdim = false): Tensor {
    return red.norm(this, p, dim ?? null, keepdim);
  }

  // ---- views and reshaping ------------------------------------------------------------------

  /** Same data with a new shape, copying only when a view is impossible. @example x.reshape([-1, 2]) */
  reshape(shape: readonly number[]): Tensor {
    return mv.reshape(this, shape);
  }
  /** A view with a new shape; fails when the strides do not allow it. @example x.view([3, 2]) */
  view(shape: readonly number[]): Tensor {
    return mv.view(this, shape);
  }
  /** Flatten dims `startDim..endDim` into one. @example x.flatten(1) */
  flatten(startDim = 0, endDim = -1): Tensor {
    return mv.flatten(this, startDim, endDim);
  }
  /** Swap two dims (a view). @example x.transpose(0, 1) */
  transpose(dim0: number, dim1: number): Tensor {
    return mv.transpose(this, dim0, dim1);
  }
  /** Transpose a tensor of at most 2 dims. @example w.t() */
  t(): Tensor {
    return mv.t(this);
  }
  /** Reorder dims (a view). @example x.permute([0, 2, 1]) */
  permute(dims: readonly number[]): Tensor {
    return mv.permute(this, dims);
  }
  /** Insert a size-1 dim. @example x.unsqueeze(0) */
  unsqueeze(dim: number): Tensor {
    return mv.unsqueeze(this, dim);
  }
  /** Remove size-1 dims (all, or the given one when it has size 1). @example x.squeeze(1) */
  squeeze(dim?: number): Tensor {
    return mv.squeeze(this, dim);
  }
  /** Broadcast to a larger shape without copying (-1 keeps a dim). @example b.expand([4, 3]) */
  expand(shape: readonly number[]): Tensor {
    return mv.expand(this, shape);
  }
  /** Expand to another tensor's shape. @example b.expandAs(x) */
  expandAs(other: Tensor): Tensor {
    return mv.expand(this, other.shape);
  }
  /** This tensor if contiguous, else a contiguous copy. @example x.t().contiguous() */
  contiguous(): Tensor {
    return mv.contiguous(this);
  }
  /** A copy that stays in the graph. @example x.clone() */
  clone(): Tensor {
    return mv.clone(this);
  }
  /** Index one position of a dim, removing it (a view). @example x.select(0, 1) */
  select(dim: number, index: number): Tensor {
    return mv.select(this, dim, index);
  }
  /** `length` positions of a dim starting at `start` (a view). @example x.narrow(1, 0, 2) */
  narrow(dim: number, start: number, length: number): Tensor {
    return mv.narrow(this, dim, start, length);
  }
  /** Python-style slice `x[start:end:step]` along a dim (a view). @example x.slice(0, 1, 3) */
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
    return mv.slice(this, dim, start ?? null, end ?? null, step);
  }
  /** Split into chunks of `splitSize` along a dim (views). @example x.split(2, 0) */
  split(splitSize: number, dim = 0): Tensor[] {
    return mv.split(this, splitSize, dim);
  }
  /** Split into `chunks` nearly equal views along a dim. @example x.chunk(3, 1) */
  chunk(chunks: number, dim = 0): Tensor[] {
    return mv.chunk(this, chunks, dim);
  }
  /** Repeat the tensor along each dim (a copy). @example x.repeat([2, 1]) */
  repeat(repeats: readonly number[]): Tensor {
    return mv.repeat(this, repeats);
  }

  // ---- indexing -----------------------------------------------------------------------------

  /** Rows (or slices along `dim`) picked by an int index tensor. @example emb.indexSelect(0, ids) */
  indexSelect(dim: number, index: Tensor): Tensor {
    return idx.indexSelect(this, dim, index);
  }
  /** `out[i][j] = self[i][index[i][j]]` along `dim`. @example logp.gather(1, target.unsqueeze(1)) */
  gather(dim: number, index: Tensor): Tensor {
    return idx.gather(this, dim, index);
  }

  // ---- matrix products ----------------------------------------------------------------------

  /** Matrix product with all of `torch.matmul`'s cases. @example x.matmul(w) */
  matmul(other: Tensor): Tensor {
    return mm.matmul(this, other);
  }
  /** 2-D matrix product. @example a.mm(b) */
  mm(other: Tensor): Tensor {
    return mm.mm(this, other);
  }
  /** Batched 3-D matrix product. @example a.bmm(b) */
  bmm(other: Tensor): Tensor {
    return mm.bmm(this, other);
  }
  /** Dot product of two 1-D tensors. @example u.dot(v) */
  dot(other: Tensor): Tensor {
    return mm.dot(this, other);
  }

  // ---- dtype conversion ---------------------------------------------------------------------

  /** Convert to a dtype (a no-op returning this tensor when it already has it). @example x.to("float64") */
  to(dtype: DType): Tensor {
    return cast.to(this, dtype);
  }
  /** Convert to float32. @example x.float() */
  float(): Tensor {
    return cast.to(this, "float32");
  }
  /** Convert to float64. @example x.double() */
  double(): Tensor {
    return cast.to(this, "float64");
  }
  /** Convert to int32 (PyTorch's int64), truncating toward zero. @example x.long() */
  long(): Tensor {
    return cast.to(this, "int32");
  }
  /** Convert to int32. @example x.int() */
  int(): Tensor {
    return cast.to(this, "int32");
  }
  /** Convert to bool (nonzero is true). @example x.bool() */
  bool(): Tensor {
    return cast.to(this, "bool");
  }

  // ---- in-place operations ------------------------------------------------------------------

  /** In-place `self += alpha·other`. @example p.add_(g, { alpha: -lr }) */
  add_(other: TensorLike, options: { alpha?: number } = {}): this {
    return inplace.binaryInplace(this, "add", other, options.alpha ?? 1);
  }
  /** In-place `self −= alpha·other`. @example x.sub_(1) */
  sub_(other: TensorLike, options: { alpha?: number } = {}): this {
    return inplace.binaryInplace(this, "sub", other, options.alpha ?? 1);
  }
  /** In-place multiply. @example buf.mul_(momentum) */
  mul_(other: TensorLike): this {
    return inplace.binaryInplace(this, "mul", other, 1);
  }
  /** In-place divide. @example x.div_(2) */
  div_(other: TensorLike): this {
    return inplace.binaryInplace(this, "div", other, 1);
  }
  /** In-place `self += value·t1·t2`. @example v.addcmul_(g, g, { value: 1 - beta2 }) */
  addcmul_(t1: Tensor, t2: Tensor, options: { value?: number } = {}): this {
    return inplace.addcmulInplace(this, t1, t2, options.value ?? 1);
  }
  /** In-place `self += value·t1/t2`. @example p.addcdiv_(m, denom, { value: -stepSize }) */
  addcdiv_(t1: Tensor, t2: Tensor, options: { value?: number } = {}): this {
    return inplace.addcdivInplace(this, t1, t2, options.value ?? 1);
  }
  /** In-place linear interpolation `self += weight·(end − self)`. @example m.lerp_(g, 1 - beta1) */
  lerp_(end: Tensor, weight: number | Tensor): this {
    return inplace.lerpInplace(this, end, weight);
  }
  /** In-place square root. @example v.sqrt_() */
  sqrt_(): this {
    return inplace.unaryInplace(this, "sqrt");
  }
  /** In-place negation. @example g.neg_() */
  neg_(): this {
    return inplace.unaryInplace(this, "neg");
  }
  /** In-place exponential. @example x.exp_() */
  exp_(): this {
    return inplace.unaryInplace(this, "exp");
  }
  /** In-place clamp. @example x.clamp_(-1, 1) */
  clamp_(min?: number | null, max?: number | null): this {
    return inplace.clampInplace(this, min ?? null, max ?? null);
  }
  /** Copy values from `src` (broadcast, converted to this dtype). @example p.copy_(saved) */
  copy_(src: TensorLike): this {
    return inplace.copyInplace(this, src);
  }
  /** Set every element to 0. @example g.zero_() */
  zero_(): this {
    return inplace.fillInplace(this, 0, true);
  }
  /** Set every element to `value`. @example b.fill_(0.1) */
  fill_(value: number): this {
    return inplace.fillInplace(this, value);
  }
  /** Fill positions where `mask` is true with `value`, in place. @example x.maskedFill_(m, 0) */
  maskedFill_(mask: Tensor, value: number): this {
    return inplace.maskedFillInplace(this, mask, value);
  }
  /** Fill with uniform samples in `[from, to)` from PyTorch's generator. @example w.uniform_(-0.1, 0.1) */
  uniform_(from = 0, to = 1, options: { generator?: Generator } = {}): this {
    uniformInPlace(this, from, to, options.generator);
    return this;
  }
  /** Fill with normal samples from PyTorch's generator. @example w.normal_(0, 0.02) */
  normal_(mean = 0, std = 1, options: { generator?: Generator } = {}): this {
    normalInPlace(this, mean, std, options.generator);
    return this;
  }
  /** Fill with Bernoulli(p) samples (0/1) from PyTorch's generator. @example mask.bernoulli_(0.9) */
  bernoulli_(p = 0.5, options: { generator?: Generator } = {}): this {
    bernoulliInPlace(this, p, options.generator);
    return this;
  }
}
