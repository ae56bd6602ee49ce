// Fused optimizer steps over a flat arena (placeholder until the kernels land).
export const OPTIM_KINDS = {};
export const OPTIM_TASK = {};
export function optimFunctions() {
  return "";
}
