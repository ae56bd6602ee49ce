import { formatNumpy, type NumpyPrintOptions } from "../print/numpy-format.js";
import { formatTorch } from "../print/torch-format.js";
import type { Tensor } from "../tensor.js";

/**
 * The values of `t` as nested arrays in row-major order (bools as booleans).
 * @example toNested(tg.tensor([[1, 2], [3, 4]]).t()); // [[1, 3], [2, 4]] (follows the strides)
 */
export function toNested(t: Tensor): unknown {
  const isBool = t.dtype === "bool";
  const walk = (dim: number, offset: number): unknown => {
    if (dim === t.ndim) {
      const v = t.data[offset] as number;
      return isBool ? v !== 0 : v;
    }
    const out: unknown[] = [];
    const n = t.shape[dim] as number;
    const s = t.strides[dim] as number;
    for (let i = 0; i < n; i++) out.push(walk(dim + 1, offset + i * s));
    return out;
  };
  return walk(0, t.offset);
}

/**
 * PyTorch's `repr` of a tensor; `isParameter` adds the `Parameter containing:` line.
 * @example toTorchString(tg.tensor([1.5, 2])); // "tensor([1.5000, 2.0000])"
 */
export function toTorchString(t: Tensor, isParameter = false): string {
  return formatTorch({
    shape: t.shape,
    dtype: t.dtype,
    values: t.toTypedArray(),
    requiresGrad: t.requiresGrad,
    gradFnName: t.gradFn?.name ?? null,
    isParameter,
  });
}

/**
 * What numpy's `str()` prints for the same array after `np.set_printoptions(precision,
 * suppress=suppressSmall, ...)` — for scripts that print `w.detach().numpy()` in PyTorch.
 *
 * @example
 * ```ts
 * np.random.seed(123) ... console.log(tg.array2string(w, { precision: 8, suppressSmall: true }));
 * // [[0.43857224 0.0596779  0.39804426 0.73799541 0.18249173] ...
 * ```
 */
export function array2string(t: Tensor, options: Partial<NumpyPrintOptions> = {}): string {
  return formatNumpy(t.toTypedArray(), t.shape, t.dtype, options);
}
