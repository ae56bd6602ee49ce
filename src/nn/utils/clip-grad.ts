import { noGrad } from "../../autograd/grad-mode.js";
import { getDefaultDtype } from "../../tensor/dtype.js";
import { stack } from "../../tensor/ops/indexing.js";
import { Tensor } from "../../tensor/tensor.js";
import { RuntimeError } from "../../util/errors.js";
import { checkOptions, pyFloat } from "../options.js";

/** Parameters as PyTorch accepts them: one tensor or an iterable of tensors. */
export type ParamsArg = Tensor | Iterable<Tensor>;

function toList(parameters: ParamsArg): Tensor[] {
  return parameters instanceof Tensor ? [parameters] : [...parameters];
}

/** Options of {@link clipGradNorm_}, with PyTorch's defaults. */
export interface ClipGradNormOptions {
  /** The p of the norm: a number, `Infinity` or `"inf"` (default 2). */
  normType?: number | "inf";
  /** Throw when the total norm is NaN or infinite (default false). */
  errorIfNonfinite?: boolean;
}

/**
 * Scale gradients in place so that their joint `normType`-norm is at most `maxNorm` (PyTorch's
 * `clip_grad_norm_`) and return the total norm before clipping, with PyTorch's arithmetic: the
 * norm of the per-tensor norms; `coef = maxNorm / (total + 1e-6)` computed as PyTorch evaluates
 * it (`(total + 1e-6).reciprocal() * maxNorm`, in the gradients' dtype), clamped to 1.0; every
 * gradient multiplied by `coef` (also when it is 1).
 *
 * @throws RuntimeError with `errorIfNonfinite` when the total norm is not finite.
 * @example
 * ```ts
 * loss.backward();
 * const total = nn.utils.clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 * ```
 */
export function clipGradNorm_(
  parameters: ParamsArg,
  maxNorm: number,
  normType: number | "inf" | ClipGradNormOptions = 2,
  options: ClipGradNormOptions = {},
): Tensor {
  const merged = typeof normType === "object" ? normType : { ...options, normType };
  const o = checkOptions("clip_grad_norm_", merged, ["normType", "errorIfNonfinite"]);
  const p = o.normType === "inf" ? Infinity : Number(o.normType ?? 2);
  const grads = toList(parameters)
    .map((t) => t.grad)
    .filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return Tensor._empty([], getDefaultDtype());
  return noGrad(() => {
    let total: Tensor;
    if (p === Infinity) {
      const norms = grads.map((g) => g.detach().abs().max());
      total = norms.length === 1 ? (norms[0] as Tensor) : stack(norms).max();
    } else {
      total = stack(grads.map((g) => g.detach().norm(p))).norm(p);
    }
    if (o.errorIfNonfinite && !Number.isFinite(total.item())) {
      throw new RuntimeError(
        `The total norm of order ${pyFloat(p)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``,
      );
    }
    const coef = total.add(1e-6).reciprocal().mul(maxNorm).clamp(null, 1.0);
    for (const g of grads) g.detach().mul_(coef.to(g.dtype));
    return total;
  });
}

/**
 * Clamp every gradient in place into [−clipValue, clipValue] (PyTorch's `clip_grad_value_`).
 *
 * @example
 * ```ts
 * nn.utils.clipGradValue_(model.parameters(), 0.5);
 * ```
 */
export function clipGradValue_(parameters: ParamsArg, clipValue: number): void {
  noGrad(() => {
    for (const t of toList(parameters)) if (t.grad !== null) t.grad.clamp_(-clipValue, clipValue);
  });
}
