"""Reductions composed of other table ops (autograd records the ops they call)."""
import math

from ops_table.reduction.checks import _legacy, dims as _check_dims
from ops_table.reduction.ms import moment_args


def _dimlist(dim, ndim):
    if dim is None or dim == () or dim == []:
        return list(range(ndim))
    if isinstance(dim, int):
        dim = [dim]
    return [d % max(ndim, 1) for d in dim] if ndim else []


def _count(x, dims):
    n = 1
    for d in dims:
        n *= x.shape[d]
    return n


def var_mean(T, x, *rest):
    dim, c, keepdim = moment_args(rest)
    return T.var(x, dim, correction=c, keepdim=keepdim), _mean_for(T, x, rest)


def std_mean(T, x, *rest):
    dim, c, keepdim = moment_args(rest)
    return T.std(x, dim, correction=c, keepdim=keepdim), _mean_for(T, x, rest)


def _mean_for(T, x, rest):
    dim, keepdim = (None, False) if len(rest) == 1 else (rest[0], rest[2])
    if x.dim() == 0:
        return x + 0  # a mean starts from +0.0 (PyTorch's var_mean of a 0-d -0.0 is +0.0)
    return T.mean(x, _dimlist(dim, x.dim()), keepdim=keepdim)


def logsumexp(T, x, dim, keepdim=False):
    _check_dims(x, dim)
    if not x.dtype.is_floating_point:
        x = x.to(T.get_default_dtype())
    nd = x.dim()
    dims = _dimlist(dim, nd)
    if nd == 0:  # shifted as below: exp(100.0) overflows float32, logsumexp(100.0) is 100.0
        m = x.detach()
        m = T.where(T.abs(m) == math.inf, T.zeros_like(m), m)
        return T.log(T.exp(x - m)) + m
    if x.numel() == 0:
        return T.log(T.sum(T.exp(x), dims, keepdim=keepdim))
    # Shift by the (constant) maximum so exp does not overflow; an infinite maximum is not shifted.
    m = T.amax(x, dims, keepdim=True).detach()
    m = T.where(T.abs(m) == math.inf, T.zeros_like(m), m)
    out = T.log(T.sum(T.exp(x - m), dims, keepdim=True)) + m
    return out if keepdim else out.reshape(tuple(s for i, s in enumerate(x.shape) if i not in dims))


def count_nonzero(T, x, dim=None):
    if isinstance(dim, int):
        dim = (dim,)
    _check_dims(x, dim)
    if x.dim() == 0:
        return (x != 0).sum()
    return (x != 0).sum(list(dim) if dim else None)


def _nan_check(name, x):
    if not x.dtype.is_floating_point:
        if name == "nanmean":
            raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                               f"{_legacy(x.dtype)}")


def nansum(T, x, dim=None, keepdim=False, dtype=None):
    _check_dims(x, dim)
    if x.dtype.is_floating_point:
        x = T.where(x != x, T.zeros_like(x), x)
    return T.sum(x, dim, keepdim=keepdim, dtype=dtype)


def nanmean(T, x, dim=None, keepdim=False, dtype=None):
    _nan_check("nanmean", x)
    _check_dims(x, dim)
    ok = x == x
    total = T.sum(T.where(ok, x, T.zeros_like(x)), dim, keepdim=keepdim, dtype=dtype)
    return total / T.sum(ok, dim, keepdim=keepdim)

