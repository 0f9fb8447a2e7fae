"""Targets for spawned children in tests/data/test_multiprocessing.py.  A spawned child imports
the module of its target; this one imports only mstorch (not real torch, not pytest
plugins), so that each child starts as fast as a fresh interpreter with MindSpore can."""
import mstorch

T = mstorch.torch
WAIT = 120


def train_shared(rank, model, steps, lock, start):
    """Plain SGD on a loss whose gradient does not depend on the weights: the result of
    all children's steps is known exactly, whatever their order."""
    opt = T.optim.SGD(model.parameters(), lr=0.1)
    x = T.full((1, 3), float(rank + 1))
    start.wait(WAIT)
    for _ in range(steps):
        with lock:
            opt.zero_grad()
            model(x).sum().backward()
            opt.step()


def raise_on_last_rank(rank, nprocs):
    if rank == nprocs - 1:
        raise ValueError(f"rank {rank} is unhappy")


def send_back_and_check(shared_arg, q, ack, out):
    """Writes into a tensor received as a Process argument, sends a tensor of its own and
    a view of it, then reports what the parent wrote there.  This module never touches
    torch.multiprocessing: sending shared must not depend on it (as with PyTorch)."""
    shared_arg.add_(5)
    t = T.arange(6.0).reshape(2, 3)
    q.put((t, t[:, 1]))
    ack.get(timeout=WAIT)
    out.put(t.tolist())
