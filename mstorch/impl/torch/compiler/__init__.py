"""torch.compiler: mstorch compiles nothing (torch.compile runs eagerly), so every query says
"not compiling", and the markers that only steer a compiler leave the function as it is,
which is what PyTorch's do when the code runs eagerly."""
from mstorch.impl.torch._compile import _BACKENDS, compile  # noqa: F401


def is_compiling():
    return False


def is_dynamo_compiling():
    return False


def is_exporting():
    return False


def disable(fn=None, recursive=True, *, reason=None):
    if fn is None:
        return lambda f: disable(f, recursive, reason=reason)
    return fn


def allow_in_graph(fn):
    if isinstance(fn, (list, tuple)):
        return [allow_in_graph(f) for f in fn]
    if not callable(fn):
        raise TypeError(f"allow_in_graph expects a callable, but got {type(fn).__name__}")
    return fn


def assume_constant_result(fn):
    return fn


def reset():
    # There are no compiled caches or guards to clear.
    return None


def list_backends(exclude_tags=("debug", "experimental")):
    # The backends torch.compile accepts; the debug ones (eager, aot_eager...) are tagged 'debug'.
    debug = {"eager", "aot_eager", "aot_eager_decomp_partition"}
    names = [b for b in _BACKENDS if not (exclude_tags and "debug" in exclude_tags and b in debug)]
    return sorted(names)


def cudagraph_mark_step_begin():
    # Marks an iteration boundary for CUDA graph trees; no graphs are ever recorded here.
    return None
