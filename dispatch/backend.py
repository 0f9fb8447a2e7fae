"""Which backend serves new tensors: MindSpore (its device target) or `host` (NumPy).

A process forked from an mstorch process must never call MindSpore (a forked child's
first MindSpore op hangs once the parent has run ops), so after fork every new tensor is
a host tensor and ops on it run the table's `host` kernels.
"""
import os

import numpy as np

_state = {"forked": False, "target": None}


def _mark_forked():
    _state["forked"] = True


os.register_at_fork(after_in_child=_mark_forked)


def init_mindspore():
    """Import MindSpore once and choose the launch mode.

    PyTorch programs read values back all the time (`.item()`, `print`, branches on
    values); MindSpore's default asynchronous launch makes each read cost 1-4 ms and
    reports kernel errors on later, unrelated calls.  Blocking launch reads in ~15 us,
    dispatches faster and raises errors at the call (measured: bench/op_overhead.py).
    """
    if _state["target"] is None:
        from dispatch.mslock import LOCK
        with LOCK:  # threads' first ops must not start MindSpore twice (dispatch/mslock.py)
            if _state["target"] is None:
                import mindspore
                mindspore.runtime.launch_blocking()
                _register_bfloat16_numpy_type(mindspore)
                _state["target"] = mindspore.get_context("device_target").lower()
    return _state["target"]


def target():
    """The MindSpore device target ('cpu', 'ascend', 'gpu'), MindSpore started on first use."""
    return _state["target"] or init_mindspore()


def in_forked_child():
    return _state["forked"]


def creation_backend():
    """Backend name for a tensor made from host data: 'host' in forked children, else the MindSpore target."""
    if _state["forked"]:
        return "host"
    return _state["target"] or init_mindspore()


def _register_bfloat16_numpy_type(mindspore):
    """NumPy has no bfloat16; MindSpore brings one (its asnumpy() returns it). Host
    buffers of bfloat16 tensors use that type when ml_dtypes is not installed."""
    from dispatch import dtypes
    if dtypes.bfloat16.np is None:
        probe = mindspore.Tensor(np.zeros(1, np.float32)).astype(mindspore.bfloat16)
        dtypes.bfloat16.np = probe.asnumpy().dtype
        dtypes._BY_NP[dtypes.bfloat16.np] = dtypes.bfloat16


_threads = {"intra": None, "inter": None}


def set_num_threads(n):
    """torch.set_num_threads: MindSpore's CPU runtime thread count follows it."""
    if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    import mindspore
    init_mindspore()
    mindspore.set_context(runtime_num_threads=n)
    _threads["intra"] = n


def get_num_threads():
    if _threads["intra"] is None:
        import mindspore
        init_mindspore()
        return int(mindspore.get_context("runtime_num_threads") or os.cpu_count() or 1)
    return _threads["intra"]


def set_num_interop_threads(n):
    if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
        raise RuntimeError("Expected positive number of threads")
    import mindspore
    init_mindspore()
    mindspore.set_context(inter_op_parallel_num=n)
    _threads["inter"] = n


def get_num_interop_threads():
    if _threads["inter"] is None:
        import mindspore
        init_mindspore()
        return int(mindspore.get_context("inter_op_parallel_num") or 1)
    return _threads["inter"]
