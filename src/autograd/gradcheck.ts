import { RuntimeError } from "../util/errors.js";
import { noGrad } from "./grad-mode.js";
import type { Tensor } from "../tensor/tensor.js";

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Finite-difference step. */
  eps?: number;
  /** Absolute tolerance. */
  atol?: number;
  /** Relative tolerance. */
  rtol?: number;
  /** Throw on failure (default) or return false. */
  raiseException?: boolean;
}

/**
 * Compare autograd's gradients of `fn` with central finite differences, as `torch.autograd.gradcheck`
 * does: every input that requires grad must be float64; the output may be any shape (each output
 * element is checked through a vector-Jacobian product with a one-hot vector).
 *
 * @example
 * ```ts
 * const x = tg.randn([3], { dtype: "float64", requiresGrad: true });
 * tg.autograd.gradcheck((a) => a.exp().sum(), [x]); // true
 * ```
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options: GradcheckOptions = {},
): boolean {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raiseException = true } = options;
  const diff = inputs.filter((t) => t.requiresGrad);
  for (const t of diff) {
    if (t.dtype !== "float64") {
      throw new RuntimeError(
        "gradcheck expects float64 inputs that require grad (finite differences need double precision)",
      );
    }
  }
  const out0 = noGrad(() => fn(...inputs));
  const nOut = out0.numel();
  for (let o = 0; o < nOut; o++) {
    for (const t of diff) t.grad = null;
    const out = fn(...inputs);
    const seed = out.detach().clone().zero_();
    seed.data[o] = 1;
    out.backward(seed);
    for (const t of diff) {
      const analytic = t.grad;
      const n = t.numel();
      const base = t.contiguous();
      if (base !== t) throw new RuntimeError("gradcheck inputs must be contiguous");
      for (let i = 0; i < n; i++) {
        const at = t.offset + i;
        const orig = t.data[at] as number;
        t.data[at] = orig + eps;
        const plus = noGrad(() => fn(...inputs)).contiguous().data[o] as number;
        t.data[at] = orig - eps;
        const minus = noGrad(() => fn(...inputs)).contiguous().data[o] as number;
        t.data[at] = orig;
        const numeric = (plus - minus) / (2 * eps);
        const a = analytic ? (analytic.contiguous().data[i] as number) : 0;
        if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
          if (!raiseException) return false;
          throw new RuntimeError(
            `Jacobian mismatch for output ${o} with respect to input element ${i}: numerical ${numeric}, analytical ${a}`,
          );
        }
      }
    }
  }
  for (const t of diff) t.grad = null;
  return true;
}
