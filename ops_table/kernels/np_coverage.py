"""NumPy kernels for the coverage entries: the host backend (forked workers, empty inputs),
and the CPU kernel of `linalg.eigh`, for which MindSpore 2.10 has no CPU primitive
(mindspore.ops has only the general `Eig`, whose complex output and ordering differ)."""
import numpy as np


def tan(a):
    return np.tan(a)


def i0(a):
    return np.i0(a).astype(a.dtype, copy=False)


def i1(a):
    # Power series sum (x/2)^(2k+1) / (k! (k+1)!) in float64: the host kernel serves forked
    # workers and empty inputs, where a few dozen terms are exact to double precision for |x| < 40.
    x = np.asarray(a, np.float64) / 2
    term = x.copy()
    out = term.copy()
    x2 = x * x
    for k in range(1, 80):
        term = term * x2 / (k * (k + 1))
        out = out + term
    return out.astype(a.dtype, copy=False)


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
