"""torch.multiprocessing: Python's multiprocessing, with tensors crossing processes
through shared memory, plus spawn()/start_processes() and the sharing strategies.

Everything of `multiprocessing` is here as it is (Process, Queue, SimpleQueue, Pool,
get_context, set_start_method...), as in PyTorch.  What this package adds is the
reduction of tensors (reductions.py, dispatch/pickling.py): a tensor sent to another
process moves into shared memory and arrives aliasing it.

The start method is Python's default (fork on Linux), as in PyTorch.  A forked child
must never call MindSpore (its first op hangs once the parent has run ops:
docs/design-notes.md, "Forked processes"; docs/mindspore-facts.md, §8b),
so a forked child runs every op on the host (NumPy) backend, which has kernels for
training too (conv, pooling, losses, SGD/Adam...): it starts in milliseconds and, on the
machine measured, a hogwild MNIST step ran faster there than MindSpore's CPU kernels in
a spawned child (see README, "torch.multiprocessing").  `spawn` and `forkserver` give
each child a fresh interpreter with its own MindSpore (about 4 s to start).
"""
import multiprocessing
from multiprocessing import *  # noqa: F401,F403 - the whole of multiprocessing, as PyTorch re-exports it

from dispatch import shared_memory as _shared_memory
from mstorch.impl.torch.multiprocessing.reductions import init_reductions
from mstorch.impl.torch.multiprocessing.spawn import (ENV_VAR_PARALLEL_START, ProcessContext,  # noqa: F401
                                                       ProcessExitedException, ProcessRaisedException, SpawnContext,
                                                       spawn, start_processes)

__all__ = ["set_sharing_strategy", "get_sharing_strategy", "get_all_sharing_strategies"]
__all__ += multiprocessing.__all__

_all_sharing_strategies = set(_shared_memory.STRATEGIES)


def set_sharing_strategy(new_strategy):
    """How tensors are put into shared memory: 'file_descriptor' (an anonymous memfd whose
    descriptor is passed to the receiver) or 'file_system' (a named file in /dev/shm)."""
    if new_strategy not in _all_sharing_strategies:
        raise AssertionError(f"invalid sharing strategy {new_strategy!r}, expected one of {_all_sharing_strategies}")
    _shared_memory.set_strategy(new_strategy)


def get_sharing_strategy():
    return _shared_memory.get_strategy()


def get_all_sharing_strategies():
    return _all_sharing_strategies


init_reductions()
