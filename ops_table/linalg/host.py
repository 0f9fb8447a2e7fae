"""Host (NumPy) kernels for linear algebra."""
import numpy as np


def mm(a, b):
    return np.matmul(a, b)


def bmm(a, b):
    return np.matmul(a, b)


def tril(a, diagonal):
    return np.tril(a, diagonal)


def triu(a, diagonal):
    return np.triu(a, diagonal)


def linalg_svd(a, full_matrices, compute_uv, driver):
    """LAPACK's gesdd through NumPy, as PyTorch's CPU default. Singular vectors are unique only up
    to the sign of each (u_i, v_i) pair, and LAPACK builds choose differently (MKL vs OpenBLAS)."""
    m, n = a.shape[-2:]
    k = min(m, n)
    batch = a.shape[:-2]
    if a.size == 0:
        s = np.zeros(batch + (k,), a.dtype)
        if not compute_uv:
            return np.zeros((0,), a.dtype), s, np.zeros((0,), a.dtype)
        ucols, vrows = (m, n) if full_matrices else (k, k)
        u = np.zeros(batch + (m, ucols), a.dtype)
        vh = np.zeros(batch + (vrows, n), a.dtype)
        # the complementary bases of an empty matrix are the identity's columns
        u[..., range(min(m, ucols)), range(min(m, ucols))] = 1
        vh[..., range(min(n, vrows)), range(min(n, vrows))] = 1
        return u, s, vh
    if not compute_uv:
        s = np.linalg.svd(a, compute_uv=False)
        return np.zeros((0,), a.dtype), np.ascontiguousarray(s.astype(a.dtype, copy=False)), np.zeros((0,), a.dtype)
    u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
    return tuple(np.ascontiguousarray(x.astype(a.dtype, copy=False)) for x in (u, s, vh))
