"""Host twins of ms_complex: NumPy's conj/abs already keep PyTorch's result dtypes."""
import numpy as np


def conj_physical(a):
    return np.conj(a) if np.iscomplexobj(a) else a.copy()


def abs(a):  # noqa: A001 - the op's name
    return np.abs(a)
