"""MindSpore kernels for reductions."""
from ops_table.kernels._ms import prim


def _axis(dim, ndim):
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return tuple(range(ndim))
    return tuple(d % max(ndim, 1) for d in dim) if ndim else ()


def sum_(a, dim, keepdim, dtype):
    if a.ndim == 0:
        return prim("Identity")(a)
    return prim("ReduceSum", keepdim)(a, _axis(dim, a.ndim))


def mean(a, dim, keepdim, dtype):
    if a.ndim == 0:
        return prim("Identity")(a)
    return prim("ReduceMean", keepdim)(a, _axis(dim, a.ndim))
