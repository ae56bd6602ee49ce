import { describe, expect, it } from "vitest";
import { RuntimeError } from "../util/errors.js";
import { decodeSafetensors, encodeSafetensors, MAX_HEADER_SIZE, type RawTensor } from "./safetensors.js";

const utf8 = new TextEncoder();

/** A file from a header string and a data section, with the length field filled in. */
function file(header: string, data: Uint8Array | number[] = [], lengthField?: bigint): Uint8Array {
  const h = utf8.encode(header);
  const d = Uint8Array.from(data);
  const out = new Uint8Array(8 + h.length + d.length);
  new DataView(out.buffer).setBigUint64(0, lengthField ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(d, 8 + h.length);
  return out;
}

function f32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

describe("encodeSafetensors", () => {
  it("writes the reference layout: compact JSON, space padding to 8, data after", () => {
    const out = encodeSafetensors([
      { name: "attn.0", dtype: "F32", shape: [1, 2, 3], bytes: f32Bytes([0, 1, 2, 3, 4, 5]) },
    ]);
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    const padded = header + " ".repeat((8 - (header.length % 8)) % 8);
    expect(out).toEqual(file(padded, f32Bytes([0, 1, 2, 3, 4, 5])));
    expect((8 + padded.length) % 8).toBe(0);
  });

  it("writes an empty file as {} and puts __metadata__ first with sorted keys", () => {
    expect(encodeSafetensors([])).toEqual(file("{}      "));
    const out = encodeSafetensors([], { z: "1", framework: "pt" });
    const header = '{"__metadata__":{"framework":"pt","z":"1"}}';
    expect(new TextDecoder().decode(out.subarray(8, 8 + header.length))).toBe(header);
  });

  it("orders tensors by dtype alignment, largest first, then by name bytes", () => {
    const t = (name: string, dtype: RawTensor["dtype"], n: number, size: number): RawTensor => ({
      name,
      dtype,
      shape: [n],
      bytes: new Uint8Array(n * size),
    });
    const out = encodeSafetensors([
      t("b", "BOOL", 3, 1),
      t("z", "F32", 1, 4),
      t("a", "F32", 1, 4),
      t("m", "I64", 1, 8),
      t("é", "F64", 1, 8),
      t("x", "F64", 1, 8),
    ]);
    const dec = decodeSafetensors(out);
    expect(dec.tensors.map((x) => x.name)).toEqual(["m", "x", "é", "a", "z", "b"]);
    expect(dec.metadata).toBeNull();
  });

  it("rejects inconsistent input", () => {
    const bad: RawTensor = { name: "w", dtype: "F32", shape: [2], bytes: new Uint8Array(4) };
    expect(() => encodeSafetensors([bad])).toThrow("4 bytes given for shape [2] of F32 (expected 8)");
    const ok = { ...bad, bytes: new Uint8Array(8) };
    expect(() => encodeSafetensors([ok, ok])).toThrow('duplicate tensor name "w"');
    expect(() => encodeSafetensors([{ ...ok, name: "__metadata__" }])).toThrow(RuntimeError);
    expect(() => encodeSafetensors([], { a: 1 as never })).toThrow(TypeError);
  });
});

describe("decodeSafetensors", () => {
  const good = encodeSafetensors(
    [
      { name: "w", dtype: "F32", shape: [2, 2], bytes: f32Bytes([1, 2, 3, 4]) },
      { name: "s", dtype: "F64", shape: [], bytes: new Uint8Array(new Float64Array([0.5]).buffer) },
      { name: "e", dtype: "I64", shape: [0, 3], bytes: new Uint8Array(0) },
    ],
    { format: "pt" },
  );

  it("reads what it wrote, including scalars and empty tensors", () => {
    const dec = decodeSafetensors(good, "g.safetensors");
    expect(dec.metadata).toEqual({ format: "pt" });
    const byName = Object.fromEntries(dec.tensors.map((t) => [t.name, t]));
    expect(byName.w!.shape).toEqual([2, 2]);
    expect(Array.from(new Float32Array(byName.w!.bytes.slice().buffer))).toEqual([1, 2, 3, 4]);
    expect(byName.s!.shape).toEqual([]);
    expect(byName.e!.bytes.length).toBe(0);
  });

  it("accepts any header order, extra whitespace and a null __metadata__", () => {
    const data = [...f32Bytes([7]), ...f32Bytes([8])];
    const header =
      '{ "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]},\n "a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4], "extra": 1}, "__metadata__": null}   ';
    const dec = decodeSafetensors(file(header, data));
    expect(dec.tensors.map((t) => t.name)).toEqual(["a", "b"]);
    expect(dec.metadata).toBeNull();
  });

  const cases: Array<[string, Uint8Array, string]> = [
    [
      "shorter than the length field",
      good.subarray(0, 5),
      "the file has 5 bytes, fewer than the 8-byte header length field",
    ],
    ["truncated inside the header", good.subarray(0, 20), "only 12 bytes follow it (truncated"],
    ["truncated inside the data", good.subarray(0, good.length - 3), "run past the end of the data section"],
    [
      "a header length beyond the limit",
      file("{}", [], BigInt(MAX_HEADER_SIZE) + 1n),
      "more than the 100000000-byte limit",
    ],
    [
      "a header length beyond the file",
      file("{}", [], 1000n),
      "the header length field says 1000 bytes but only 2 bytes follow it",
    ],
    ["a huge header length", file("{}", [], 2n ** 64n - 1n), "more than the 100000000-byte limit"],
    [
      "bad UTF-8",
      file('{"x":1}').map((b, i) => (i === 10 ? 0xff : b)), // the "x" becomes a lone 0xff byte
      "not valid UTF-8",
    ],
    ["a header that is not an object", file("[1, 2]"), "must be a JSON object starting with '{'"],
    ["bad JSON", file('{"a": '), "the header is not valid JSON"],
    [
      "non-string metadata",
      file('{"__metadata__": {"a": 1}}'),
      '__metadata__ values must be strings, but "a" is 1',
    ],
    [
      "an entry that is not an object",
      file('{"a": 3}'),
      'tensor "a": expected {"dtype", "shape", "data_offsets"}, got 3',
    ],
    [
      "an unknown dtype",
      file('{"a": {"dtype": "F99", "shape": [], "data_offsets": [0, 0]}}'),
      'tensor "a": unknown dtype "F99" (expected one of BOOL',
    ],
    [
      "an 8-bit float",
      file('{"a": {"dtype": "F8_E4M3", "shape": [1], "data_offsets": [0, 1]}}', [0]),
      "dtype F8_E4M3 is not supported by tsgrad",
    ],
    [
      "a bad shape",
      file('{"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 0]}}'),
      "shape must be an array of non-negative integers, got [-1]",
    ],
    [
      "bad offsets",
      file('{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0]}}'),
      "data_offsets must be [begin, end]",
    ],
    [
      "offsets ending before they begin",
      file('{"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}', [0, 0, 0, 0]),
      "data_offsets [4, 0] end before they begin",
    ],
    [
      "a shape/size mismatch",
      file('{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}', [0, 0, 0, 0]),
      "shape [2] of F32 needs 8 bytes but data_offsets [0, 4] span 4",
    ],
    [
      "overlapping offsets",
      file(
        '{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}',
        Array(8).fill(0),
      ),
      'tensor "b": data_offsets [4, 8] overlap tensor "a" [0, 8]',
    ],
    [
      "a hole between tensors",
      file(
        '{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}',
        Array(12).fill(0),
      ),
      'tensor "b": data starts at byte 8 but the previous data ends at 4',
    ],
    [
      "trailing bytes",
      file('{"a": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}}', [1, 2]),
      "data ends at byte 1 of the data section but the file holds 2 bytes",
    ],
  ];
  for (const [what, bytes, message] of cases) {
    it(`rejects ${what}, naming the file`, () => {
      expect(() => decodeSafetensors(bytes, "bad.safetensors")).toThrow(RuntimeError);
      expect(() => decodeSafetensors(bytes, "bad.safetensors")).toThrow(
        /^bad\.safetensors: not a valid safetensors file: /,
      );
      expect(() => decodeSafetensors(bytes, "bad.safetensors")).toThrow(message);
    });
  }

  it("needs bytes", () => {
    expect(() => decodeSafetensors([1, 2] as never)).toThrow(TypeError);
  });
});
