"""Argument checks for sorting ops (PyTorch's error types)."""
from ops_table.common.dim_checks import dim_range, nonempty_dim


def sort(self, *rest):
    dim = rest[1] if len(rest) == 3 else rest[0]
    dim_range(self, dim)


def topk(self, k, dim=-1, largest=True, sorted=True):
    d = dim_range(self, dim)
    size = self.shape[d] if self.dim() else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")


def kthvalue(self, k, dim=-1, keepdim=False):
    d = dim_range(self, dim)
    if self.dim():
        nonempty_dim("kthvalue", self, dim)
    size = self.shape[d] if self.dim() else 1
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")


def unique_dim(self, dim, *rest):
    dim_range(self, dim)
    if self.dim() == 0:
        raise IndexError("Dimension out of range")
    if sum(1 for s in self.shape if s == 0) > 1:
        raise RuntimeError("Number of zero sized dimensions is more than one, so unique cannot be applied ")
    d = dim % self.dim()
    if any(s == 0 for i, s in enumerate(self.shape) if i != d):
        raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so unique cannot be applied")


def searchsorted(seq, vals, *rest):
    vshape = tuple(vals.shape) if hasattr(vals, "shape") else ()
    if seq.dim() > 1 and (len(vshape) != seq.dim() or tuple(seq.shape[:-1]) != vshape[:-1]):
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions "
                           "of boundaries tensor and input value tensor must match, but we got boundaries tensor "
                           f"{list(seq.shape)} and input value tensor {list(vshape)}")
    if seq.dim() == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
                           "dimensions of boundaries tensor and input value tensor must match, but we got boundaries "
                           f"tensor {list(seq.shape)} and input value tensor {list(vshape)}")
    right, side = rest[1], rest[2]
    if side is not None and side not in ("left", "right"):
        raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
    if side == "left" and right:
        raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of left "
                           "while right was True")


def mode(self, dim=-1, keepdim=False):
    d = dim_range(self, dim)
    if self.dim() and self.shape[d] == 0:
        raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
