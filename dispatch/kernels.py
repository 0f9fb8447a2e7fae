"""Kernel selection: the first candidate that exists for the backend, chosen once.

Candidates are strings in the table:
  prim:Add             a pre-built `mindspore.ops.Add()` (built once, ~14 us a call; a
                       Primitive built per call costs ~20 us more)
  ops:name / mint:a.b  a function of `mindspore.ops` / `mindspore.mint`
  np:name              a NumPy function (host backend)
  fn:pkg.module.func   a kernel function, by qualified name (`ops_table.<family>.ms.sum_`)
  composite:pkg.mod.f  a decomposition into other table ops (`ops_table.<family>.composites.f`)
Kernels take backend arrays and return backend arrays; composites take Tensors.
"""
import contextlib
import importlib
import os
import sys
import tempfile

_MISSING_MARKERS = ("unregistered", "only supports Ascend", "Not found op", "Unsupported op",
                    "not support on CPU", "is not supported on CPU", "not registered", "Can not find")


class Kernel:
    __slots__ = ("fn", "composite", "spec")

    def __init__(self, fn, composite, spec):
        self.fn = fn
        self.composite = composite
        self.spec = spec


_resolved = {}


def resolve(spec):
    """The callable a candidate names, or None when the installed packages lack it."""
    if spec in _resolved:
        return _resolved[spec]
    kind, _, path = spec.partition(":")
    fn = None
    try:
        if kind == "prim":
            from mindspore import ops
            fn = getattr(ops, path)()
        elif kind in ("ops", "mint"):
            import mindspore
            obj = getattr(mindspore, kind)
            for part in path.split("."):
                obj = getattr(obj, part)
            fn = obj
        elif kind == "np":
            import numpy
            fn = getattr(numpy, path)
        elif kind in ("fn", "composite"):
            # Imported on first use: a program imports only the families it runs.
            mod, _, func = path.rpartition(".")
            fn = getattr(importlib.import_module(mod), func)
        else:
            raise ValueError(f"unknown kernel kind in {spec!r}")
    except (AttributeError, ImportError):
        fn = None
    k = None if fn is None else Kernel(fn, kind == "composite", spec)
    _resolved[spec] = k
    return k


def candidates_for(entry, backend):
    return entry["kernels"].get(backend) or []


def select(entry, backend, availability=None):
    """Resolvable candidates for `backend`, in the table's order of preference.

    `availability` (tests) maps candidate spec -> bool, overriding resolution, so the
    selection rule can be checked for device targets this machine does not have.
    """
    out = []
    for spec in candidates_for(entry, backend):
        if availability is not None:
            if availability.get(spec, False):
                out.append(spec)
            continue
        if resolve(spec) is not None:
            out.append(spec)
    return out


def is_missing_kernel_error(exc):
    msg = str(exc)
    return any(m in msg for m in _MISSING_MARKERS)


@contextlib.contextmanager
def quiet_stderr():
    """Silence the C++ log MindSpore writes to fd 2 when a kernel is missing.

    Used only while probing a candidate for the first time; what it swallowed is kept
    so that a real failure can still report it.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield tmp
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
