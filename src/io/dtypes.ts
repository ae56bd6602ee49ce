/**
 * The safetensors element types tsgrad reads and writes, and how they map to tsgrad dtypes.
 *
 * @module
 */

import type { DType } from "../tensor/dtype.js";

/** A safetensors dtype name as it appears in a header. */
export type SafetensorsDtype =
  "BOOL" | "U8" | "I8" | "I16" | "U16" | "F16" | "BF16" | "I32" | "U32" | "F32" | "F64" | "I64" | "U64";

/**
 * Bytes per element and the position in the reference implementation's `Dtype` enum, whose
 * descending order is the order tensors are laid out in (largest alignment first).
 * @example DTYPE_INFO.F32.size // 4
 */
export const DTYPE_INFO: Readonly<Record<SafetensorsDtype, { size: number; rank: number }>> = {
  BOOL: { size: 1, rank: 0 },
  U8: { size: 1, rank: 1 },
  I8: { size: 1, rank: 2 },
  I16: { size: 2, rank: 5 },
  U16: { size: 2, rank: 6 },
  F16: { size: 2, rank: 7 },
  BF16: { size: 2, rank: 8 },
  I32: { size: 4, rank: 9 },
  U32: { size: 4, rank: 10 },
  F32: { size: 4, rank: 11 },
  F64: { size: 8, rank: 12 },
  I64: { size: 8, rank: 13 },
  U64: { size: 8, rank: 14 },
};

/**
 * Dtypes the format defines that tsgrad cannot represent (8-bit floats and newer).
 * @example UNSUPPORTED_DTYPES.includes("F8_E4M3") // true
 */
export const UNSUPPORTED_DTYPES: readonly string[] = [
  "F8_E5M2",
  "F8_E4M3",
  "F8_E8M0",
  "F4",
  "F6_E2M3",
  "F6_E3M2",
  "C64",
];

/**
 * Whether `name` is a safetensors dtype tsgrad reads.
 * @example isSafetensorsDtype("F32") // true
 */
export function isSafetensorsDtype(name: unknown): name is SafetensorsDtype {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(DTYPE_INFO, name);
}

/**
 * The safetensors dtype a tsgrad tensor is written as: int32 tensors are widened to I64, the
 * dtype PyTorch gives the same values.
 * @example safetensorsDtypeOf("int32") // "I64"
 */
export function safetensorsDtypeOf(dtype: DType): SafetensorsDtype {
  return ({ float32: "F32", float64: "F64", int32: "I64", bool: "BOOL" } as const)[dtype];
}

/**
 * The tsgrad dtype a safetensors dtype is read into: half floats widen to float32, integers
 * narrow to int32 (values outside int32 are an error at load time).
 * @example tsgradDtypeOf("BF16") // "float32"
 */
export function tsgradDtypeOf(dtype: SafetensorsDtype): DType {
  switch (dtype) {
    case "BOOL":
      return "bool";
    case "F16":
    case "BF16":
    case "F32":
      return "float32";
    case "F64":
      return "float64";
    default:
      return "int32";
  }
}
