"""Host twins of ms_complex: NumPy's conj already keep PyTorch's result dtypes."""
import numpy as np


def conj_physical(a):
    return np.conj(a) if np.iscomplexobj(a) else a.copy()
