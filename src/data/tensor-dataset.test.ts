import { describe, expect, it } from "vitest";
import { arange, tensor, zeros } from "../tensor/creation.js";
import { IndexError, ValueError } from "../util/errors.js";
import { TensorDataset } from "./tensor-dataset.js";

describe("TensorDataset", () => {
  it("has the length of dim 0 and returns row views", () => {
    const x = arange(6, undefined, 1, { dtype: "float64" }).reshape([3, 2]);
    const y = tensor([7, 8, 9]);
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(3);
    const [xi, yi] = ds.get(1);
    expect(xi.tolist()).toEqual([2, 3]);
    expect(yi.item()).toBe(8);
    expect(xi.data).toBe(x.data); // a view, as tensor[i] in PyTorch
    expect(ds.get(-1)[1].item()).toBe(9);
  });

  it("raises PyTorch's errors", () => {
    expect(() => new TensorDataset(zeros([3, 2]), zeros([4]))).toThrow(ValueError);
    expect(() => new TensorDataset(zeros([3, 2]), zeros([4]))).toThrow("Size mismatch between tensors");
    expect(() => new TensorDataset(tensor(1))).toThrow(
      "dimension specified as 0 but tensor has no dimensions",
    );
    expect(() => new TensorDataset()).toThrow(IndexError);
    expect(() => new TensorDataset(zeros([3]))).not.toThrow();
    const ds = new TensorDataset(zeros([3]));
    expect(() => ds.get(3)).toThrow("index 3 is out of bounds for dimension 0 with size 3");
    expect(() => ds.get(-4)).toThrow(IndexError);
    expect(() => new TensorDataset([1, 2] as never)).toThrow(TypeError);
  });
});
