import { describe, expect, it } from "vitest";
import { IndexError } from "../util/errors.js";
import { Subset } from "./subset.js";

describe("Subset", () => {
  it("reads the dataset at its indices, with Python indexing", () => {
    const s = new Subset(["a", "b", "c", "d"], [3, 1]);
    expect(s.length).toBe(2);
    expect(s.get(0)).toBe("d");
    expect(s.get(-1)).toBe("b");
    expect(s.getItems([1, 0])).toEqual(["b", "d"]);
    expect(() => s.get(2)).toThrow(IndexError);
    expect(() => s.getItems([5])).toThrow("list index out of range");
  });

  it("uses the dataset's batched read when it has one", () => {
    const calls: number[][] = [];
    const ds = {
      length: 5,
      get: (i: number) => i * 10,
      getItems: (ids: readonly number[]) => {
        calls.push([...ids]);
        return ids.map((i) => i * 100);
      },
    };
    const s = new Subset(ds, Int32Array.from([4, 2, 0]));
    expect(s.getItems([0, 2])).toEqual([400, 0]);
    expect(calls).toEqual([[4, 0]]);
    expect(s.get(1)).toBe(20);
  });
});
