/**
 * Conversions between tsgrad tensors (and typed arrays) and safetensors byte buffers, little-endian
 * on any host.
 *
 * @module
 */

import type { TypedArray } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { RuntimeError } from "../util/errors.js";
import { safetensorsDtypeOf, tsgradDtypeOf, type SafetensorsDtype } from "./dtypes.js";
import type { RawTensor } from "./safetensors.js";

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const INT32_MAX = 2147483647;

/** The bytes of a typed array in little-endian order (a view when the host is little-endian). */
function leBytes(a: Float32Array | Float64Array | Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const v = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) {
    if (a instanceof Float32Array) v.setFloat32(4 * i, a[i]!, true);
    else if (a instanceof Float64Array) v.setFloat64(8 * i, a[i]!, true);
    else v.setInt32(4 * i, a[i]!, true);
  }
  return out;
}

/**
 * A tensor's values as a safetensors entry: float32 → F32, float64 → F64, bool → BOOL, and int32
 * → I64 (sign-extended, the dtype PyTorch's integer tensors have).
 * @example tensorToRaw("fc.weight", w)
 */
export function tensorToRaw(name: string, t: Tensor): RawTensor {
  const values = t.toTypedArray();
  const dtype = safetensorsDtypeOf(t.dtype);
  let bytes: Uint8Array;
  if (t.dtype === "bool") {
    bytes = Uint8Array.from(values as Uint8Array, (v) => (v ? 1 : 0));
  } else if (t.dtype === "int32") {
    const ints = values as Int32Array;
    bytes = new Uint8Array(ints.length * 8);
    const v = new DataView(bytes.buffer);
    for (let i = 0; i < ints.length; i++) {
      v.setInt32(8 * i, ints[i]!, true);
      v.setInt32(8 * i + 4, ints[i]! >> 31, true);
    }
  } else {
    bytes = leBytes(values as Float32Array | Float64Array);
  }
  return { name, dtype, shape: [...t.shape], bytes };
}

/**
 * A typed array as a 1-D safetensors entry of its own element type (U8, I32, F32, F64).
 * @example typedArrayToRaw("rng", tg.getRngState())
 */
export function typedArrayToRaw(name: string, a: TypedArray): RawTensor {
  if (a instanceof Uint8Array) return { name, dtype: "U8", shape: [a.length], bytes: a.slice() };
  const dtype: SafetensorsDtype =
    a instanceof Float32Array ? "F32" : a instanceof Float64Array ? "F64" : "I32";
  return { name, dtype, shape: [a.length], bytes: leBytes(a).slice() };
}

/** IEEE half-precision bits to a double (exact). */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}

/**
 * The values of a safetensors entry in the tsgrad storage class they load into (see
 * `tsgradDtypeOf`); integers outside int32 are an error naming the file, tensor and element.
 * @example const values = rawValues(raw, "model.safetensors");
 */
export function rawValues(raw: RawTensor, source: string): TypedArray {
  const b = raw.bytes;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const outOfRange = (i: number, value: bigint | number): never => {
    throw new RuntimeError(
      `${source}: tensor ${JSON.stringify(raw.name)} (${raw.dtype}) holds ${value} at element ${i}, outside the int32 range tsgrad stores integers in`,
    );
  };
  switch (raw.dtype) {
    case "F32": {
      if (LITTLE_ENDIAN) return new Float32Array(b.slice().buffer);
      const out = new Float32Array(b.length / 4);
      for (let i = 0; i < out.length; i++) out[i] = v.getFloat32(4 * i, true);
      return out;
    }
    case "F64": {
      if (LITTLE_ENDIAN) return new Float64Array(b.slice().buffer);
      const out = new Float64Array(b.length / 8);
      for (let i = 0; i < out.length; i++) out[i] = v.getFloat64(8 * i, true);
      return out;
    }
    case "F16": {
      const out = new Float32Array(b.length / 2);
      for (let i = 0; i < out.length; i++) out[i] = halfToNumber(v.getUint16(2 * i, true));
      return out;
    }
    case "BF16": {
      const out = new Float32Array(b.length / 2);
      const scratch = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < out.length; i++) {
        scratch.setUint32(0, v.getUint16(2 * i, true) << 16);
        out[i] = scratch.getFloat32(0);
      }
      return out;
    }
    case "BOOL":
      return Uint8Array.from(b, (x) => (x ? 1 : 0));
    case "U8":
      return Int32Array.from(b);
    case "I8":
      return Int32Array.from(new Int8Array(b.buffer, b.byteOffset, b.length));
    case "I16":
    case "U16": {
      const out = new Int32Array(b.length / 2);
      for (let i = 0; i < out.length; i++) {
        out[i] = raw.dtype === "I16" ? v.getInt16(2 * i, true) : v.getUint16(2 * i, true);
      }
      return out;
    }
    case "I32":
    case "U32": {
      const out = new Int32Array(b.length / 4);
      for (let i = 0; i < out.length; i++) {
        if (raw.dtype === "I32") out[i] = v.getInt32(4 * i, true);
        else {
          const x = v.getUint32(4 * i, true);
          if (x > INT32_MAX) outOfRange(i, x);
          out[i] = x;
        }
      }
      return out;
    }
    case "I64":
    case "U64": {
      const out = new Int32Array(b.length / 8);
      for (let i = 0; i < out.length; i++) {
        const lo = v.getInt32(8 * i, true);
        const hi = v.getInt32(8 * i + 4, true);
        const fits = raw.dtype === "I64" ? hi === lo >> 31 : hi === 0 && lo >= 0;
        if (!fits) {
          outOfRange(i, raw.dtype === "I64" ? v.getBigInt64(8 * i, true) : v.getBigUint64(8 * i, true));
        }
        out[i] = lo;
      }
      return out;
    }
  }
}

/**
 * A safetensors entry as a new tsgrad tensor (it owns its storage; see `rawValues` for dtypes).
 * @example const w = rawToTensor(raw, "model.safetensors");
 */
export function rawToTensor(raw: RawTensor, source: string): Tensor {
  const values = rawValues(raw, source);
  const t = new Tensor(values, raw.shape);
  if (t.dtype !== tsgradDtypeOf(raw.dtype))
    throw new RuntimeError(`internal: ${raw.dtype} decoded as ${t.dtype}`);
  return t;
}

/**
 * A 1-D U8/I32/F32/F64 entry back as the typed array it was saved from.
 * @example const state = rawToTypedArray(raw, "ckpt.safetensors"); // Uint8Array
 */
export function rawToTypedArray(raw: RawTensor, source: string): TypedArray {
  if (raw.shape.length !== 1) {
    throw new RuntimeError(
      `${source}: typed array ${JSON.stringify(raw.name)} must be 1-D, got shape [${raw.shape.join(", ")}]`,
    );
  }
  switch (raw.dtype) {
    case "U8":
      return raw.bytes.slice();
    case "I32":
    case "F32":
    case "F64":
      return rawValues(raw, source);
    default:
      throw new RuntimeError(
        `${source}: typed array ${JSON.stringify(raw.name)} has dtype ${raw.dtype}; expected U8, I32, F32 or F64`,
      );
  }
}
