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
