import { elementOffsets } from "../backend/js/strided-loop.js";
import { RuntimeError } from "../util/errors.js";
import { noGrad } from "./grad-mode.js";
import type { Tensor } from "../tensor/tensor.js";

/** Options of {@link gradcheck} (PyTorch's defaults). */
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

function values(t: Tensor): Float64Array {
  return Float64Array.from(t.toTypedArray() as ArrayLike<number>);
}

/**
 * Compare autograd's gradients of `fn` with central finite differences, as
 * `torch.autograd.gradcheck` does: every input that requires grad must be float64. The numerical
 * Jacobian is built one input element at a time (two forward passes each); the analytical one one
 * output element at a time (a backward pass with a one-hot gradient). They must agree within
 * `|analytical − numerical| ≤ atol + rtol·|numerical|` element by element. Inputs' `.grad` are left
 * as they were.
 *
 * @example
 * ```ts
 * const x = tg.tensor([0.5, -1.2, 2], { dtype: "float64", requiresGrad: true });
 * tg.autograd.gradcheck((a) => a.exp().sum(), [x]); // true
 * ```
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options: GradcheckOptions = {},
): boolean {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raiseException = true } = options;
  const diff = inputs.map((t, i) => ({ t, i })).filter(({ t }) => t.requiresGrad);
  for (const { t, i } of diff) {
    if (t.dtype !== "float64") {
      throw new RuntimeError(
        `gradcheck: input #${i} requires gradient and is not a double precision floating point tensor (finite differences need float64)`,
      );
    }
  }
  if (diff.length === 0) {
    throw new RuntimeError("gradcheck expects at least one input tensor to require gradient");
  }
  const out0 = noGrad(() => fn(...inputs));
  if (out0.dtype !== "float64") {
    throw new RuntimeError(`gradcheck: the output must be float64, got ${out0.dtype}`);
  }
  const nOut = out0.numel();
  const saved = diff.map(({ t }) => t.grad);

  // Numerical Jacobians: row k of input j holds d(output)/d(x_j[k]).
  const numerical = diff.map(({ t }) => {
    const offsets = elementOffsets(t.shape, t.strides, t.offset);
    const jac = new Float64Array(offsets.length * nOut);
    offsets.forEach((at, k) => {
      const orig = t.data[at] as number;
      t.data[at] = orig + eps;
      const plus = values(noGrad(() => fn(...inputs)));
      t.data[at] = orig - eps;
      const minus = values(noGrad(() => fn(...inputs)));
      t.data[at] = orig;
      for (let o = 0; o < nOut; o++)
        jac[k * nOut + o] = ((plus[o] as number) - (minus[o] as number)) / (2 * eps);
    });
    return jac;
  });

  // Analytical Jacobians, one output element at a time.
  const analytical = diff.map(({ t }) => new Float64Array(t.numel() * nOut));
  for (let o = 0; o < nOut; o++) {
    for (const { t } of diff) t.grad = null;
    const out = fn(...inputs);
    if (!out.requiresGrad) break;
    const seed = out.detach().clone().zero_();
    seed.data[o] = 1;
    out.backward(seed);
    diff.forEach(({ t }, j) => {
      if (t.grad === null) return;
      const g = values(t.grad);
      const jac = analytical[j] as Float64Array;
      for (let k = 0; k < g.length; k++) jac[k * nOut + o] = g[k] as number;
    });
  }
  diff.forEach(({ t }, j) => {
    t.grad = saved[j] ?? null;
  });

  for (let j = 0; j < diff.length; j++) {
    const a = analytical[j] as Float64Array;
    const n = numerical[j] as Float64Array;
    for (let e = 0; e < a.length; e++) {
      const av = a[e] as number;
      const nv = n[e] as number;
      if (!(Math.abs(av - nv) <= atol + rtol * Math.abs(nv))) {
        if (!raiseException) return false;
        const o = e % nOut;
        const k = (e - o) / nOut;
        throw new RuntimeError(
          `Jacobian mismatch for output ${o} with respect to input ${diff[j]!.i} element ${k}: numerical ${nv}, analytical ${av}`,
        );
      }
    }
  }
  return true;
}
