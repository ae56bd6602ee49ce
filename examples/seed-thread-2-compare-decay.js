// The seed thread's second experiment: the same SGD step with weight_decay=0 and weight_decay=1,
// printed as PyTorch prints tensors. The weights come out smaller with weight decay.
//   node examples/seed-thread-2-compare-decay.js
import * as tg from "tsgrad";

const rng = new tg.random.RandomState(123);
const xNumpy = rng.random([3, 4]);
const wNumpy = rng.random([4, 5]);

const x = tg.tensor(xNumpy, { requiresGrad: true });
let w = tg.tensor(wNumpy, { requiresGrad: true });

console.log("Original weights", w.toString());

const lr = 0.1;
let sgd = new tg.optim.SGD([w], { lr, weightDecay: 0 });
let loss = tg.matmul(x, w).sum();
loss.backward();
sgd.step();

console.log("0 weight decay", w.toString());

w = tg.tensor(wNumpy, { requiresGrad: true });
console.log("Reset Original weights", w.toString());

sgd = new tg.optim.SGD([w], { lr, weightDecay: 1 });
loss = tg.matmul(x, w).sum();
loss.backward();
sgd.step();

console.log("1 weight decay", w.toString());
