import { describe, expect, it } from "vitest";
import { mnist } from "../src/data/index.js";
import { decodeValues, loadFixture, type EncodedTensor } from "./helpers/fixtures.js";
import { expectExact } from "./helpers/close.js";

interface Fixture {
  counts: number[];
  total: number;
  checksum: number;
  classChecksums: number[];
  min: number;
  max: number;
  picks: Array<{ index: number; label: number; float64: EncodedTensor; float32: EncodedTensor }>;
  limit: { limit: number; labels: number[] };
}

const fx = loadFixture<Fixture>("data-mnist");

describe("data.mnist() equals the digits as Python's json + torch.tensor read them", () => {
  const { images, labels } = mnist();

  it("has 10,000 images [N, 1, 28, 28] float32 and int32 labels, class 0 first", () => {
    expect(images.shape).toEqual([fx.total, 1, 28, 28]);
    expect(images.dtype).toBe("float32");
    expect(labels.shape).toEqual([fx.total]);
    expect(labels.dtype).toBe("int32");
    const counts = new Array<number>(10).fill(0);
    let previous = 0;
    for (const l of labels.toTypedArray()) {
      counts[l]!++;
      expect(l).toBeGreaterThanOrEqual(previous);
      previous = l;
    }
    expect(counts).toEqual(fx.counts);
  });

  it("holds the package's pixel values (range, exact checksum per class)", () => {
    const px = mnist({ dtype: "float64" }).images.toTypedArray();
    let min = Infinity;
    let max = -Infinity;
    const sums = new Array<number>(10).fill(0);
    const lab = labels.toTypedArray();
    for (let i = 0; i < px.length; i++) {
      const v = px[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
      sums[lab[Math.floor(i / 784)]!]! += Math.round(v * 1000);
    }
    expect([min, max]).toEqual([fx.min, fx.max]);
    expect(sums).toEqual(fx.classChecksums);
    expect(sums.reduce((a, b) => a + b, 0)).toBe(fx.checksum);
  });

  it("matches torch.tensor(json values, dtype) bit for bit on sample images", () => {
    const f64 = mnist({ dtype: "float64" });
    for (const p of fx.picks) {
      expect(labels.select(0, p.index).item()).toBe(p.label);
      expectExact(
        images.select(0, p.index).toTypedArray(),
        decodeValues(p.float32),
        `float32 image ${p.index}`,
      );
      expectExact(
        f64.images.select(0, p.index).toTypedArray(),
        decodeValues(p.float64),
        `float64 image ${p.index}`,
      );
    }
  });

  it("keeps the first `limit` images of each digit", () => {
    const small = mnist({ limit: fx.limit.limit });
    expect(Array.from(small.labels.toTypedArray())).toEqual(fx.limit.labels);
    expect(small.images.shape).toEqual([fx.limit.labels.length, 1, 28, 28]);
    // Digit 1 starts after all the 0s in the full set and after `limit` 0s here.
    const full1 = images.select(0, fx.counts[0]!).toTypedArray();
    expectExact(small.images.select(0, fx.limit.limit).toTypedArray(), full1, "first 1");
    expect(mnist({ limit: 0 }).images.shape).toEqual([0, 1, 28, 28]);
  });

  it("returns fresh tensors each call and checks its options", () => {
    const a = mnist({ limit: 1 });
    a.images.fill_(0);
    expect(mnist({ limit: 1 }).images.sum().item()).toBeGreaterThan(0);
    expect(() => mnist({ limit: -1 })).toThrow("limit must be a non-negative integer");
    expect(() => mnist({ dtype: "int32" as never })).toThrow(TypeError);
    expect(() => mnist({ limt: 3 } as never)).toThrow("did you mean limit?");
  });
});
