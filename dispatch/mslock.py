"""The one process-wide lock around MindSpore.

MindSpore 2.10's PyNative runtime is not safe to drive from several Python threads:
four threads launching MatMul/Add and reading results with no mstorch code involved
segfault or raise "The pointer[runtime_info] is null" (measured; tests/test_threads.py
runs that mixed workload).  PyTorch programs do use threads (DataLoader's pin-memory
thread, library thread pools such as transformers' weight loading), so every MindSpore
launch and host read made by the dispatcher and `dispatch.arrays` runs under this lock.

Re-entrant because an op's composite calls other ops on the same thread.  Uncontended,
acquiring it costs ~0.1 us against an op's ~30 us.  After `fork` the child gets a fresh
lock: the thread that held it in the parent does not exist there.
"""
import os
import threading

LOCK = threading.RLock()


def _reinit_in_child():
    # `_at_fork_reinit` is what CPython's own threading and logging modules use on
    # their locks after fork; the object stays the same, so `from ... import LOCK`
    # bindings elsewhere stay valid.
    LOCK._at_fork_reinit()


os.register_at_fork(after_in_child=_reinit_in_child)
