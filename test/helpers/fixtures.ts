import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A tensor as the Python generators encode it: row-major data, specials as strings. */
export interface EncodedTensor {
  dtype: "float32" | "float64" | "int32" | "bool";
  shape: number[];
  data: Array<number | string | boolean>;
}

const FIXTURE_DIR = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** Read and parse `test/fixtures/<name>.json`. */
export function loadFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(FIXTURE_DIR + name + ".json", "utf8")) as T;
}

/** Decode one JSON number-or-special into a double. */
export function decodeNumber(v: number | string | boolean): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  throw new Error(`bad encoded number ${JSON.stringify(v)}`);
}

/** The values of an encoded tensor as doubles, row-major. */
export function decodeValues(t: EncodedTensor): Float64Array {
  return Float64Array.from(t.data, decodeNumber);
}
