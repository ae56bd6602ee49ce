"""PyTorch's optimizer steps for bench/optim.js: SGD (momentum 0.9 + weight decay), Adam and AdamW
over float32 parameters, single-tensor (foreach=False) and multi-tensor (foreach=True) paths.

Run by bench/optim.js with /usr/bin/python3; prints one JSON line last. Threads are pinned to 1 so
the comparison with single-threaded JavaScript is like for like.

    /usr/bin/python3 bench/py/optim_torch.py --sizes 1000000,10000000 --tensors 1,100 --min-time 0.4
"""

import argparse
import json
import os
import statistics
import sys
import time

# Import torch from outside this folder (a sibling file could shadow a standard-library module).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
import torch  # noqa: E402

OPTIMIZERS = {
    "SGD": lambda params, foreach: torch.optim.SGD(params, lr=0.01, momentum=0.9, weight_decay=1e-4, foreach=foreach),
    "Adam": lambda params, foreach: torch.optim.Adam(params, lr=1e-3, foreach=foreach),
    "AdamW": lambda params, foreach: torch.optim.AdamW(params, lr=1e-3, weight_decay=1e-2, foreach=foreach),
}


def measure(make, size, tensors, foreach, min_time, min_runs, max_runs):
    per = size // tensors
    gen = torch.Generator().manual_seed(0)
    params = [torch.randn(per, generator=gen).requires_grad_() for _ in range(tensors)]
    for p in params:
        p.grad = torch.randn(per, generator=gen)
    opt = make(params, foreach)
    for _ in range(2):
        opt.step()
    samples = []
    start = time.perf_counter()
    while len(samples) < min_runs or (time.perf_counter() - start < min_time and len(samples) < max_runs):
        t0 = time.perf_counter()
        opt.step()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples), len(samples)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--tensors", default="1,100")
    ap.add_argument("--optimizers", default="SGD,Adam,AdamW")
    ap.add_argument("--min-time", type=float, default=0.4)
    ap.add_argument("--min-runs", type=int, default=5)
    ap.add_argument("--max-runs", type=int, default=200)
    args = ap.parse_args()
    torch.set_num_threads(1)
    results = []
    for name in args.optimizers.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            for tensors in (int(t) for t in args.tensors.split(",")):
                for impl, foreach in (("single-tensor", False), ("foreach", True)):
                    med, runs = measure(OPTIMIZERS[name], size, tensors, foreach, args.min_time, args.min_runs,
                                        args.max_runs)
                    results.append({"optimizer": name, "params": size, "tensors": tensors, "impl": impl,
                                    "seconds": med, "ns_per_param": med * 1e9 / size, "runs": runs})
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "config": torch.__config__.show().splitlines()[:3], "results": results}))


if __name__ == "__main__":
    main()
