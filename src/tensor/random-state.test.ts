import { describe, expect, it } from "vitest";
import { RandomState } from "./random-state.js";
import { Tensor } from "./tensor.js";
import { NumpyRandomState } from "../random/numpy-random-state.js";
import { ValueError } from "../util/errors.js";

// Values are checked against numpy in test/random.test.ts; these tests cover the tensor wrapper.

describe("RandomState", () => {
  it("returns a number without a size and a float64 tensor with one", () => {
    const rs = new RandomState(0);
    expect(typeof rs.random()).toBe("number");
    expect(typeof rs.rand()).toBe("number");
    expect(typeof rs.randn()).toBe("number");
    expect(typeof rs.normal()).toBe("number");
    expect(typeof rs.uniform()).toBe("number");
    expect(typeof rs.randint(5)).toBe("number");
    const t = rs.random([2, 3]);
    expect(t.dtype).toBe("float64");
    expect(t.shape).toEqual([2, 3]);
    expect(rs.rand(2, 3).shape).toEqual([2, 3]);
    expect(rs.random(4).shape).toEqual([4]);
    expect(rs.random([]).shape).toEqual([]);
    expect(rs.randint(0, 10, [2, 2]).dtype).toBe("int32");
  });

  it("draws the same stream as the engine, whatever the shapes", () => {
    const rs = new RandomState(123);
    const values = [...rs.random([3, 4]).toTypedArray(), ...rs.randn(2, 3).toTypedArray()];
    const e = new NumpyRandomState(123);
    const a = new Float64Array(12);
    e.randomFill(a);
    const b = new Float64Array(6);
    e.standardNormalFill(b);
    expect(values).toEqual([...a, ...b]);
  });

  it("permutation of a tensor shuffles its rows and keeps the dtype; of a number gives int32", () => {
    const x = new Tensor(
      Int32Array.from({ length: 12 }, (_, i) => i),
      [4, 3],
    );
    const p = new RandomState(5).permutation(x);
    expect(p.dtype).toBe("int32");
    expect(p.shape).toEqual([4, 3]);
    const idx = new RandomState(5).permutation(4).toTypedArray();
    const rows = p.toTypedArray();
    for (let r = 0; r < 4; r++) {
      expect([...rows.subarray(3 * r, 3 * r + 3)]).toEqual([0, 1, 2].map((c) => 3 * idx[r]! + c));
    }
    expect([...x.toTypedArray()]).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const v = new Tensor(new Float64Array([1, 2, 3, 4]), [4]);
    expect(new RandomState(5).permutation(v).dtype).toBe("float64");
  });

  it("shuffle works in place along dim 0, through views, and bumps the version", () => {
    const base = new Tensor(
      Float64Array.from({ length: 12 }, (_, i) => i),
      [3, 4],
    );
    const view = base.t(); // 4×3, rows are the base's columns
    const version = base._version.value;
    new RandomState(1).shuffle(view);
    expect(base._version.value).toBe(version + 1);
    const idx = new RandomState(1).permutation(4).toTypedArray();
    // permutation(n) is shuffle(arange(n)): row i of the shuffled view is original row idx[i].
    const data = base.toTypedArray();
    for (let i = 0; i < 4; i++) for (let r = 0; r < 3; r++) expect(data[4 * r + i]).toBe(4 * r + idx[i]!);
  });

  it("getState/setState replay, including the cached Gaussian", () => {
    const rs = new RandomState(9);
    rs.randn();
    const s = rs.getState();
    const x = rs.randn(5).toTypedArray();
    rs.setState(s);
    expect([...rs.randn(5).toTypedArray()]).toEqual([...x]);
    rs.setState(["MT19937", s.key, s.pos, s.hasGauss ? 1 : 0, s.cachedGaussian]);
    expect([...rs.randn(5).toTypedArray()]).toEqual([...x]);
  });

  it("validates sizes and arguments with numpy's messages", () => {
    const rs = new RandomState(0);
    expect(() => rs.random(-1)).toThrow(new ValueError("negative dimensions are not allowed"));
    expect(() => rs.random([1.5])).toThrow(TypeError);
    expect(() => rs.normal(0, -1, 2)).toThrow(new ValueError("scale < 0"));
    expect(() => rs.uniform(0, Infinity, 2)).toThrow("Range exceeds valid bounds");
    expect(() => rs.randint(-(2 ** 40), 0, [2])).toThrow(/int32/);
    expect(rs.randint(0, 2 ** 40)).toBeLessThan(2 ** 40);
    expect(() => rs.permutation(new Tensor(new Float64Array(1), []))).toThrow(
      "x must be an integer or at least 1-dimensional",
    );
  });

  it("empty sizes draw nothing and skip the bounds checks, as numpy does", () => {
    const rs = new RandomState(3);
    expect(rs.randint(5, 5, [0]).numel()).toBe(0);
    expect(rs.random([2, 0]).numel()).toBe(0);
    expect(rs.random()).toBe(new RandomState(3).random());
  });
});
