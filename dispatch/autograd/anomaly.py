"""Anomaly detection: remember where each node was created; fail on NaN gradients."""
import threading
import traceback
import warnings

_state = threading.local()


def is_enabled():
    return getattr(_state, "enabled", False)


def check_nan_enabled():
    return getattr(_state, "check_nan", True)


def set_enabled(flag, check_nan=True):
    _state.enabled = bool(flag)
    _state.check_nan = bool(check_nan)


def remember_creation(node):
    node.metadata["traceback_"] = traceback.format_stack()[:-3]


def check_outputs(node, grads):
    if not check_nan_enabled():
        return
    for i, g in enumerate(grads):
        if g is not None and g.dtype.is_floating_point and bool(g.isnan().any()):
            trace = node.metadata.get("traceback_")
            if trace:
                warnings.warn("Error detected in " + node.name() + ". Traceback of forward call that caused the "
                              "error:\n" + "".join(trace), UserWarning, stacklevel=2)
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")
