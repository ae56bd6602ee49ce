import type { Tensor } from "../tensor/tensor.js";
import { legacyTypeName } from "../tensor/dtype.js";
import { formatShape } from "../tensor/shape.js";
import { RuntimeError } from "../util/errors.js";

/**
 * Where a gradient flows from a node's input: into the node that produced it, into a leaf's
 * `.grad`, or nowhere (the input does not require grad).
 */
export type Edge = { readonly node: Node } | { readonly leaf: Tensor } | null;

let nextSequenceNr = 0;

/**
 * One recorded differentiable operation (`grad_fn` in PyTorch). It keeps the inputs' metadata, the
 * tensors the backward rule needs (with their versions at save time) and op-specific constants.
 * The rule itself lives in the gradient-rule table under `op`.
 *
 * @example
 * ```ts
 * const y = x.mul(2);
 * y.gradFn?.name; // "MulBackward0"
 * ```
 */
export class Node {
  /** PyTorch's name for this node, e.g. `MulBackward0`; shown in reprs as `grad_fn=<...>`. */
  readonly name: string;
  /** Key of the backward rule in the gradient table. */
  readonly op: string;
  /** One edge per input of the forward op. */
  readonly next: readonly Edge[];
  /** Shape and dtype of each input, so incoming gradients can be checked and cast. */
  readonly inputMeta: ReadonlyArray<{ shape: readonly number[]; dtype: Tensor["dtype"] } | null>;
  /** Op-specific constants (dims, scalars, shapes) the rule needs. */
  readonly ctx: Record<string, unknown>;
  /** Creation order; the engine runs ready nodes newest first, as PyTorch's does. */
  readonly sequenceNr: number;
  /** The non-leaf output that asked to keep its gradient (`retainGrad()`), if any. */
  retained: Tensor | null = null;
  private savedTensors: Tensor[] | null;
  private savedVersions: number[];
  private savedIsOutput: boolean[];

  constructor(
    op: string,
    name: string,
    inputs: ReadonlyArray<Tensor | null>,
    ctx: Record<string, unknown> = {},
  ) {
    this.op = op;
    this.name = name;
    this.ctx = ctx;
    this.sequenceNr = nextSequenceNr++;
    this.next = inputs.map((t) => {
      if (t === null || !t.requiresGrad) return null;
      return t.gradFn ? { node: t.gradFn } : { leaf: t };
    });
    this.inputMeta = inputs.map((t) => (t === null ? null : { shape: t.shape, dtype: t.dtype }));
    this.savedTensors = [];
    this.savedVersions = [];
    this.savedIsOutput = [];
  }

  /**
   * Save tensors for the backward rule, remembering their versions so an in-place change made
   * before backward is detected. Pass `isOutput` for the op's own result (it names this node in
   * the error message, as PyTorch does).
   */
  save(tensors: readonly Tensor[], isOutput: readonly boolean[] = []): void {
    if (!this.savedTensors) return;
    tensors.forEach((t, i) => {
      this.savedTensors!.push(t);
      this.savedVersions.push(t._version.value);
      this.savedIsOutput.push(isOutput[i] ?? false);
    });
  }

  /** A saved tensor, checked for in-place modification and for a freed graph. */
  saved(i: number): Tensor {
    if (!this.savedTensors) {
      throw new RuntimeError(
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.",
      );
    }
    const t = this.savedTensors[i];
    if (!t) throw new RuntimeError(`internal: ${this.name} has no saved tensor ${i}`);
    const expected = this.savedVersions[i] as number;
    if (t._version.value !== expected) {
      const owner = this.savedIsOutput[i] ? this : t.gradFn;
      const which = owner ? `, which is output 0 of ${owner.name},` : "";
      throw new RuntimeError(
        `one of the variables needed for gradient computation has been modified by an inplace operation: [${legacyTypeName(
          t.dtype,
        )} ${formatShape(t.shape)}]${which} is at version ${t._version.value}; expected version ${expected} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).`,
      );
    }
    return t;
  }

  /** Whether this node saved any tensors (only those nodes fail on a second backward). */
  get hasSaved(): boolean {
    return this.savedTensors === null || this.savedTensors.length > 0;
  }

  /** Drop the saved tensors after backward unless the graph is retained. */
  release(): void {
    if (this.savedTensors && this.savedTensors.length > 0) this.savedTensors = null;
    // A CopySlices node runs the in-place op's own node inside it; that node is freed with it.
    const inner = this.ctx.fn;
    if (inner instanceof Node) inner.release();
  }
}
