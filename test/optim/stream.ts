/**
 * The seeded input stream of scripts/fixtures/optimizers.py, re-created exactly: xorshift32, and
 * samples built from integers so that they are the same doubles in Python and JavaScript.
 */

import { Tensor } from "../../src/tensor/tensor.js";

/** xorshift32 with the generator's sampling rule (exact float32 or float64 values, some zeros). */
export class Stream {
  private x: number;

  constructor(seed: number) {
    this.x = seed >>> 0;
  }

  next(): number {
    let x = this.x;
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    this.x = x;
    return x;
  }

  sample(dtype: "float32" | "float64"): number {
    const a = this.next();
    const b = this.next();
    const c = this.next();
    if ((c & 15) === 0) return 0;
    const e = ((c >>> 4) % 9) - 6;
    let v: number;
    if (dtype === "float32") v = ((a >>> 8) - 2 ** 23) / 2 ** 23;
    else v = ((a >>> 5) * 2 ** 26 + (b >>> 6) - 2 ** 52) / 2 ** 52;
    return v * 2 ** e;
  }

  tensor(shape: readonly number[], dtype: "float32" | "float64"): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = this.sample(dtype);
    return new Tensor(data, shape);
  }
}

/** Initial parameters and per-step gradients, in the generator's order. */
export function makeInputs(
  seed: number,
  dtype: "float32" | "float64",
  steps: number,
  shapes: readonly (readonly number[])[],
): { params: Tensor[]; grads: Tensor[][] } {
  const s = new Stream(seed);
  const params = shapes.map((shape) => s.tensor(shape, dtype));
  const grads: Tensor[][] = [];
  for (let i = 0; i < steps; i++) grads.push(shapes.map((shape) => s.tensor(shape, dtype)));
  return { params, grads };
}
