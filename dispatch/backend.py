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
        import mindspore
        mindspore.runtime.launch_blocking()
        _state["target"] = mindspore.get_context("device_target").lower()
    return _state["target"]


def in_forked_child():
    return _state["forked"]


def creation_backend():
    """Backend name for a tensor made from host data: 'host' in forked children, else the MindSpore target."""
    if _state["forked"]:
        return "host"
    return _state["target"] or init_mindspore()


def is_host_array(data):
    return type(data) is np.ndarray
