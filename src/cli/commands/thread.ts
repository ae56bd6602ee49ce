/**
 * `tsgrad thread`: replay the experiments of the forum thread this project started from ("How
 * does SGD weight_decay work?"), print what PyTorch printed, and answer its questions.
 *
 * @module
 */

import { Command } from "commander";
import * as tg from "../../index.js";
import { paramGroupsWeightDecay } from "../decay-toolkit.js";

const QUESTION = `The question (PyTorch forums, "How does SGD weight_decay work?"):
  "I wrote a toy code to check SGD weight_decay, but it seems to have no effect on the gradient
   update. Am I misunderstanding the meaning of weight_decay?"
  and later: "Is weight decay applied to all the parameters, including bias and batchnorm?"

The thread's setup: np.random.seed(123); x (3×4) and w (4×5) from np.random.random, float64;
loss = sum(x·w); SGD with lr 0.1.`;

const ANSWER = `The answer:
  SGD's weight_decay λ adds λ·w to the gradient before the step:
      w ← w − lr·(∇loss + λ·w)
  (experiments 1 and 3 reproduce this to the last digit). λ·w is the gradient of (λ/2)·‖w‖², so
  weight_decay=λ is exactly plain SGD on loss + (λ/2)·‖w‖² — an L2 penalty with the factor 1/2,
  not λ·‖w‖². With weight_decay=1 the weights come out smaller than with 0 (experiment 2).
  It is applied to every parameter handed to the optimizer — biases and batch-norm weights
  included (experiment 4). To exclude them, put them in a parameter group with weight_decay 0:
      tsgrad train --no-decay auto        (the default; or paramGroupsWeightDecay in code)
  See the exact update for any optimizer with: tsgrad explain --optimizer sgd --lr 0.1 --weight-decay 0.9`;

/**
 * The `thread` command.
 *
 * @example
 * ```ts
 * program.addCommand(threadCommand());
 * ```
 */
export function threadCommand(): Command {
  return new Command("thread")
    .description('replay the "How does SGD weight_decay work?" experiments and print the answer')
    .action(() => {
      process.stdout.write(`${threadText()}\n`);
    });
}

/**
 * Everything `tsgrad thread` prints: the question, the three experiments (each printing exactly
 * what the PyTorch + numpy originals print), the parameter experiment, and the answer.
 *
 * @example
 * ```ts
 * console.log(threadText());
 * ```
 */
export function threadText(): string {
  tg.setDefaultDtype("float32");
  const parts = [
    QUESTION,
    "── Experiment 1: one SGD step with weight_decay=0.9, checked by hand ──",
    experiment1(),
    "── Experiment 2: the same step with weight_decay=0 and weight_decay=1 ──",
    experiment2(),
    "── Experiment 3: the gradient SGD used, (w − w_after)/lr, against ∇loss + 0.9·w ──",
    experiment3(),
    "── Experiment 4: which parameters decay? ──",
    experiment4(),
    ANSWER,
  ];
  return parts.join("\n\n").replace(/\n{3,}/g, "\n\n");
}

function setup() {
  const rng = new tg.random.RandomState(123);
  const xNumpy = rng.random([3, 4]);
  const wNumpy = rng.random([4, 5]);
  return { xNumpy, wNumpy };
}

const show = (t: tg.Tensor) => tg.array2string(t, { precision: 8, suppressSmall: true });

/** The first script of the thread: printed as numpy prints, checked against the formula. */
function experiment1(): string {
  const out: string[] = [];
  const { xNumpy, wNumpy } = setup();
  const x = tg.tensor(xNumpy, { requiresGrad: true });
  const w = tg.tensor(wNumpy, { requiresGrad: true });
  const lr = 0.1;
  const weightDecay = 0.9;
  const sgd = new tg.optim.SGD([w], { lr, weightDecay });
  const loss = tg.matmul(x, w).sum();
  out.push("w_torch before SGD", show(w.detach()));
  loss.backward();
  sgd.step();
  out.push("w_torch after SGD", show(w.detach()));
  const grad = xNumpy.t().matmul(tg.ones([3, 5], { dtype: "float64" }));
  const check = wNumpy.sub(grad.add(wNumpy.mul(weightDecay)).mul(lr));
  out.push("check_weight_decay", show(check));
  const diff = w.detach().sub(check).abs().max().item() as number;
  out.push(
    "",
    `largest |w_after − check| = ${diff === 0 ? "0" : diff.toExponential(1)}   (check = w − lr·(∇loss + 0.9·w), computed in another order)`,
  );
  return out.join("\n");
}

/** The second script: weight decay 0 against 1, printed as PyTorch prints tensors. */
function experiment2(): string {
  const out: string[] = [];
  const { xNumpy, wNumpy } = setup();
  const x = tg.tensor(xNumpy, { requiresGrad: true });
  let w = tg.tensor(wNumpy, { requiresGrad: true });
  out.push(`Original weights ${w.toString()}`);
  const lr = 0.1;
  let sgd = new tg.optim.SGD([w], { lr, weightDecay: 0 });
  tg.matmul(x, w).sum().backward();
  sgd.step();
  out.push(`0 weight decay ${w.toString()}`);
  const norm0 = w.detach().pow(2).sum().sqrt().item() as number;
  w = tg.tensor(wNumpy, { requiresGrad: true });
  out.push(`Reset Original weights ${w.toString()}`);
  sgd = new tg.optim.SGD([w], { lr, weightDecay: 1 });
  tg.matmul(x, w).sum().backward();
  sgd.step();
  out.push(`1 weight decay ${w.toString()}`);
  const norm1 = w.detach().pow(2).sum().sqrt().item() as number;
  out.push(
    "",
    `‖w‖ after the step: ${norm0.toFixed(6)} with weight_decay=0, ${norm1.toFixed(6)} with weight_decay=1`,
  );
  return out.join("\n");
}

/** The third script: the step taken, divided by lr, is ∇loss + λ·w. */
function experiment3(): string {
  const out: string[] = [];
  const { xNumpy, wNumpy } = setup();
  const x = tg.tensor(xNumpy, { requiresGrad: true });
  const w = tg.tensor(wNumpy, { requiresGrad: true });
  const x2 = tg.tensor(xNumpy, { requiresGrad: true });
  const w2 = tg.tensor(wNumpy, { requiresGrad: true });
  const lr = 0.1;
  const weightDecay = 0.9;
  const sgd = new tg.optim.SGD([w], { lr, weightDecay: 0 });
  const sgd2 = new tg.optim.SGD([w2], { lr, weightDecay });
  tg.matmul(x, w).sum().backward();
  tg.matmul(x2, w2).sum().backward();
  sgd.step();
  sgd2.step();
  out.push(show(wNumpy.sub(w2.detach()).div(lr)));
  out.push(show(w.grad!.add(wNumpy.mul(weightDecay))));
  return out.join("\n");
}

/**
 * The thread's last question, answered by experiment: a network with biases and batch norm, a
 * loss whose gradient is zero, and one SGD step with weight_decay 0.9 — every parameter given to
 * the optimizer shrinks by 1 − lr·λ = 0.91; with the biases and norm weights in a group of their
 * own (weight decay 0) they stay.
 */
function experiment4(): string {
  const { nn } = tg;
  const lr = 0.1;
  const weightDecay = 0.9;
  const { xNumpy } = setup();
  const run = (split: boolean): string[] => {
    tg.manualSeed(0);
    const model = new nn.Sequential(
      new nn.Linear(4, 3, { dtype: "float64" }),
      new nn.BatchNorm1d(3, { dtype: "float64" }),
      new nn.ReLU(),
      new nn.Linear(3, 2, { dtype: "float64" }),
    );
    const named = model.namedParameters();
    // Batch norm starts with bias 0, which no factor changes; start it at 0.1 so its shrink shows.
    tg.noGrad(() => (model.at(1) as tg.nn.BatchNorm1d).bias!.fill_(0.1));
    const before = named.map(([, p]) => p.detach().clone());
    const groups = split
      ? paramGroupsWeightDecay(model, { weightDecay, exclude: "auto" }).groups
      : [{ params: model.parameters(), weightDecay }];
    const sgd = new tg.optim.SGD(groups, { lr });
    // A loss with zero gradient: whatever moves the weights now is weight decay alone.
    (model.forward(xNumpy) as tg.Tensor).sum().mul(0).backward();
    sgd.step();
    const width = Math.max(...named.map(([n]) => n.length));
    return named.map(([name, p], i) => {
      const ratio = p.detach().div(before[i]!);
      const lo = ratio.min().item() as number;
      const hi = ratio.max().item() as number;
      const r = Math.abs(hi - lo) < 1e-12 ? lo.toFixed(6) : `${lo.toFixed(6)} … ${hi.toFixed(6)}`;
      return `  ${name.padEnd(width)}  [${p.shape.join(", ")}]`.padEnd(width + 16) + `after / before = ${r}`;
    });
  };
  return [
    "Linear(4, 3) → BatchNorm1d(3) → ReLU → Linear(3, 2) (batch-norm bias set to 0.1), a loss with zero",
    "gradient, and one SGD step (lr 0.1, weight_decay 0.9):",
    "",
    "SGD(model.parameters(), weight_decay=0.9) — every parameter shrinks by 1 − 0.1·0.9 = 0.91:",
    ...run(false),
    "",
    "Biases and norm weights in a group with weight_decay 0 (paramGroupsWeightDecay, rule auto):",
    ...run(true),
  ].join("\n");
}
