"""Backward helpers for the indexing family (written with table ops, so double backward works)."""
from ops_table.common.provided import get as _get


def _T():
    T = _get("T")
    return T


def pad_to(g, shape):
    """Zero-pad `g` at the end of each dimension up to `shape` (src larger than index in scatter)."""
    T = _T()
    shape = tuple(shape)
    if tuple(g.shape) == shape:
        return g
    if g.dim() == 0 or len(shape) == 0:
        return g.reshape(shape)
    for k, n in enumerate(shape):
        have = g.shape[k]
        if have < n:
            extra = list(g.shape)
            extra[k] = n - have
            g = T.cat([g, T.zeros(extra, dtype=g.dtype)], k)
    return g


def index_add_source_grad(grad, dim, index, source, alpha):
    T = _T()
    g = grad.reshape(1) if grad.dim() == 0 else grad
    g = T.index_select(g, dim, index.reshape(-1))
    if alpha != 1:
        g = g * alpha
    return g.reshape(source.shape)


def index_select_backward(grad, self, dim, index):
    T = _T()
    if self.dim() == 0:
        return grad.sum().reshape(())
    return T.index_add(T.zeros(self.shape, dtype=grad.dtype), dim, index.reshape(-1), grad)


def scatter_self_grad(grad, dim, index, reduce_kind):
    if reduce_kind is None:
        return grad.scatter(dim, index, 0)
    if reduce_kind == "add":
        return grad
    raise NotImplementedError("mstorch: the derivative of scatter(reduce='multiply') is not implemented "
                              "(PyTorch does not implement it either)")


def scatter_src_grad(grad, dim, index, src, reduce_kind):
    if reduce_kind not in (None, "add"):
        raise NotImplementedError("mstorch: the derivative of scatter(reduce='multiply') is not implemented")
    g = grad.reshape(1) if grad.dim() == 0 and index.dim() > 0 else grad
    return pad_to(g.gather(dim, index), src.shape)


def scatter_reduce_grad(grad, self, dim, index, src, reduce_kind, include_self, result):
    """(grad_self, grad_src), PyTorch's scatter_reduce_backward rules."""
    T = _T()
    if reduce_kind == "sum":
        gs, gsrc = grad, grad.gather(dim, index)
    elif reduce_kind == "mean":
        n = T.ones_like(grad) if include_self else T.zeros_like(grad)
        n = n.scatter_add(dim, index, T.ones(index.shape, dtype=grad.dtype))
        n = n.masked_fill(n == 0, 1)
        gs = grad / n
        gsrc = gs.gather(dim, index)
    elif reduce_kind in ("amax", "amin"):
        value = result.gather(dim, index)
        srcv = _narrow_to(src, index.shape)
        self_is = (self == result).to(grad.dtype)
        src_is = (srcv == value).to(grad.dtype)
        n = self_is.scatter_add(dim, index, src_is)
        dist = grad / n
        gs = self_is * dist
        gsrc = src_is * dist.gather(dim, index)
    elif reduce_kind == "prod":
        srcv = _narrow_to(src, index.shape)
        masked_self = self.masked_fill(self == 0, 1)
        masked_self_result = masked_self.scatter_reduce(dim, index, src, "prod", include_self=include_self)
        gs = grad * masked_self_result / masked_self
        src_zero = srcv == 0
        zeros_per = T.zeros(self.shape, dtype=grad.dtype).scatter_add(dim, index, src_zero.to(grad.dtype))
        single = T.logical_and(src_zero, zeros_per.gather(dim, index) == 1)
        masked_src = T.where(single, T.ones_like(srcv), srcv)
        masked_src_result = self.scatter_reduce(dim, index, pad_to(masked_src, src.shape), "prod",
                                                include_self=include_self)
        gsrc = T.where(single, (grad * masked_src_result).gather(dim, index),
                       (grad * result).gather(dim, index) / T.where(src_zero, T.ones_like(srcv), srcv))
    else:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce_kind}")
    if not include_self:
        gs = gs.scatter(dim, index, 0)
    return gs, pad_to(gsrc, src.shape)


def _narrow_to(t, shape):
    for k, n in enumerate(shape):
        if t.shape[k] != n:
            t = t.narrow(k, 0, n)
    return t


def masked_select_backward(grad, self, mask):
    T = _T()
    shape = _bshape(self.shape, mask.shape)
    z = T.zeros(shape, dtype=grad.dtype)
    return T.masked_scatter(z, mask.expand(shape), grad)


def masked_scatter_source_grad(grad, mask, source):
    T = _T()
    sel = T.masked_select(grad, mask)
    n = source.numel()
    if sel.numel() < n:
        sel = T.cat([sel, T.zeros((n - sel.numel(),), dtype=grad.dtype)], 0)
    return sel.reshape(source.shape)


def take_backward(grad, self, index):
    T = _T()
    n = self.numel()
    flat = T.zeros((n,), dtype=grad.dtype)
    idx = T.remainder(index.reshape(-1), max(n, 1))
    return T.index_add(flat, 0, idx, grad.reshape(-1)).reshape(self.shape)


def _bshape(a, b):
    a, b = tuple(a), tuple(b)
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + a, (1,) * (n - len(b)) + b
    return tuple(max(x, y) if min(x, y) != 0 else 0 for x, y in zip(a, b))
