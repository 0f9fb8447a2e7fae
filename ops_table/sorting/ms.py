"""MindSpore-backend sorting kernels: the NumPy kernels of host.py over zero-copy host views (see host.py
for the measured reasons MindSpore's own Sort is not used)."""
from ops_table.sorting import host as _np
from ops_table.common._ms import from_host


def _host(v):
    return v.asnumpy() if hasattr(v, "asnumpy") else v


def _back(r):
    if isinstance(r, tuple):
        return tuple(from_host(x.copy()) for x in r)
    return from_host(r.copy())


def _wrap(f):
    def kernel(*args):
        return _back(f(*(_host(a) for a in args)))
    kernel.__name__ = f.__name__
    return kernel


sort = _wrap(_np.sort)
topk = _wrap(_np.topk)
kthvalue = _wrap(_np.kthvalue)
unique2 = _wrap(_np.unique2)
unique_dim = _wrap(_np.unique_dim)
unique_dim_consecutive = _wrap(_np.unique_dim_consecutive)
searchsorted = _wrap(_np.searchsorted)
mode = _wrap(_np.mode)
