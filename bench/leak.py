"""Native memory growth per call (bytes of RSS, from /proc/self/statm) of ops, training
steps and tensor housekeeping, under mstorch, MindSpore used directly, and real torch.

    python bench/leak.py [--calls 4000] [--rounds 5] [--warmup 1500] [--cases matmul,sum,...]

Each implementation runs in a fresh interpreter. There every case is warmed up, then timed
in rounds that interleave the cases (round r measures each case once, in turn), and the
per-case figure is the median over rounds of (RSS after `calls` calls - RSS before) / calls.
A case that keeps objects alive per call shows a steady positive figure in every round; the
allocator's noise shows as a few bytes either way. Cases marked `steps` count one training
step as a call and run calls/20 of them. MindSpore's cases call pre-built primitives, the
same call pattern mstorch's kernels use (a case where MindSpore itself grows names the
primitive). Prints one JSON object with os.getloadavg() before and after."""
import argparse
import gc
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import loadavg  # noqa: E402

_PAGE = os.sysconf("SC_PAGE_SIZE")
# Training steps cost ~100x an op: they run this fraction of `calls`.
STEP_CASES = {"mlp_fwd_bwd", "cnn_fwd_bwd", "adam_step", "adamw_step", "sgd_step"}


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _PAGE


def torch_cases(torch):
    """name -> zero-argument callable, written once against the torch API (mstorch or real torch)."""
    import numpy as np
    F = torch.nn.functional
    g = torch.Generator().manual_seed(0)
    a, w, b = torch.randn(32, 64, generator=g), torch.randn(256, 64, generator=g), torch.randn(256, generator=g)
    img, kernel = torch.randn(4, 3, 16, 16, generator=g), torch.randn(8, 3, 3, 3, generator=g)
    logits, target = torch.randn(32, 10, generator=g), torch.randint(0, 10, (32,), generator=g)
    buf = torch.zeros(32, 64)
    idx = torch.tensor([0, 3, 5])

    def train(model, x, y, opt):
        def step():
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            if opt is not None:
                opt.step()
        return step

    def mlp():
        torch.manual_seed(0)
        return torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))

    def cnn():
        torch.manual_seed(0)
        nn = torch.nn
        return nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 7 * 7, 10))

    def fwd_bwd(model, x, y):
        def step():
            model.zero_grad()
            F.cross_entropy(model(x), y).backward()
        return step

    def opt_step(cls, **kw):
        model = mlp()
        return train(model, a, target, getattr(torch.optim, cls)(model.parameters(), lr=1e-3, **kw))

    return {
        "matmul": lambda: a @ w.t(),
        "linear": lambda: F.linear(a, w, b),
        "sum": lambda: a.sum(),
        "mean": lambda: a.mean(),
        "add": lambda: a + a,
        "mul_float": lambda: a * 1.5,
        "relu": lambda: torch.relu(a),
        "softmax": lambda: torch.softmax(a, -1),
        "conv2d": lambda: F.conv2d(img, kernel),
        "cross_entropy": lambda: F.cross_entropy(logits, target),
        "mlp_fwd_bwd": fwd_bwd(mlp(), a, target),
        "cnn_fwd_bwd": fwd_bwd(cnn(), img, target[:4]),
        "adam_step": opt_step("Adam"),
        "adamw_step": opt_step("AdamW"),
        "sgd_step": opt_step("SGD", momentum=0.9),
        "tensor_create": lambda: torch.tensor([1.0, 2.0, 3.0]),
        "from_numpy": lambda: torch.from_numpy(np.ones(16, np.float32)),
        "index": lambda: (a[0], a[:, 1:3], a[idx]),
        "repr": lambda: repr(a[:2, :3]),
        "item": lambda: a[0, 0].item(),
        "numpy": lambda: a.numpy(),
        "inplace": lambda: buf.add_(1.0),
        "view": lambda: (a.view(-1), a.t(), a.transpose(0, 1), a.reshape(64, 32)),
    }


def mindspore_cases():
    """The same cases on MindSpore directly: pre-built primitives (mstorch's call pattern),
    nn.Cell models with value_and_grad and MindSpore's optimizers for the training steps."""
    import numpy as np
    import mindspore as ms
    from mindspore import nn, ops
    rng = np.random.default_rng(0)

    def t(*shape):
        return ms.Tensor(rng.standard_normal(shape).astype(np.float32))
    a, w, b = t(32, 64), t(256, 64), t(256)
    img, kernel = t(4, 3, 16, 16), t(8, 3, 3, 3)
    logits, target = t(32, 10), ms.Tensor(rng.integers(0, 10, (32,)).astype(np.int32))
    buf = ms.Tensor(np.zeros((32, 64), np.float32))
    idx = ms.Tensor(np.array([0, 3, 5], np.int64))
    matmul_bt = ops.MatMul(transpose_b=True)
    bias_add, reduce_sum, reduce_mean = ops.BiasAdd(), ops.ReduceSum(), ops.ReduceMean()
    add, mul, relu, softmax = ops.Add(), ops.Mul(), ops.ReLU(), ops.Softmax(-1)
    conv = ops.Conv2D(8, 3)
    xent = ops.SparseSoftmaxCrossEntropyWithLogits()
    gather, transpose, reshape = ops.Gather(), ops.Transpose(), ops.Reshape()
    one_half = ms.Tensor(np.float32(1.5))

    class Mlp(nn.Cell):
        def __init__(self):
            super().__init__()
            self.net = nn.SequentialCell(nn.Dense(64, 32), nn.ReLU(), nn.Dense(32, 10))

        def construct(self, x):
            return self.net(x)

    class Cnn(nn.Cell):
        def __init__(self):
            super().__init__()
            self.net = nn.SequentialCell(nn.Conv2d(3, 8, 3, pad_mode="valid"), nn.ReLU(),
                                         nn.MaxPool2d(2, 2), nn.Flatten(), nn.Dense(8 * 7 * 7, 10))

        def construct(self, x):
            return self.net(x)

    loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")

    def fwd_bwd(model, x, y, opt=None):
        grad_fn = ms.value_and_grad(lambda xx, yy: loss_fn(model(xx), yy), None, model.trainable_params())

        def step():
            _, grads = grad_fn(x, y)
            if opt is not None:
                opt(grads)
        return step

    def opt_step(make):
        model = Mlp()
        return fwd_bwd(model, a, target, make(model.trainable_params()))

    return {
        "matmul": lambda: matmul_bt(a, w),
        "linear": lambda: bias_add(matmul_bt(a, w), b),
        "sum": lambda: reduce_sum(a),
        "mean": lambda: reduce_mean(a),
        "add": lambda: add(a, a),
        "mul_float": lambda: mul(a, one_half),
        "relu": lambda: relu(a),
        "softmax": lambda: softmax(a),
        "conv2d": lambda: conv(img, kernel),
        "cross_entropy": lambda: xent(logits, target),
        "mlp_fwd_bwd": fwd_bwd(Mlp(), a, target),
        "cnn_fwd_bwd": fwd_bwd(Cnn(), img, target[:4]),
        "adam_step": opt_step(lambda ps: nn.Adam(ps, learning_rate=1e-3)),
        "adamw_step": opt_step(lambda ps: nn.AdamWeightDecay(ps, learning_rate=1e-3, weight_decay=1e-2)),
        "sgd_step": opt_step(lambda ps: nn.Momentum(ps, learning_rate=1e-3, momentum=0.9)),
        "tensor_create": lambda: ms.Tensor([1.0, 2.0, 3.0], ms.float32),
        "from_numpy": lambda: ms.Tensor.from_numpy(np.ones(16, np.float32)),
        "index": lambda: (a[0], a[:, 1:3], gather(a, idx, 0)),
        "repr": lambda: repr(a[:2, :3]),
        "item": lambda: a[0, 0].item(),
        "numpy": lambda: a.asnumpy(),
        "inplace": lambda: buf.__setitem__(slice(None), add(buf, one_half)),
        "view": lambda: (reshape(a, (-1,)), transpose(a, (1, 0)), reshape(a, (64, 32))),
    }


def child(impl, names, calls, rounds, warmup):
    if impl == "torch":
        import torch
        torch.set_num_threads(1)
        cases = torch_cases(torch)
    elif impl == "mstorch":
        import mstorch
        cases = torch_cases(mstorch.torch)
    else:
        import dispatch.backend  # noqa: F401  (the launch mode mstorch selects)
        cases = mindspore_cases()
    cases = {k: cases[k] for k in names}
    n_calls = {k: max(1, calls // 20) if k in STEP_CASES else calls for k in cases}
    for name, fn in cases.items():
        for _ in range(warmup // 20 if name in STEP_CASES else warmup):
            fn()
    growth = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            gc.collect()
            before = rss()
            for _ in range(n_calls[name]):
                fn()
            gc.collect()
            growth[name].append((rss() - before) / n_calls[name])
    return {name: {"bytes_per_call": round(statistics.median(v), 1), "rounds": [round(x, 1) for x in v],
                   "calls": n_calls[name]} for name, v in growth.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=4000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1500)
    ap.add_argument("--cases", default="")
    ap.add_argument("--impls", default="mstorch,mindspore,torch")
    ap.add_argument("--child", default="")
    args = ap.parse_args()
    names = [n for n in args.cases.split(",") if n] or list(_CASE_NAMES)
    if args.child:
        print(json.dumps(child(args.child, names, args.calls, args.rounds, args.warmup)))
        return
    before = loadavg()
    results = {}
    for impl in args.impls.split(","):
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", impl, "--cases", ",".join(names),
                              "--calls", str(args.calls), "--rounds", str(args.rounds), "--warmup", str(args.warmup)],
                             capture_output=True, text=True, timeout=3600, env={**os.environ, "GLOG_v": "3"})
        if out.returncode != 0:
            raise RuntimeError(f"{impl} child failed:\n{out.stderr[-3000:]}")
        results[impl] = json.loads(out.stdout.strip().splitlines()[-1])
    report = {"benchmark": "leak", "unit": "bytes of RSS per call (median over rounds)",
              "calls": args.calls, "step_calls": max(1, args.calls // 20), "rounds": args.rounds,
              "warmup": args.warmup,
              "bytes_per_call": {n: {impl: results[impl][n]["bytes_per_call"] for impl in results} for n in names},
              "rounds_detail": {impl: {n: results[impl][n]["rounds"] for n in names} for impl in results},
              "loadavg_before": before, "loadavg_after": loadavg()}
    print(json.dumps(report, indent=1))


_CASE_NAMES = ("matmul", "linear", "sum", "mean", "add", "mul_float", "relu", "softmax", "conv2d", "cross_entropy",
               "mlp_fwd_bwd", "cnn_fwd_bwd", "adam_step", "adamw_step", "sgd_step", "tensor_create", "from_numpy",
               "index", "repr", "item", "numpy", "inplace", "view")

if __name__ == "__main__":
    main()
