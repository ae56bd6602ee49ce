// PLACEHOLDER so the core compiles; the RNG helper owns this file and replaces it entirely.
import type { Tensor } from "./tensor.js";

/** Placeholder for PyTorch's generator. */
export class Generator {}

/** Placeholder. */
export function uniformInPlace(_t: Tensor, _from: number, _to: number, _g?: Generator): void {
  throw new Error("random numbers are not available yet");
}
/** Placeholder. */
export function normalInPlace(_t: Tensor, _mean: number, _std: number, _g?: Generator): void {
  throw new Error("random numbers are not available yet");
}
/** Placeholder. */
export function bernoulliInPlace(_t: Tensor, _p: number, _g?: Generator): void {
  throw new Error("random numbers are not available yet");
}
