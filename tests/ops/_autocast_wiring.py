"""Test-only stand-in for the dispatcher's autocast hook, used until dispatch/dispatcher.py
calls dispatch/autocast.py itself.

Op callables capture `OpRunner.run` when they are built, so the stand-in hooks the two
steps `run` looks up on each call: `_dtypes` (table kernels) and `_run_composite`
(composite kernels).  Both receive run's own `args` list, which is updated in place.
"""
import contextlib
import inspect

from dispatch import autocast as _ac
from dispatch import dispatcher as _dispatcher


def wired():
    """True when the dispatcher already consults dispatch/autocast.py (in the runners it
    builds per op, dispatch/runners.py, since issue #18)."""
    from dispatch import runners
    return "_autocast.cast_args" in inspect.getsource(runners)


def _cast_in_place(runner, ov, args, tensors=None):  
    cast = _ac.cast_args(runner.name, ov, args)
    if cast is None:
        return
    args[:] = cast
    if tensors is not None:
        tensors[:] = [t for i in ov.tensor_pos if isinstance(t := args[i], _dispatcher.Tensor)] + \
                     [t for i in ov.list_pos for t in args[i] if t is not None]  # run's order


@contextlib.contextmanager
def autocast_hook():
    if wired():
        yield
        return
    cls = _dispatcher.OpRunner
    dtypes, composite = cls._dtypes, cls._run_composite

    def patched_dtypes(self, ov, args, tensors, backend, inplace):
        if _ac.ACTIVE[0] and not inplace:
            _cast_in_place(self, ov, args, tensors)
        return dtypes(self, ov, args, tensors, backend, inplace)

    def patched_composite(self, kernel, args, ov):
        if _ac.ACTIVE[0]:
            _cast_in_place(self, ov, args)
            with _ac.excluded():
                return composite(self, kernel, args, ov)
        return composite(self, kernel, args, ov)

    cls._dtypes, cls._run_composite = patched_dtypes, patched_composite
    try:
        yield
    finally:
        cls._dtypes, cls._run_composite = dtypes, composite
