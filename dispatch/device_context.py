"""The default device behind `with torch.device(...)` and `torch.set_default_device`.

Per thread, as in PyTorch (its DeviceContext is a torch-function mode, and mode stacks and
`_GLOBAL_DEVICE_CONTEXT` are thread-local): one thread's `with torch.device("meta")`
must not change where another thread's tensors go.

Two layers, as in PyTorch: `set_default_device` sets the thread's default; each `with
torch.device(...)` pushes a device that wins until its block ends, so leaving the block
gives back exactly the default it found.

The default device is a user-level request: the ops mstorch runs on the user's behalf
(composites, argument wrapping) make their own tensors where their inputs are, so while one
runs (`internal()`), factories see no default.
"""
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


def set_default(d):
    """torch.set_default_device: None goes back to the CPU."""
    _local.default = d


def current():
    s = _stack()
    return s[-1] if s else getattr(_local, "default", None)


def for_factories():
    """The device a factory without device= uses: None inside mstorch's own ops."""
    if getattr(_local, "internal", 0):
        return None
    return current()


class _Internal:
    """`with internal():` around mstorch's own work (a class, not a generator: it wraps every
    composite op call)."""
    __slots__ = ()

    def __enter__(self):
        _local.internal = getattr(_local, "internal", 0) + 1

    def __exit__(self, *exc):
        _local.internal -= 1
        return False


_INTERNAL = _Internal()


def internal():
    return _INTERNAL
