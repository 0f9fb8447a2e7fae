"""MindSpore kernels for linear algebra (MatMul is fast on CPU; everything else composes)."""
import numpy as np

from ops_table.common._ms import from_host, host_array, numpy_matmul_wins, prim


def mm(a, b):
    if numpy_matmul_wins(a, b):
        return from_host(np.matmul(host_array(a), host_array(b)))
    return prim("MatMul")(a, b)


def bmm(a, b):
    return prim("BatchMatMul")(a, b)


def tril(a, diagonal):
    return prim("Tril", int(diagonal))(a)


def triu(a, diagonal):
    return prim("Triu", int(diagonal))(a)


def linalg_svd(a, full_matrices, compute_uv, driver):
    # MindSpore's CPU Svd is Eigen's Jacobi SVD; PyTorch's CPU default is LAPACK's gesdd, whose
    # host twin is the kernel of record here (the same singular values to the last ulps).
    from ops_table.linalg import host as np_linalg
    return tuple(from_host(x) for x in np_linalg.linalg_svd(host_array(a), full_matrices, compute_uv, driver))


# MindSpore's determinant/inverse kernels reject 1x1 matrices ("row size must be >= 2"):
# those are pointwise, and go through the host kernel on the host copy.
def _small(a):
    return a.shape[-1] < 2


def _via_host(fn, a, *rest):
    import numpy as np
    from ops_table.linalg import host
    from ops_table.common._ms import from_host
    out = getattr(host, fn)(a.asnumpy(), *rest)
    return tuple(from_host(np.asarray(o)) for o in out) if isinstance(out, tuple) else from_host(np.asarray(out))


def inv(a):
    return _via_host("inv", a) if _small(a) else prim("MatrixInverse")(a)


def det(a):
    return _via_host("det", a) if _small(a) else prim("MatrixDeterminant")(a)


def slogdet(a):
    if _small(a):
        return _via_host("slogdet", a)
    sign, logabs = prim("LogMatrixDeterminant")(a)
    return sign, logabs


def eigh(a, UPLO):
    # MindSpore 2.10 has no symmetric eigensolver on CPU (only the general, complex-valued Eig):
    # LAPACK's through NumPy is this op's documented CPU kernel.
    return _via_host("eigh", a, UPLO)


def _vector_rhs(A, B):
    # PyTorch's rule: B is a (batch of) vector(s) when it is 1-D or has exactly A's batch shape plus one dim.
    return B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


def solve(A, B, left):
    from mindspore import ops
    if not left:
        # X A = B  <=>  A^T X^T = B^T
        return ops.swapaxes(solve(ops.swapaxes(A, -1, -2), ops.swapaxes(B, -1, -2), True), -1, -2)
    vec = _vector_rhs(A, B)
    if vec:
        B = B.expand_dims(-1)
    shape = tuple(ops.broadcast_shapes(tuple(A.shape[:-2]), tuple(B.shape[:-2]))) if hasattr(ops, "broadcast_shapes") \
        else _bshape(A.shape[:-2], B.shape[:-2])
    A = ops.broadcast_to(A, shape + tuple(A.shape[-2:]))
    B = ops.broadcast_to(B, shape + tuple(B.shape[-2:]))
    X = prim("MatrixSolve")(A, B)
    return X.squeeze(-1) if vec else X


def _bshape(a, b):
    import numpy as np
    return tuple(np.broadcast_shapes(tuple(a), tuple(b)))


def cholesky(a, upper):
    if _small(a):
        return _via_host("cholesky", a, upper)
    L = prim("Cholesky")(a)
    if upper:
        from mindspore import ops
        return ops.swapaxes(L, -1, -2) + 0  # a fresh array, not a view
    return L


def qr(a, mode):
    if mode == "r":
        import numpy as np
        from ops_table.common._ms import from_host
        _, r = prim("Qr", False)(a)
        return from_host(np.zeros((0,), str(r.asnumpy().dtype))), r  # PyTorch returns an empty Q
    q, r = prim("Qr", mode == "complete")(a)
    return q, r
