import type { Tensor } from "../tensor.js";

/** The values of `t` as nested arrays in row-major order (bools as booleans). */
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

/** PyTorch's repr of a tensor (wired to the exact formatter in tensor/print). */
export function toTorchString(t: Tensor): string {
  return `tensor(${JSON.stringify(toNested(t))})`;
}
