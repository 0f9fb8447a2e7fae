"""MindSpore-backend membership and counting kernels: the NumPy kernels over zero-copy
host views (MindSpore 2.10 has no CPU isin, and its Bincount takes int32 only)."""
from ops_table.counting import host as _np
from ops_table.common._ms import from_host


def _host(v):
    return v.asnumpy() if hasattr(v, "asnumpy") else v


def isin(elements, test_elements, assume_unique, invert):
    return from_host(_np.isin(_host(elements), _host(test_elements), assume_unique, invert))


def bincount(self, weights, minlength):
    return from_host(_np.bincount(_host(self), _host(weights), minlength))
