// The seed thread's third experiment: two copies of w, one stepped with weight decay. The step
// each took, divided by lr, is the gradient SGD used: with weight_decay=0.9 it equals
// grad + 0.9·w, i.e. the gradient of loss + (0.9/2)·‖w‖².
//   node examples/seed-thread-3-effective-gradient.js
import * as tg from "tsgrad";

const rng = new tg.random.RandomState(123);
const show = (t) => console.log(tg.array2string(t, { precision: 8, suppressSmall: true }));

const xNumpy = rng.random([3, 4]);
const wNumpy = rng.random([4, 5]);

const x = tg.tensor(xNumpy, { requiresGrad: true });
const w = tg.tensor(wNumpy, { requiresGrad: true });
const x2 = tg.tensor(xNumpy, { requiresGrad: true });
const w2 = tg.tensor(wNumpy, { requiresGrad: true });

const lr = 0.1;
const weightDecay = 0.9;
const sgd = new tg.optim.SGD([w], { lr, weightDecay: 0 });
const sgd2 = new tg.optim.SGD([w2], { lr, weightDecay });

const loss = tg.matmul(x, w).sum();
const loss2 = tg.matmul(x2, w2).sum();
loss.backward();
loss2.backward();
sgd.step();
sgd2.step();

show(wNumpy.sub(w2.detach()).div(lr));
show(w.grad.add(wNumpy.mul(weightDecay)));
