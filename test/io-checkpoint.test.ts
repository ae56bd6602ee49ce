import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataLoader, TensorDataset } from "../src/data/index.js";
import { load, save } from "../src/io/index.js";
import * as nn from "../src/nn/index.js";
import { AdamW } from "../src/optim/index.js";
import type { OptimizerStateDict } from "../src/optim/state-dict.js";
import { Generator, getRngState, manualSeed, randint, randn, setRngState } from "../src/tensor/random.js";
import type { Tensor } from "../src/tensor/tensor.js";
import { expectExact } from "./helpers/close.js";

const dir = mkdtempSync(join(tmpdir(), "tsgrad-ckpt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function build(): { model: nn.Sequential; opt: AdamW } {
  const model = new nn.Sequential(
    new nn.Linear(6, 8),
    new nn.BatchNorm1d(8),
    new nn.ReLU(),
    new nn.Linear(8, 3),
  );
  const opt = new AdamW(model.parameters(), { lr: 0.01, weightDecay: 0.1, amsgrad: true });
  return { model, opt };
}

function epoch(model: nn.Module, opt: AdamW, loader: Iterable<[Tensor, Tensor]>): void {
  for (const [x, y] of loader) {
    opt.zeroGrad();
    nn.functional.crossEntropy(model.forward(x) as Tensor, y).backward();
    opt.step();
  }
}

describe("a training checkpoint survives io.save / io.load", () => {
  it("resumes to the same weights as an uninterrupted run", () => {
    manualSeed(0);
    const ds = new TensorDataset(randn([20, 6]), randint(0, 3, [20]));
    const g = new Generator().manualSeed(5);
    const loaderOf = (gen: Generator) => new DataLoader(ds, { batchSize: 6, shuffle: true, generator: gen });

    // Uninterrupted: three epochs.
    manualSeed(1);
    const a = build();
    const loaderA = loaderOf(g);
    epoch(a.model, a.opt, loaderA);
    const path = join(dir, "ckpt.safetensors");
    save(path, {
      model: a.model.stateDict(),
      optimizer: a.opt.stateDict(),
      epoch: 1,
      rng: getRngState(),
      loaderRng: g.getState(),
    });
    epoch(a.model, a.opt, loaderA);
    epoch(a.model, a.opt, loaderA);

    // Resumed from the checkpoint after one epoch, in fresh objects.
    manualSeed(99);
    const b = build();
    const ckpt = load(path) as {
      model: Record<string, Tensor>;
      optimizer: OptimizerStateDict;
      epoch: number;
      rng: Uint8Array;
      loaderRng: Uint8Array;
    };
    expect(ckpt.epoch).toBe(1);
    b.model.loadStateDict(ckpt.model);
    b.opt.loadStateDict(ckpt.optimizer);
    setRngState(ckpt.rng);
    const gB = new Generator().setState(ckpt.loaderRng);
    const loaderB = loaderOf(gB);
    epoch(b.model, b.opt, loaderB);
    epoch(b.model, b.opt, loaderB);

    const sa = a.model.stateDict();
    const sb = b.model.stateDict();
    for (const key of Object.keys(sa)) expectExact(sb[key]!.toTypedArray(), sa[key]!.toTypedArray(), key);
    expect(JSON.stringify(b.opt.stateDict().param_groups)).toBe(
      JSON.stringify(a.opt.stateDict().param_groups),
    );
  });
});
