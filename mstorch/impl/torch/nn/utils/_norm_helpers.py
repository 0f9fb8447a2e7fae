"""norm_except_dim / _weight_norm as compositions (not in the ops table): w = v * (g / ||v||)."""
from mstorch.impl.torch._ns import torch


def norm_except_dim(v, pow=2, dim=0):
    if dim == -1:
        return torch.linalg.vector_norm(v, pow)
    dims = [d for d in range(v.dim()) if d != dim]
    return torch.linalg.vector_norm(v, pow, dim=dims, keepdim=True)


def weight_norm_(v, g, dim=0):
    return v * (g / norm_except_dim(v, 2, dim))
