"""The default device stack behind `with torch.device(...)` and `torch.set_default_device`.

Per thread, as in PyTorch (its DeviceContext is a torch-function mode, and mode stacks and
`_GLOBAL_DEVICE_CONTEXT` are thread-local): one thread's `with torch.device("meta")`
must not change where another thread's tensors go."""
import threading

_local = threading.local()


def _stack():
    s = getattr(_local, "stack", None)
    if s is None:
        s = _local.stack = []
    return s


def push(d):
    _stack().append(d)


def pop():
    _stack().pop()


def current():
    s = _stack()
    return s[-1] if s else None
