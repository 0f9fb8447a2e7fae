"""NumPy kernels for membership and counting ops (isin, bincount)."""
import numpy as np


def isin(elements, test_elements, assume_unique, invert):
    # NaN is a member of nothing, as in PyTorch: np.isin compares with ==.
    return np.isin(np.asarray(elements), np.asarray(test_elements).reshape(-1), invert=invert)


def bincount(self, weights, minlength):
    idx = np.asarray(self).astype(np.int64, copy=False)
    if weights is None:
        return np.bincount(idx, minlength=minlength).astype(np.int64, copy=False)
    w = np.asarray(weights)
    # PyTorch keeps float32 weights in float32 and counts every other dtype in float64.
    out_dtype = np.float32 if w.dtype == np.float32 else np.float64
    return np.bincount(idx, weights=w.astype(np.float64), minlength=minlength).astype(out_dtype)
