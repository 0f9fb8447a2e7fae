"""Checks for reductions (PyTorch's errors for bad dims and dtypes)."""
from ops_table.common.dim_checks import dim_range, nonempty_dim


def dims(self, dim=None, *rest):
    n = self.dim()
    if dim is None:
        return
    lo, hi = (-1, 0) if n == 0 else (-n, n - 1)
    seen = set()
    for d in dim:
        if not lo <= d <= hi:
            raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {d})")
        w = d % max(n, 1)
        if w in seen:
            raise RuntimeError(f"dim {w} appears multiple times in the list of dims")
        seen.add(w)


def mean(self, dim=None, keepdim=False, dtype=None):
    dims(self, dim)
    d = dtype or self.dtype
    if not (d.is_floating_point or d.is_complex):
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point or "
                           f"complex dtype. Got: {_legacy(d)}")


def _legacy(d):
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}.get(d.name, d.name)


def _select_reduction(name, full_error=RuntimeError):
    """max/min/median/argmax-style: a full reduction of nothing has no answer, nor does a dim of size 0."""
    def check(self, *rest):
        if not rest or rest[0] is None:
            if self.numel() == 0:
                raise full_error(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                                 "Specify the reduction dim with the 'dim' argument.")
            return
        if isinstance(rest[0], int):
            nonempty_dim(name, self, rest[0])
    return check


max_ = _select_reduction("max")
min_ = _select_reduction("min")
argmax = _select_reduction("argmax", IndexError)
argmin = _select_reduction("argmin", IndexError)
kthvalue = _select_reduction("kthvalue", IndexError)


def median(self, *rest):
    if rest:
        nonempty_dim("median", self, rest[0])


def _amax(name):
    def check(self, dim=(), keepdim=False):
        dims(self, dim)
        if not dim:
            if self.numel() == 0:
                raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                                   "Specify the reduction dim with the 'dim' argument.")
            return
        for d in dim:
            nonempty_dim(name, self, d)
    return check


amax = _amax("amax")
amin = _amax("amin")


def aminmax(self, dim=None, keepdim=False):
    if dim is None:
        if self.numel() == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                               "identity.")
        return
    w = dim_range(self, dim)
    if self.dim() and self.shape[w] == 0:
        raise IndexError(f"aminmax(): Expected reduction dim {w} to have non-zero size.")


def one_dim(self, dim, *rest):
    dim_range(self, dim)


def any_dims(self, *rest):
    if not rest:
        return
    d = rest[0]
    if d is None:
        return
    dims(self, (d,) if isinstance(d, int) else d)


def floating(name):
    def check(self, *rest):
        if not (self.dtype.is_floating_point or self.dtype.is_complex):
            raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got {_legacy(self.dtype)}")
    return check


def moments(self, *rest):
    if not (self.dtype.is_floating_point or self.dtype.is_complex):
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if len(rest) == 3 and rest[0] is not None:
        dims(self, rest[0])
