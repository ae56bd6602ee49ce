"""PyTorch CPU peer for bench/speed.js: matmul GFLOP/s, optimizer steps at 10M float32 params in
every layout (1 tensor / 100 tensors, foreach off / on), and an MLP 784-512-512-10 training step
(batch 128, Adam), on the thread count given as the first argument.

Threads are pinned three ways, because each library reads its own knob: OPENBLAS_NUM_THREADS and
OMP_NUM_THREADS must be set by the caller before Python starts (bench/speed.js does), and
torch.set_num_threads(n) here (Debian's torch defaults to 1 thread on this VM). The BLAS torch
calls is Debian's libblas.so.3 alternative; which library that resolves to is read from
/proc/self/maps after a matmul, so the report says what was measured.

Usage: OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 python3 bench/py/speed.py 2 [quick]
Prints one JSON object on its last line.
"""

import json
import os
import sys
import time

import torch

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 1
QUICK = len(sys.argv) > 2 and sys.argv[2] == "quick"
torch.set_num_threads(THREADS)


def timeit(fn, warmup=2, min_runs=5, min_time=0.6, max_runs=200):
    for _ in range(warmup):
        fn()
    samples = []
    start = time.perf_counter()
    while len(samples) < min_runs or (time.perf_counter() - start < min_time and len(samples) < max_runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    return {"median": samples[len(samples) // 2] * 1e3, "min": samples[0] * 1e3, "runs": len(samples)}


def blas_library():
    a = torch.ones(64, 64)
    (a @ a).sum().item()
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            base = os.path.basename(path)
            if "blas" in base or "lapack" in base or "mkl" in base:
                libs.add(os.path.realpath(path))
    return sorted(libs)


def config_blas():
    info = torch.__config__.show()
    keep = [l.strip() for l in info.splitlines() if "BLAS" in l or "MKL" in l or "CPU capability" in l]
    return keep


def bench_matmul():
    out = []
    for dtype in (torch.float32, torch.float64):
        for n in (256, 512, 1024):
            a = torch.rand(n, n, dtype=dtype)
            b = torch.rand(n, n, dtype=dtype)
            t = timeit(lambda: torch.mm(a, b), min_time=0.3 if QUICK else 0.8)
            out.append({"dtype": str(dtype).replace("torch.", ""), "n": n, **t})
    return out


def make_opt(name, params, foreach):
    if name == "SGD":
        return torch.optim.SGD(params, lr=0.01, momentum=0.9, weight_decay=1e-4, foreach=foreach)
    if name == "Adam":
        return torch.optim.Adam(params, lr=1e-3, foreach=foreach)
    return torch.optim.AdamW(params, lr=1e-3, weight_decay=1e-2, foreach=foreach)


def bench_optim():
    n = 10_000_000
    out = []
    for name in ("SGD", "Adam", "AdamW"):
        for tensors in (1, 100):
            for foreach in (False, True):
                params = [torch.rand(n // tensors) * 2 - 1 for _ in range(tensors)]
                for p in params:
                    p.requires_grad_(True)
                    p.grad = torch.randn_like(p)
                opt = make_opt(name, params, foreach)
                t = timeit(opt.step, warmup=3, min_runs=5 if QUICK else 7, min_time=0.3 if QUICK else 0.8)
                out.append({"optimizer": name, "tensors": tensors, "foreach": foreach, **t})
                del opt, params
    return out


def bench_mlp():
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10)
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(128, 784)
    y = torch.randint(0, 10, (128,))
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=True)  # current PyTorch's default (1.13 defaulted to False)
        loss_fn(model(x), y).backward()
        opt.step()

    return timeit(step, warmup=10, min_runs=20, min_time=1.0 if QUICK else 3.0)


result = {
    "threads": THREADS,
    "torch": torch.__version__,
    "torchThreads": torch.get_num_threads(),
    "env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")},
    "blasLibraries": blas_library(),
    "config": config_blas(),
    "matmul": bench_matmul(),
    "optim": bench_optim(),
    "mlp": bench_mlp(),
}
print(json.dumps(result))
