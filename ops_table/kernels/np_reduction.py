"""Host (NumPy) kernels for reductions."""
import numpy as np


def _axis(dim, ndim):
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return None
    return tuple(d % max(ndim, 1) for d in dim) if ndim else None


def sum_(a, dim, keepdim, dtype):
    return np.asarray(np.sum(a, axis=_axis(dim, a.ndim), keepdims=keepdim))


def mean(a, dim, keepdim, dtype):
    return np.asarray(np.mean(a, axis=_axis(dim, a.ndim), keepdims=keepdim)).astype(a.dtype)
