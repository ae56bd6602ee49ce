import type { ParamGroup, SchedulableOptimizer } from "../../src/optim/lr-scheduler/index.js";

/**
 * A stand-in optimizer for scheduler tests: parameter groups with hyperparameters only, and a
 * `step()` that just counts (the contract the schedulers read).
 */
export class FakeOptimizer implements SchedulableOptimizer {
  paramGroups: ParamGroup[];
  stepCount = 0;

  constructor(groups: Array<Record<string, unknown>>) {
    this.paramGroups = groups.map((g) => ({ params: [], lr: 0, ...structuredClone(g) }) as ParamGroup);
  }

  step(): void {
    this.stepCount += 1;
  }
}

/** PyTorch's group keys (snake_case, as the fixtures record them) to ours. */
const CAMEL: Record<string, string> = {
  initial_lr: "initialLr",
  max_lr: "maxLr",
  min_lr: "minLr",
  max_momentum: "maxMomentum",
  base_momentum: "baseMomentum",
  weight_decay: "weightDecay",
};

/** A group recorded by a fixture generator, with our camelCase keys. */
export function camelGroup(group: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(group).map(([k, v]) => [CAMEL[k] ?? k, v]));
}

/** SGD-like: two groups with lrs 0.05 and 0.5 and momentum 0.9 (PyTorch's scheduler-test fixture). */
export function fakeSgd(): FakeOptimizer {
  return new FakeOptimizer([
    { lr: 0.05, momentum: 0.9 },
    { lr: 0.5, momentum: 0.9 },
  ]);
}

/** Adam-like: two groups with lrs 0.05 and 0.5 and betas (0.9, 0.999). */
export function fakeAdam(): FakeOptimizer {
  return new FakeOptimizer([
    { lr: 0.05, betas: [0.9, 0.999] },
    { lr: 0.5, betas: [0.9, 0.999] },
  ]);
}
