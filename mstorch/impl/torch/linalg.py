"""torch.linalg functions that route to table ops (the table keys ops by name, and
torch.norm / torch.cross already hold those names)."""
from mstorch.impl.torch._ns import torch as _torch


def norm(A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    if out is not None:
        raise NotImplementedError("mstorch: torch.linalg.norm(out=...) is not supported yet")
    if isinstance(dim, int):
        dim = (dim,)
    if dim is not None and len(dim) == 2:
        return _torch.linalg.matrix_norm(A, "fro" if ord is None else ord, dim, keepdim, dtype=dtype)
    if ord is not None and dim is None:
        if A.dim() == 2:
            return _torch.linalg.matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype)
        if A.dim() != 1:
            raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                               f"Got {A.dim()}D.")
    return _torch.linalg.vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


def cross(input, other, *, dim=-1, out=None):
    if out is not None:
        raise NotImplementedError("mstorch: torch.linalg.cross(out=...) is not supported yet")
    return _torch.cross(input, other, dim=dim)


def svd(A, full_matrices=True, *, driver=None, out=None):
    """torch.linalg.svd: (U, S, Vh) with A = U diag(S) Vh (the table op is torch._linalg_svd,
    whose full_matrices defaults differ and whose result type is named after it)."""
    if out is not None:
        raise NotImplementedError("mstorch: torch.linalg.svd(out=...) is not supported yet")
    from dispatch.dispatcher import _return_type
    return _return_type("linalg_svd", ("U", "S", "Vh"))(*_torch._linalg_svd(A, full_matrices, True, driver=driver))


class _LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError: a linear-algebra routine could not complete (PyTorch's is a
    RuntimeError subclass too, torch._C._LinAlgError)."""
    __module__ = "torch._C"


LinAlgError = _LinAlgError


def _potrf_info(a):
    """LAPACK potf2's answer for each lower-triangle Cholesky in a NumPy batch: the factor, worked
    in place over A's lower triangle column by column (a failure leaves the pivot's value on the
    diagonal and A's own entries from there on, as LAPACK does), and the order of the first
    leading minor that is not positive-definite (0 where the factorization succeeds)."""
    import numpy as np
    flat = a.reshape((-1,) + a.shape[-2:])
    L, info = np.tril(flat), np.zeros(flat.shape[0], np.int32)
    n = a.shape[-1]
    for b, m in enumerate(flat):
        for j in range(n):
            d = m[j, j] - L[b, j, :j] @ L[b, j, :j]
            if not d > 0:  # also NaN
                L[b, j, j], info[b] = d, j + 1
                break
            L[b, j, j] = np.sqrt(d)
            L[b, j + 1:, j] = (m[j + 1:, j] - L[b, j + 1:, :j] @ L[b, j, :j]) / L[b, j, j]
    return L.reshape(a.shape), info.reshape(a.shape[:-2])


def cholesky_ex(input, *, upper=False, check_errors=False, out=None):
    """torch.linalg.cholesky_ex: (L, info) without raising; info is the order of the first leading
    minor that is not positive-definite, per matrix. Where every matrix factors, L is
    torch.linalg.cholesky's (with its gradient). PyTorch names the matrix `input` here."""
    A = input
    if out is not None:
        raise NotImplementedError("mstorch: torch.linalg.cholesky_ex(out=...) is not supported yet")
    if A.dim() < 2:
        raise RuntimeError("linalg.cholesky: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.cholesky: A must be batches of square matrices, but they are {A.shape[-2]} by "
                           f"{A.shape[-1]} matrices")
    from dispatch.dispatcher import _return_type
    result = _return_type("linalg_cholesky_ex", ("L", "info"))
    partial, info = _potrf_info(A.detach().cpu().numpy())
    info_t = _torch.from_numpy(info).to(A.device)
    if not info.any():
        return result(_torch.linalg.cholesky(A, upper=upper), info_t)
    if check_errors:
        first = int(info.reshape(-1)[info.reshape(-1) != 0][0])
        raise _LinAlgError(f"linalg.cholesky_ex: The factorization could not be completed because the "
                                        f"input is not positive-definite (the leading minor of order {first} is not "
                                        "positive-definite).")
    L = _torch.from_numpy(partial).to(A.device)
    return result(L.mT.contiguous() if upper else L, info_t)
