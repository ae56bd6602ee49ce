/**
 * Element types. Integer tensors are int32 where PyTorch would use int64: the values match for
 * everything a training script does, and an Int32Array is the fastest integer storage in JS.
 *
 * @example
 * ```ts
 * const t = tg.tensor([1, 2], { dtype: "float64" });
 * t.dtype; // "float64"
 * ```
 */
export type DType = "float32" | "float64" | "int32" | "bool";

/** The floating-point dtypes, the only ones that can require gradients. */
export type FloatDType = "float32" | "float64";

/** Storage for one dtype. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** The storage class behind each dtype. */
export type ArrayFor<D extends DType> = D extends "float32"
  ? Float32Array
  : D extends "float64"
    ? Float64Array
    : D extends "int32"
      ? Int32Array
      : Uint8Array;

const DTYPES: readonly DType[] = ["float32", "float64", "int32", "bool"];

/** Whether `x` names a dtype. @example isDType("float64") // true */
export function isDType(x: unknown): x is DType {
  return typeof x === "string" && (DTYPES as readonly string[]).includes(x);
}

/** Whether the dtype is float32 or float64. @example isFloatingDType("int32") // false */
export function isFloatingDType(dtype: DType): dtype is FloatDType {
  return dtype === "float32" || dtype === "float64";
}

/**
 * Allocate zeroed storage for `n` elements of `dtype`.
 * @example allocate("float32", 3) // Float32Array [0, 0, 0]
 */
export function allocate(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(n);
    case "float64":
      return new Float64Array(n);
    case "int32":
      return new Int32Array(n);
    case "bool":
      return new Uint8Array(n);
  }
}

/**
 * The dtype whose storage class `data` is.
 * @example dtypeOfArray(new Float64Array(2)) // "float64"
 */
export function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Int32Array) return "int32";
  return "bool";
}

/** PyTorch's spelling of a dtype, as printed in reprs and messages. @example torchName("float64") // "torch.float64" */
export function torchName(dtype: DType): string {
  return dtype === "int32" ? "torch.int64" : `torch.${dtype}`;
}

/**
 * PyTorch's legacy tensor-type name used in some error messages (`torch.FloatTensor`).
 * @example legacyTypeName("float64") // "torch.DoubleTensor"
 */
export function legacyTypeName(dtype: DType): string {
  switch (dtype) {
    case "float32":
      return "torch.FloatTensor";
    case "float64":
      return "torch.DoubleTensor";
    case "int32":
      return "torch.LongTensor";
    case "bool":
      return "torch.BoolTensor";
  }
}

let defaultFloat: FloatDType = "float32";

/**
 * Set the dtype of floating tensors created without an explicit dtype (`torch.set_default_dtype`).
 * @example tg.setDefaultDtype("float64"); tg.tensor([0.5]).dtype // "float64"
 */
export function setDefaultDtype(dtype: FloatDType): void {
  if (!isDType(dtype) || !isFloatingDType(dtype)) {
    throw new TypeError(`only floating-point types are supported as the default type, got ${String(dtype)}`);
  }
  defaultFloat = dtype;
}

/** The current default floating dtype (`torch.get_default_dtype`). @example tg.getDefaultDtype() // "float32" */
export function getDefaultDtype(): FloatDType {
  return defaultFloat;
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/**
 * The smallest dtype that holds both (`torch.promote_types`): bool < int32 < float32 < float64.
 * @example promoteTypes("float32", "float64") // "float64"
 */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The category of a dtype for PyTorch's result-type rules: 0 bool, 1 integer, 2 floating.
 * @example dtypeCategory("int32"); // 1, so an int32 tensor plus 2.5 gives a floating result
 */
export function dtypeCategory(dtype: DType): 0 | 1 | 2 {
  return dtype === "bool" ? 0 : dtype === "int32" ? 1 : 2;
}
