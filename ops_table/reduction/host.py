"""Host (NumPy) kernels for reductions and scans (also serve empty inputs on every backend)."""
import numpy as np


def _axis(dim, ndim):
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return None
    if isinstance(dim, int):
        dim = (dim,)
    return tuple(d % max(ndim, 1) for d in dim) if ndim else None


def _plus_zero(r):
    # PyTorch's sums start from +0.0: a sum of only -0.0 (a 0-d one included) is +0.0.
    return r + r.dtype.type(0) if r.dtype.kind == "f" else r


def sum_(a, dim, keepdim, dtype):
    return _plus_zero(np.asarray(np.sum(a, axis=_axis(dim, a.ndim), keepdims=keepdim)))


def mean(a, dim, keepdim, dtype):
    return _plus_zero(np.asarray(np.mean(a, axis=_axis(dim, a.ndim), keepdims=keepdim)).astype(a.dtype))


def prod(a, *rest):
    if len(rest) == 1:
        return np.asarray(np.prod(a)).astype(a.dtype)
    dim, keepdim, _ = rest
    return np.asarray(np.prod(a, axis=_axis(dim, a.ndim), keepdims=keepdim)).astype(a.dtype)


def _select_dim(argf, a, dim, keepdim):
    if a.ndim == 0:
        return a.copy(), np.zeros((), np.int64)
    d = dim % a.ndim
    idx = np.expand_dims(argf(a, axis=d), d)
    val = np.take_along_axis(a, idx, d)
    if not keepdim:
        idx, val = idx.squeeze(d), val.squeeze(d)
    return val, idx.astype(np.int64)


def _minmax(reduce, argf, binary):
    def kernel(a, *rest):
        if not rest:
            return np.asarray(reduce(a))
        if len(rest) == 2:
            return _select_dim(argf, a, *rest)
        b = rest[0]
        from ops_table.reduction.ms import promote_pair
        common = promote_pair(a.dtype, b.dtype, a.ndim, b.ndim)
        return binary(a.astype(common, copy=False), b.astype(common, copy=False))
    return kernel


max_ = _minmax(np.max, np.argmax, np.maximum)
min_ = _minmax(np.min, np.argmin, np.minimum)


def amax(a, dim, keepdim):
    return np.asarray(np.max(a, axis=_axis(dim, a.ndim), keepdims=keepdim))


def amin(a, dim, keepdim):
    return np.asarray(np.min(a, axis=_axis(dim, a.ndim), keepdims=keepdim))


def aminmax(a, dim, keepdim):
    ax = None if dim is None or a.ndim == 0 else dim % a.ndim
    lo = np.asarray(np.min(a, axis=ax, keepdims=keepdim))
    hi = np.asarray(np.max(a, axis=ax, keepdims=keepdim))
    return lo, hi


def _arg(argf, a, dim, keepdim):
    if a.ndim == 0:
        return np.zeros((), np.int64)
    if dim is None:
        out = np.asarray(argf(a.reshape(-1)), np.int64)
        return out.reshape((1,) * a.ndim) if keepdim else out
    d = dim % a.ndim
    out = np.asarray(argf(a, axis=d), np.int64)
    return np.expand_dims(out, d) if keepdim else out


def argmax(a, dim, keepdim):
    return _arg(np.argmax, a, dim, keepdim)


def argmin(a, dim, keepdim):
    return _arg(np.argmin, a, dim, keepdim)


def _all_any(f):
    def kernel(a, *rest):
        dim, keepdim = (None, False) if not rest else rest
        out = np.asarray(f(a != 0, axis=_axis(dim, a.ndim), keepdims=keepdim))
        return out.astype(np.uint8) if a.dtype == np.uint8 else out
    return kernel


all_ = _all_any(np.all)
any_ = _all_any(np.any)


def cumsum(a, dim, dtype):
    return a.copy() if a.ndim == 0 else _plus_zero(np.cumsum(a, axis=dim % a.ndim, dtype=a.dtype))


def cumprod(a, dim, dtype):
    return a.copy() if a.ndim == 0 else np.cumprod(a, axis=dim % a.ndim, dtype=a.dtype)


def _cum_select(a, dim, better):
    """Running extreme and the index where it was last reached (PyTorch keeps the latest tie)."""
    if a.ndim == 0:
        return a.copy(), np.zeros((), np.int64)
    d = dim % a.ndim
    x = np.moveaxis(a, d, -1)
    vals = np.empty_like(x)
    idx = np.zeros(x.shape, np.int64)
    if x.shape[-1]:
        cur = x[..., 0].copy()
        cur_i = np.zeros(cur.shape, np.int64)
        for j in range(x.shape[-1]):
            xj = x[..., j]
            take = better(xj, cur) | (xj == cur) | np.isnan(xj) if x.dtype.kind == "f" else better(xj, cur) | (xj == cur)
            if x.dtype.kind == "f":
                take &= ~np.isnan(cur) | np.isnan(xj)
            cur = np.where(take, xj, cur)
            cur_i = np.where(take, j, cur_i)
            vals[..., j] = cur
            idx[..., j] = cur_i
    return np.ascontiguousarray(np.moveaxis(vals, -1, d)), np.ascontiguousarray(np.moveaxis(idx, -1, d))


def cummax(a, dim):
    return _cum_select(a, dim, np.greater)


def cummin(a, dim):
    return _cum_select(a, dim, np.less)


def _var(a, rest):
    from ops_table.reduction.ms import moment_args
    dim, c, keepdim = moment_args(rest)
    ax = _axis(dim, a.ndim)
    axes = tuple(range(a.ndim)) if ax is None else ax
    n = int(np.prod([a.shape[i] for i in axes])) if axes else 1
    mean = np.mean(a, axis=axes, keepdims=True) if a.size else np.zeros([1] * a.ndim, a.dtype)
    ss = np.sum((a - mean) ** 2, axis=axes, keepdims=keepdim)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(ss / a.dtype.type(max(n - c, 0))).astype(a.dtype)


def var(a, *rest):
    return _var(a, rest)


def std(a, *rest):
    return np.sqrt(_var(a, rest))


def logcumsumexp(a, dim):
    if a.dtype.kind != "f":
        from ops_table.reduction.checks import _legacy
        raise NotImplementedError(f"\"logcumsumexp_out_cpu\" not implemented for '{_legacy(a.dtype)}'")
    if a.ndim == 0:
        return a.copy()  # PyTorch copies a 0-d input (-0.0 stays)
    # + 0: along a dim PyTorch's first element of -0.0 is +0.0.
    with np.errstate(invalid="ignore", over="ignore"):
        return np.logaddexp.accumulate(a, axis=dim % a.ndim) + a.dtype.type(0)


def _median_along(a, d):
    """Lower median and its index along axis d; a slice holding NaN answers NaN (its first NaN)."""
    n = a.shape[d]
    order = np.argsort(a, axis=d, kind="stable")
    idx = np.take(order, [(n - 1) // 2], axis=d)
    if a.dtype.kind == "f":
        nan = np.isnan(a)
        has = nan.any(axis=d, keepdims=True)
        first_nan = np.expand_dims(np.argmax(nan, axis=d), d)
        idx = np.where(has, first_nan, idx)
    return np.take_along_axis(a, idx, d), idx.astype(np.int64)


def _median_reduce(along, a, rest):
    """median/nanmedian over all elements (no `rest`) or along `dim` with (values, indices)."""
    if not rest:
        if a.size == 0:
            return np.asarray(np.nan, a.dtype) if a.dtype.kind == "f" else np.zeros((), a.dtype)
        v, _ = along(a.reshape(-1), 0)
        return v.reshape(())
    dim, keepdim = rest
    if a.ndim == 0:
        return a.copy(), np.zeros((), np.int64)
    d = dim % a.ndim
    v, i = along(a, d)
    if not keepdim:
        v, i = v.squeeze(d), i.squeeze(d)
    return v, i


def median(a, *rest):
    return _median_reduce(_median_along, a, rest)


def _nanmedian_along(a, d):
    """Lower median of the non-NaN values along axis d and its index (the first in a stable
    sort among equal ones); an all-NaN slice answers NaN at index 0, as PyTorch does."""
    order = np.argsort(a, axis=d, kind="stable")  # NaN last
    valid = (~np.isnan(a)).sum(axis=d, keepdims=True) if a.dtype.kind == "f" else \
        np.full(tuple(1 if i == d else n for i, n in enumerate(a.shape)), a.shape[d])
    idx = np.take_along_axis(order, np.maximum((valid - 1) // 2, 0), d)
    return np.take_along_axis(a, idx, d), idx.astype(np.int64)


def nanmedian(a, *rest):
    return _median_reduce(_nanmedian_along, a, rest)
