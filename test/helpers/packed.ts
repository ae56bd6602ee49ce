import { createHash } from "node:crypto";

/** A float tensor as scripts/fixtures/training.py packs it: base64 of its little-endian bytes. */
export interface PackedTensor {
  dtype: "float32" | "float64";
  shape: number[];
  b64: string;
}

/** Decode a {@link PackedTensor} into its values, exactly (byte order fixed to little-endian). */
export function unpack(t: PackedTensor): Float64Array | Float32Array {
  const bytes = Buffer.from(t.b64, "base64");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = t.dtype === "float64" ? 8 : 4;
  const n = bytes.byteLength / width;
  const expected = t.shape.reduce((a, b) => a * b, 1);
  if (n !== expected) throw new Error(`packed tensor holds ${n} values, shape ${JSON.stringify(t.shape)}`);
  if (t.dtype === "float64") {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
    return out;
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

/** SHA-256 (hex) of the values as little-endian float64 bytes, as training.py's `digest` computes it. */
export function sha256Float64(values: ArrayLike<number>): string {
  const view = new DataView(new ArrayBuffer(8 * values.length));
  for (let i = 0; i < values.length; i++) view.setFloat64(8 * i, values[i] as number, true);
  return createHash("sha256").update(new Uint8Array(view.buffer)).digest("hex");
}
