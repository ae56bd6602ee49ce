/**
 * The safetensors file format, in memory: encode named byte buffers with a header, and decode a
 * file with every check the reference implementation makes, each failure naming the file and
 * what was expected. No file system access here, so browsers can use it.
 *
 * Layout: an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON
 * (`{"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}}`,
 * padded with spaces), then the data, which the offsets must tile exactly, without holes.
 *
 * @module
 */

import { RuntimeError } from "../util/errors.js";
import { DTYPE_INFO, isSafetensorsDtype, UNSUPPORTED_DTYPES, type SafetensorsDtype } from "./dtypes.js";

/** One tensor of a safetensors file: its name, dtype, shape and little-endian row-major bytes. */
export interface RawTensor {
  /** Key in the header. */
  name: string;
  /** Element type. */
  dtype: SafetensorsDtype;
  /** Dimensions (empty for a scalar). */
  shape: number[];
  /** The elements' bytes (a view into the file when decoded). */
  bytes: Uint8Array;
}

/** A decoded file: tensors in data order, and the `__metadata__` map (null when absent). */
export interface DecodedSafetensors {
  /** The tensors, in the order of their data in the file. */
  tensors: RawTensor[];
  /** The string-to-string metadata, or null. */
  metadata: Record<string, string> | null;
}

/**
 * The largest header the reference implementation accepts (100 MB).
 * @example MAX_HEADER_SIZE // 100_000_000
 */
export const MAX_HEADER_SIZE = 100_000_000;

const METADATA_KEY = "__metadata__";
const utf8 = new TextEncoder();

/** Compare strings by their UTF-8 bytes, as Rust's `str` ordering does. */
function compareUtf8(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Serialise tensors and metadata to safetensors bytes, laid out as the reference implementation
 * does: tensors sorted by dtype alignment (largest first) then by name, compact JSON with
 * `__metadata__` first (its keys sorted, for reproducible files), header padded with spaces to
 * a multiple of 8 bytes so every tensor's data is aligned.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors([{ name: "w", dtype: "F32", shape: [2], bytes: new Uint8Array(8) }], { format: "pt" });
 * ```
 */
export function encodeSafetensors(
  tensors: readonly RawTensor[],
  metadata: Readonly<Record<string, string>> | null = null,
): Uint8Array {
  const seen = new Set<string>();
  for (const t of tensors) {
    if (t.name === METADATA_KEY) throw new RuntimeError(`a tensor cannot be named ${METADATA_KEY}`);
    if (seen.has(t.name)) throw new RuntimeError(`duplicate tensor name ${JSON.stringify(t.name)}`);
    seen.add(t.name);
    const expected = numel(t.shape) * DTYPE_INFO[t.dtype].size;
    if (t.bytes.length !== expected) {
      throw new RuntimeError(
        `tensor ${JSON.stringify(t.name)}: ${t.bytes.length} bytes given for shape [${t.shape.join(", ")}] of ${t.dtype} (expected ${expected})`,
      );
    }
  }
  const ordered = [...tensors].sort(
    (a, b) => DTYPE_INFO[b.dtype].rank - DTYPE_INFO[a.dtype].rank || compareUtf8(a.name, b.name),
  );
  const parts: string[] = [];
  if (metadata !== null) {
    const keys = Object.keys(metadata).sort(compareUtf8);
    for (const k of keys) {
      if (typeof metadata[k] !== "string") {
        throw new TypeError(`safetensors metadata values must be strings; ${JSON.stringify(k)} is not`);
      }
    }
    parts.push(
      `${JSON.stringify(METADATA_KEY)}:{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(",")}}`,
    );
  }
  let offset = 0;
  for (const t of ordered) {
    const end = offset + t.bytes.length;
    parts.push(
      `${JSON.stringify(t.name)}:{"dtype":${JSON.stringify(t.dtype)},"shape":[${t.shape.join(",")}],"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }
  const json = utf8.encode(`{${parts.join(",")}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const t of ordered) {
    out.set(t.bytes, at);
    at += t.bytes.length;
  }
  return out;
}

function fail(source: string, message: string): never {
  throw new RuntimeError(`${source}: not a valid safetensors file: ${message}`);
}

function isNonNegativeInteger(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

/**
 * Parse safetensors bytes, checking everything the reference implementation checks: the length
 * field, the header's size (at most 100 MB and within the file), UTF-8 and JSON, each entry's
 * dtype, shape and offsets, that offsets are ordered without overlaps or holes, that each span
 * matches shape × dtype size, and that the data ends exactly at the end of the file. `source`
 * (a path) starts every error message.
 *
 * @example
 * ```ts
 * const { tensors, metadata } = decodeSafetensors(bytes, "model.safetensors");
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array, source = "<bytes>"): DecodedSafetensors {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("decodeSafetensors expects a Uint8Array");
  const size = bytes.length;
  if (size < 8) {
    fail(source, `the file has ${size} bytes, fewer than the 8-byte header length field (truncated?)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, size);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_SIZE)) {
    fail(source, `the header length field says ${n64} bytes, more than the ${MAX_HEADER_SIZE}-byte limit`);
  }
  const n = Number(n64);
  if (8 + n > size) {
    fail(
      source,
      `the header length field says ${n} bytes but only ${size - 8} bytes follow it (truncated, or not a safetensors file)`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail(source, "the header is not valid UTF-8");
  }
  if (!text.startsWith("{"))
    fail(
      source,
      `the header must be a JSON object starting with '{', got ${JSON.stringify(text.slice(0, 20))}`,
    );
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(source, `the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    fail(source, "the header must be a JSON object");
  }
  let metadata: Record<string, string> | null = null;
  const tensors: Array<RawTensor & { begin: number; end: number }> = [];
  const dataSize = size - 8 - n;
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (info === null) continue;
      if (typeof info !== "object" || Array.isArray(info))
        fail(source, `${METADATA_KEY} must be an object of strings`);
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== "string") {
          fail(
            source,
            `${METADATA_KEY} values must be strings, but ${JSON.stringify(k)} is ${JSON.stringify(v)}`,
          );
        }
      }
      metadata = { ...(info as Record<string, string>) };
      continue;
    }
    const what = `tensor ${JSON.stringify(name)}`;
    if (info === null || typeof info !== "object" || Array.isArray(info)) {
      fail(source, `${what}: expected {"dtype", "shape", "data_offsets"}, got ${JSON.stringify(info)}`);
    }
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (!isSafetensorsDtype(dtype)) {
      const known = Object.keys(DTYPE_INFO).join(", ");
      if (typeof dtype === "string" && UNSUPPORTED_DTYPES.includes(dtype)) {
        fail(source, `${what}: dtype ${dtype} is not supported by tsgrad (supported: ${known})`);
      }
      fail(source, `${what}: unknown dtype ${JSON.stringify(dtype)} (expected one of ${known})`);
    }
    if (!Array.isArray(shape) || !shape.every(isNonNegativeInteger)) {
      fail(source, `${what}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInteger)) {
      fail(
        source,
        `${what}: data_offsets must be [begin, end] with non-negative integers, got ${JSON.stringify(offsets)}`,
      );
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin) fail(source, `${what}: data_offsets [${begin}, ${end}] end before they begin`);
    if (end > dataSize) {
      fail(
        source,
        `${what}: data_offsets [${begin}, ${end}] run past the end of the data section (${dataSize} bytes; truncated?)`,
      );
    }
    const count = numel(shape as number[]);
    const expected = count * DTYPE_INFO[dtype].size;
    if (!Number.isSafeInteger(expected))
      fail(source, `${what}: shape [${(shape as number[]).join(", ")}] is too large`);
    if (end - begin !== expected) {
      fail(
        source,
        `${what}: shape [${(shape as number[]).join(", ")}] of ${dtype} needs ${expected} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`,
      );
    }
    tensors.push({ name, dtype, shape: [...(shape as number[])], bytes: new Uint8Array(0), begin, end });
  }
  // The reference reader sorts by offsets, so header order is free; the spans must then tile the data.
  tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous: (typeof tensors)[number] | null = null;
  for (const t of tensors) {
    if (t.begin < at) {
      fail(
        source,
        `tensor ${JSON.stringify(t.name)}: data_offsets [${t.begin}, ${t.end}] overlap tensor ${JSON.stringify(previous!.name)} [${previous!.begin}, ${previous!.end}]`,
      );
    }
    if (t.begin > at) {
      fail(
        source,
        `tensor ${JSON.stringify(t.name)}: data starts at byte ${t.begin} but the previous data ends at ${at} (the offsets must leave no holes)`,
      );
    }
    at = t.end;
    previous = t;
  }
  if (at !== dataSize) {
    fail(
      source,
      `the tensors' data ends at byte ${at} of the data section but the file holds ${dataSize} bytes there (extra bytes at the end)`,
    );
  }
  const start = 8 + n;
  return {
    tensors: tensors.map(({ name, dtype, shape, begin, end }) => ({
      name,
      dtype,
      shape,
      bytes: bytes.subarray(start + begin, start + end),
    })),
    metadata,
  };
}
