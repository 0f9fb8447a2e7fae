"""Targets for spawned children in tests/test_multiprocessing.py.  A spawned child imports
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
