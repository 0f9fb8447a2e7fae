"""Host twin of ms.py: NumPy's conj already keeps PyTorch's result dtypes."""
import numpy as np


def conj_physical(a):
    return np.conj(a) if np.iscomplexobj(a) else a.copy()
