"""Formula helpers for reductions and scans (written with table ops, so double backward works)."""
from ops_table.common.provided import get as _get
from ops_table.common.backward import select_backward


def _T():
    T = _get("T")
    return T


def _norm_dims(dim, ndim):
    if dim is None or dim == () or dim == []:
        return tuple(range(ndim))
    if isinstance(dim, int):
        dim = (dim,)
    return tuple(sorted(d % ndim for d in dim)) if ndim else ()


def restore_dims(t, dim, ndim, keepdim):
    """A reduction's output (or grad) with its reduced dims put back as size-1 dims."""
    if keepdim or ndim == 0:
        return t
    for d in _norm_dims(dim, ndim):
        t = t.unsqueeze(d)
    return t


def count_of(self, dim):
    n = 1
    for d in _norm_dims(dim, self.dim()):
        n *= self.shape[d]
    return n


def ties_backward(grad, self, result, dim=None, keepdim=False):
    """amax/amin/max()/median(): the grad shared evenly among the elements equal to the result."""
    nd = self.dim()
    g = restore_dims(grad, dim, nd, keepdim)
    r = restore_dims(result, dim, nd, keepdim)
    mask = self == r
    dims = list(_norm_dims(dim, nd))
    count = mask.sum(dims, keepdim=True) if nd else mask.sum()
    return mask * (g / count)


def minmax_backward(grad, self, result, results, other, dim, keepdim, pick):
    """The three overloads of max/min: full reduction, along a dim, against another tensor."""
    T = _T()
    if other is not None:
        # Nothing to the loser, half each on a tie; with a NaN on either side neither wins
        # nor ties, and both get the whole gradient (PyTorch's rule).
        lose = (self < other) if pick == "max" else (self > other)
        return T.where(lose, grad * 0, T.where(self == other, grad / 2, grad))
    if dim is None:
        return evenly_distribute_backward(grad, self, result)
    return select_backward(grad, results[1], dim, self.shape, keepdim)


def minmax_other_backward(grad, self, other, pick):
    T = _T()
    lose = (other < self) if pick == "max" else (other > self)
    return T.where(lose, grad * 0, T.where(self == other, grad / 2, grad))


def evenly_distribute_backward(grad, self, result):
    """max()/min()/median() of a whole tensor: the grad shared evenly among the elements
    equal to the result, or among the NaNs when the result is NaN (PyTorch's rule; amax
    differs: ties_backward)."""
    mask = (self != self) if bool(result != result) else (self == result)
    return mask * (grad / mask.sum())


def _has_zero(t):
    return t.numel() > 0 and bool((t == 0).sum().item())


def _exclusive_cumprod(x, d):
    T = _T()
    n = x.shape[d]
    one = T.ones_like(x.narrow(d, 0, 1))
    if n <= 1:
        return T.ones_like(x)
    return T.cat([one, T.cumprod(x, d).narrow(d, 0, n - 1)], d)


def prod_backward(grad, self, result, dim, keepdim):
    T = _T()
    nd = self.dim()
    if nd == 0:
        return grad
    g = restore_dims(grad, dim, nd, keepdim)
    if not _has_zero(self):
        return g * restore_dims(result, dim, nd, keepdim) / self
    if dim is None:
        flat = self.reshape(-1)
        others = _exclusive_cumprod(flat, 0) * _exclusive_cumprod(flat.flip((0,)), 0).flip((0,))
        return g * others.reshape(self.shape)
    d = dim % nd
    others = _exclusive_cumprod(self, d) * _exclusive_cumprod(self.flip((d,)), d).flip((d,))
    return g * others


def reverse_cumsum(t, dim):
    if t.dim() == 0:
        return t
    return _T().cumsum(t.flip((dim,)), dim).flip((dim,))


def cumprod_backward(grad, self, result, dim):
    T = _T()
    if self.dim() == 0 or self.numel() == 0:
        return grad
    d = dim % self.dim()
    if not _has_zero(self):
        return reverse_cumsum(grad * result, d) / self
    # With zeros: d out_j / d x_i = prod_{k<=j, k!=i} x_k, built for every i at once.
    x = T.movedim(self, d, -1)
    g = T.movedim(grad, d, -1)
    n = x.shape[-1]
    eye = T.eye(n, dtype=T.bool)
    rows = T.where(eye, T.ones_like(x).unsqueeze(-2), x.unsqueeze(-2))   # (..., i, k)
    partial = T.cumprod(rows, -1)                                        # (..., i, j)
    ar = T.arange(n)
    upper = ar.unsqueeze(-1) <= ar                                        # j >= i
    out = (partial * upper * g.unsqueeze(-2)).sum(-1)
    return T.movedim(out, -1, d)


def std_backward(grad, self, result, dim, correction, keepdim):
    nd = self.dim()
    g = restore_dims(grad, dim, nd, keepdim)
    r = restore_dims(result, dim, nd, keepdim)
    n = count_of(self, dim)
    mean = self.mean(list(_norm_dims(dim, nd)), keepdim=True) if nd else self
    return g * (self - mean) / (r * max(n - correction, 0))


def numel_reduced(self, dim):
    return count_of(self, dim)


def moments_backward(grad, self, result, unbiased, dim, correction, keepdim, which, from_correction):
    """var/std over their three overloads; like PyTorch, the backward divides by n - correction
    itself (the forward by max(n - correction, 0)) and std's grad is 0 where std is 0."""
    T = _T()
    if from_correction:
        c = 1 if correction is None else correction
    else:
        c = 1 if unbiased is None or unbiased else 0
    nd = self.dim()
    g = restore_dims(grad, dim, nd, keepdim)
    n = count_of(self, dim)
    mean = self.mean(list(_norm_dims(dim, nd)), keepdim=True) if nd else self
    dev = self - mean
    if which == "var":
        if (nd == 0 or dim is None or dim == ()) and n < c:
            return g * dev * float("nan")  # PyTorch's full-reduction path (measured)
        return g * dev * (2.0 / (n - c)) if n != c else g * dev * float("inf")
    r = restore_dims(result, dim, nd, keepdim)
    scaled = T.where(r == 0, T.zeros_like(r), g / r)
    return scaled * dev / (n - c) if n != c else scaled * dev * float("inf")


def logcumsumexp_backward(grad, self, result, dim):
    """PyTorch's formula: exp(reverse-logcumsumexp(log|grad| - result) + self), positive and
    negative parts apart (so NaN/inf land where PyTorch's do)."""
    T = _T()
    if grad.dim() == 0 or grad.numel() == 0:
        return grad
    lowest = T.full_like(grad, -3.4028234663852886e38 if grad.dtype == T.float32 else -1.7976931348623157e308)
    log_abs = T.log(T.abs(grad))

    def rev(x):
        return T.flip(T.logcumsumexp(T.flip(x, [dim]), dim), [dim])
    pos = T.exp(rev(T.where(grad > 0, log_abs, lowest) - result) + self)
    neg = T.exp(rev(T.where(grad < 0, log_abs, lowest) - result) + self)
    return pos - neg
