"""Grad mode: whether ops record autograd history.  Thread-local, as in PyTorch."""
import threading

_local = threading.local()


def is_enabled():
    return getattr(_local, "enabled", True)


def set_enabled(flag):
    _local.enabled = bool(flag)


def is_inference():
    return getattr(_local, "inference", False)


def set_inference(flag):
    _local.inference = bool(flag)
