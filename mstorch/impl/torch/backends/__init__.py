"""torch.backends: flags scripts set for CUDA/cuDNN/MKLDNN.  They are accepted and
remembered; none changes results here (no TF32, no cuDNN, no autotuning on this runtime)."""
import contextlib

from mstorch import proxy as _proxy


def _module_flags(name, module_globals, **values):
    """Set flags on the impl module and on the served `torch.backends.*` proxy (which keeps
    its own copy once a flag has been read through it)."""
    served = _proxy.get(name)
    for k, v in values.items():
        if v is not None:
            module_globals[k] = v
            setattr(served, k, v)


def _read(name, module_globals, key):
    served = _proxy.get(name)
    return served.__dict__.get(key, module_globals[key])


@contextlib.contextmanager
def _flag_context(name, module_globals, **values):
    keys = [k for k, v in values.items() if v is not None]
    old = {k: _read(name, module_globals, k) for k in keys}
    _module_flags(name, module_globals, **values)
    try:
        yield
    finally:
        _module_flags(name, module_globals, **old)
