// The seed thread's first experiment ("How does SGD weight_decay work?"): one SGD step with
// weight_decay=0.9, printed before and after, and checked by hand: the step is
// w - lr * (grad + weight_decay * w). Prints exactly what the PyTorch + numpy script printed.
//   node examples/seed-thread-1-check-weight-decay.js
import * as tg from "tsgrad";

const rng = new tg.random.RandomState(123); // np.random.seed(123)
const show = (t) => console.log(tg.array2string(t, { precision: 8, suppressSmall: true }));

const xNumpy = rng.random([3, 4]);
const wNumpy = rng.random([4, 5]);

const x = tg.tensor(xNumpy, { requiresGrad: true });
const w = tg.tensor(wNumpy, { requiresGrad: true });

const lr = 0.1;
const weightDecay = 0.9;
const sgd = new tg.optim.SGD([w], { lr, weightDecay });

const loss = tg.matmul(x, w).sum();

console.log("w_torch before SGD");
show(w.detach());

loss.backward();
sgd.step();

console.log("w_torch after SGD");
show(w.detach());

// d(loss)/dw = x^T · ones(3, 5); weight decay adds weight_decay · w to it before the step.
const grad = xNumpy.t().matmul(tg.ones([3, 5], { dtype: "float64" }));
console.log("check_weight_decay");
show(wNumpy.sub(grad.add(wNumpy.mul(weightDecay)).mul(lr)));
