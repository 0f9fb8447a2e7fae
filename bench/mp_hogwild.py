"""torch.multiprocessing start methods under mstorch: child start-up and a hogwild epoch.

    python bench/mp_hogwild.py [--steps 20] [--procs 2] [--torch]

For each start method (fork: the child runs the host (NumPy) backend; spawn and
forkserver: a fresh interpreter running MindSpore) it measures
  - start-up: from Process.start() until the child has run one op on a shared tensor
    and answered (median of 3);
  - hogwild: `--procs` children each train mnist_hogwild's Net (batch 64, SGD momentum
    0.5) for `--steps` steps on shared parameters; wall time from start() to the last
    join, and the children's own ms/step (start-up excluded).
With --torch the same runs with real torch instead, for reference.  Prints one JSON object, with
os.getloadavg() before/after (the machine may be shared).
"""
import argparse
import json
import os
import statistics
import sys
import time


# Chosen at import, so that spawned children (which re-import this file, with the
# parent's sys.argv) pickle and find the same Net class.
if "--torch" in sys.argv:
    import torch
else:
    import mstorch
    torch = mstorch.torch
nn, F = torch.nn, torch.nn.functional


class Net(nn.Module):
    """mnist_hogwild's model."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = F.relu(self.fc1(x.view(-1, 320)))
        x = F.dropout(x, training=self.training)
        return F.log_softmax(self.fc2(x), dim=1)


def _answer(t, q):
    t.add_(1)
    q.put(time.perf_counter())


def _train(model, steps, rank, q):
    torch.manual_seed(rank)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5)
    x, y = torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))
    t0 = time.perf_counter()
    for _ in range(steps):
        opt.zero_grad()
        torch.nn.functional.nll_loss(model(x), y).backward()
        opt.step()
    q.put((time.perf_counter() - t0) / steps * 1e3)


def _startup(method):
    ctx = torch.multiprocessing.get_context(method)
    out = []
    for _ in range(3):
        t = torch.zeros(4).share_memory_()
        q = ctx.Queue()
        t0 = time.perf_counter()
        p = ctx.Process(target=_answer, args=(t, q))
        p.start()
        out.append(q.get(timeout=300) - t0)
        p.join(60)
        assert t.tolist() == [1, 1, 1, 1]
    return round(statistics.median(out), 3)


def _hogwild(method, procs, steps):
    torch.manual_seed(1)
    model = Net()
    model.share_memory()
    ctx = torch.multiprocessing.get_context(method)
    q = ctx.Queue()
    t0 = time.perf_counter()
    ps = [ctx.Process(target=_train, args=(model, steps, r, q)) for r in range(procs)]
    for p in ps:
        p.start()
    per_step = [q.get(timeout=600) for _ in ps]
    for p in ps:
        p.join(60)
    return {"wall_s": round(time.perf_counter() - t0, 2), "child_ms_per_step": [round(v, 1) for v in per_step]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--torch", action="store_true", help="also measure real torch")
    args = ap.parse_args()
    result = {"runtime": "torch" if args.torch else "mstorch", "loadavg_before": os.getloadavg(),
              "steps": args.steps, "procs": args.procs}
    torch.set_num_threads(1)
    a = torch.randn(64, 64)
    (a @ a).sum().item()  # the parent has run ops before any child starts
    for method in ("fork", "spawn", "forkserver"):
        result[method] = {"startup_s": _startup(method), "hogwild": _hogwild(method, args.procs, args.steps)}
        print(method, result[method], file=sys.stderr, flush=True)
    result["loadavg_after"] = os.getloadavg()
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
