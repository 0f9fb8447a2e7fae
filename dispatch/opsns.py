"""`T`: the table's ops as plain functions, for composites and backward formulas."""
from dispatch import upcalls as _upcalls


class _Ops:
    def __getattr__(self, name):
        from dispatch.dispatcher import function_for
        from dispatch import dtypes, layout, pyapi
        f = getattr(pyapi, name, None)
        if f is None:
            f = getattr(layout, name, None)
        if f is None and name != "dtype":
            f = getattr(dtypes, name, None) or dtypes.ALIASES.get(name)
        if f is None and name == "Tensor":
            from dispatch.tensor import Tensor as f
        if f is None:
            try:
                f = function_for(name)
            except NotImplementedError:
                raise AttributeError(f"mstorch op namespace has no '{name}'") from None
        setattr(self, name, f)
        return f


T = _Ops()

_upcalls.provide(T=T)
