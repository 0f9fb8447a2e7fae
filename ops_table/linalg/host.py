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


def inv(a):
    return np.linalg.inv(a) if a.size else a.copy()


def det(a):
    return np.asarray(np.linalg.det(a), dtype=a.dtype) if a.shape[-1] else np.ones(a.shape[:-2], a.dtype)


def slogdet(a):
    if not a.shape[-1]:
        return np.ones(a.shape[:-2], a.dtype), np.zeros(a.shape[:-2], a.dtype)
    s, l = np.linalg.slogdet(a)
    return np.asarray(s, a.dtype), np.asarray(l, a.dtype)


def solve(A, B, left):
    if not left:
        return np.swapaxes(solve(np.swapaxes(A, -1, -2), np.swapaxes(B, -1, -2), True), -1, -2)
    vec = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    if vec:
        B = B[..., None]
    batch = np.broadcast_shapes(A.shape[:-2], B.shape[:-2])
    A = np.broadcast_to(A, batch + A.shape[-2:])
    B = np.broadcast_to(B, batch + B.shape[-2:])
    X = np.linalg.solve(A, B) if A.size and B.size else np.zeros(batch + B.shape[-2:], A.dtype)
    return np.ascontiguousarray(X[..., 0] if vec else X).astype(A.dtype, copy=False)


def cholesky(a, upper):
    L = np.linalg.cholesky(a) if a.size else a.copy()
    return np.ascontiguousarray(np.swapaxes(L, -1, -2)) if upper else L


def qr(a, mode):
    if not a.size:
        m, n = a.shape[-2:]
        k = m if mode == "complete" else min(m, n)
        q = np.zeros(a.shape[:-2] + (m, k if mode != "r" else 0), a.dtype)
        if mode != "r":
            q[..., range(min(m, k)), range(min(m, k))] = 1
        r = np.zeros(a.shape[:-2] + (k, n), a.dtype)
        return (q if mode != "r" else np.zeros((0,), a.dtype)), r
    q, r = np.linalg.qr(a, mode="complete" if mode == "complete" else "reduced")
    if mode == "r":
        return np.zeros((0,), a.dtype), np.ascontiguousarray(r)
    return np.ascontiguousarray(q), np.ascontiguousarray(r)


def eigh(a, UPLO):
    if not a.size:
        return np.zeros(a.shape[:-1], a.dtype), a.copy()
    w, v = np.linalg.eigh(a, UPLO=UPLO)
    return w.astype(a.dtype, copy=False), np.ascontiguousarray(v.astype(a.dtype, copy=False))
