"""MindSpore kernels for reductions and scans.

Overloaded entries (max: full / dim / other) share one kernel, called with that
overload's arguments, so kernels dispatch on how many arguments they got."""
import numpy as np

from ops_table.reduction import host as _np
from ops_table.common.nan_aware import FLOATING as _FLOATING, nan_aware, to_f32 as _to_f32
from ops_table.common._ms import _MS_TO_NP, from_host, host_array, prim, scalar


def _axis(dim, ndim):
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return tuple(range(ndim))
    if isinstance(dim, int):
        dim = (dim,)
    return tuple(d % max(ndim, 1) for d in dim) if ndim else ()


def _copy(a):
    return prim("Identity")(a)


def _plus_zero(a):
    """a + 0.0: PyTorch's sums start from +0.0, so a sum of only -0.0 is +0.0 (a plain copy
    of a 0-d -0.0, or MindSpore's CumSum, keeps the sign)."""
    if str(a.dtype) in _FLOATING:
        return prim("Add")(a, scalar(0, a))
    return _copy(a)


def sum_(a, dim, keepdim, dtype):
    if a.ndim == 0:
        return _plus_zero(a)
    if str(a.dtype) in _INTEGRAL:  # ReduceSum adds int64 through double: exact only below 2**53
        axis = _axis(dim, a.ndim)
        return from_host(np.asarray(np.sum(a.asnumpy(), axis=axis, keepdims=bool(keepdim), dtype=_np_of(a))))
    return prim("ReduceSum", keepdim)(a, _axis(dim, a.ndim))


_INTEGRAL = ("Int8", "Int16", "Int32", "Int64", "UInt8", "Bool")


def mean(a, dim, keepdim, dtype):
    if a.ndim == 0:
        return _plus_zero(a)
    return prim("ReduceMean", keepdim)(a, _axis(dim, a.ndim))


def _reduce(pname, a, dim, keepdim):
    if a.ndim == 0:
        return _copy(a)
    return prim(pname, bool(keepdim))(a, _axis(dim, a.ndim))


def prod(a, *rest):
    if len(rest) == 1:  # prod(self, *, dtype)
        return _reduce("ReduceProd", a, None, False)
    dim, keepdim, _ = rest
    return _reduce("ReduceProd", a, dim, keepdim)


def _select_dim(pname, a, dim, keepdim):
    if a.ndim == 0:
        return _copy(a), from_host(np.zeros((), np.int64))
    idx, val = prim(pname, dim % a.ndim, bool(keepdim))(a)
    return val, idx


def _np_of(a):
    return np.dtype(_MS_TO_NP[str(a.dtype)])


def _as(a, npd):
    return from_host(a.asnumpy().astype(npd))


def _minmax(reduce_name, select_name, binary_name):
    # The entry cannot use the dispatcher's promotion (its int converter would then take a
    # one-element integer `other` as a dim), so dtypes are settled here.
    def kernel(a, *rest):
        if len(rest) == 1:
            b = rest[0]
            da, db = _np_of(a), _np_of(b)
            common = promote_pair(da, db, a.ndim, b.ndim)
            a2 = a if da == common else _as(a, common)
            b2 = b if db == common else _as(b, common)
            if common == np.bool_:
                return _as(prim(binary_name)(_as(a2, np.uint8), _as(b2, np.uint8)), np.bool_)
            return prim(binary_name)(a2, b2)
        kind = str(a.dtype)
        # No CPU kernel takes bool (uint8 is exact) or bfloat16 (float32 is exact for max/min).
        if kind == "Bool":
            x, back = _as(a, np.uint8), (lambda t: _as(t, np.bool_))
        elif kind == "BFloat16":
            import mindspore
            x = prim("Cast")(a, mindspore.float32)
            back = (lambda t: prim("Cast")(t, mindspore.bfloat16))
        else:
            x, back = a, (lambda t: t)
        if not rest:
            return back(_reduce(reduce_name, x, None, False))
        v, i = _select_dim(select_name, x, *rest)
        return back(v), i
    return kernel


def promote_pair(da, db, nda, ndb):
    """PyTorch's result type of two tensors: a higher category wins; within one category a
    dimensioned tensor beats a 0-d one."""
    def cat(d):
        return 0 if d == np.bool_ else (1 if d.kind in "iu" else 2)
    ca, cb = cat(da), cat(db)
    if ca != cb:
        return da if ca > cb else db
    if da == db:
        return da
    if (nda == 0) != (ndb == 0):
        return da if nda else db
    return np.promote_types(da, db)


def _amax(a, dim, keepdim):
    return _reduce("ReduceMax", a, dim, keepdim)


def _amin(a, dim, keepdim):
    return _reduce("ReduceMin", a, dim, keepdim)


def _aminmax(a, dim, keepdim):
    d = None if dim is None else (dim,)
    if dim is None and keepdim and a.ndim:
        return (prim("Reshape")(_reduce("ReduceMin", a, d, False), (1,) * a.ndim),
                prim("Reshape")(_reduce("ReduceMax", a, d, False), (1,) * a.ndim))
    return _reduce("ReduceMin", a, d, keepdim), _reduce("ReduceMax", a, d, keepdim)


def _binary(pname):
    def kernel(a, b):
        return prim(pname)(a, b)
    return kernel


max_ = nan_aware(_minmax("ReduceMax", "ArgMaxWithValue", "Maximum"), _np.max_)
min_ = nan_aware(_minmax("ReduceMin", "ArgMinWithValue", "Minimum"), _np.min_)
amax = nan_aware(_amax, _np.amax)
amin = nan_aware(_amin, _np.amin)
aminmax = nan_aware(_aminmax, _np.aminmax)


def _arg(pname, a, dim, keepdim):
    import mindspore
    if a.ndim == 0:
        return from_host(np.zeros((), np.int64))
    if dim is None:
        flat = prim("Reshape")(a, (-1,))
        out = prim(pname, 0, mindspore.int64)(flat)
        return prim("Reshape")(out, (1,) * a.ndim) if keepdim else out
    out = prim(pname, dim % a.ndim, mindspore.int64)(a)
    return prim("ExpandDims")(out, dim % a.ndim) if keepdim else out


def _argmax(a, dim, keepdim):
    return _arg("Argmax", a, dim, keepdim)


def _argmin(a, dim, keepdim):
    return _arg("Argmin", a, dim, keepdim)


argmax = nan_aware(_argmax, _np.argmax)
argmin = nan_aware(_argmin, _np.argmin)


def _truth(a):
    if str(a.dtype) == "Bool":
        return a
    return prim("NotEqual")(a, scalar(0, a))


def _all_any(pname):
    def kernel(a, *rest):
        dim, keepdim = (None, False) if not rest else rest
        was_u8 = str(a.dtype) == "UInt8"
        b = _truth(a)
        out = _copy(b) if a.ndim == 0 else prim(pname, bool(keepdim))(b, _axis(dim, a.ndim))
        return from_host(out.asnumpy().astype(np.uint8)) if was_u8 else out
    return kernel


all_ = _all_any("ReduceAll")
any_ = _all_any("ReduceAny")


def cumsum(a, dim, dtype):
    if a.ndim == 0:
        return _copy(a)  # PyTorch copies a 0-d input (its -0.0 stays)
    out = prim("CumSum")(a, dim % a.ndim)
    return prim("Add")(out, scalar(0, out)) if str(out.dtype) in _FLOATING else out


def cumprod(a, dim, dtype):
    if a.ndim == 0:
        return _copy(a)
    return prim("CumProd")(a, dim % a.ndim)


def cummax(a, dim):
    if a.ndim == 0:
        return _copy(a), from_host(np.zeros((), np.int64))
    import mindspore.ops as ops
    v, i = ops.cummax(a, dim % a.ndim)
    return v, i


def cummin(a, dim):
    if a.ndim == 0:
        return _copy(a), from_host(np.zeros((), np.int64))
    v, i = prim("Cummin", dim % a.ndim)(a)
    return v, _to_int64(i)


def _to_int64(i):
    return i if str(i.dtype) == "Int64" else from_host(i.asnumpy().astype(np.int64))


def moment_args(rest):
    """(dim, correction, keepdim) from the var/std overloads: (unbiased,), (dim, unbiased, keepdim)
    or (dim, correction, keepdim) (a bool there is `unbiased`)."""
    if len(rest) == 1:
        return None, 1 if rest[0] else 0, False
    dim, c, keepdim = rest
    if isinstance(c, bool):
        c = 1 if c else 0
    return dim, 1 if c is None else c, keepdim


def _var(a, rest):
    dim, c, keepdim = moment_args(rest)
    if a.ndim == 0:
        dev = prim("Sub")(a, a)
        ss = prim("Mul")(dev, dev)
        n = 1
    else:
        axes = _axis(dim, a.ndim)
        mean = prim("ReduceMean", True)(a, axes)
        dev = prim("Sub")(a, mean)
        ss = prim("ReduceSum", bool(keepdim))(prim("Mul")(dev, dev), axes)
        n = int(np.prod([a.shape[i] for i in axes])) if axes else 1
    if n - c <= 0:
        # Division by zero on the host: MindSpore's Div(nan, 0) is -inf (PyTorch: nan).
        with np.errstate(divide="ignore", invalid="ignore"):
            h = ss.asnumpy()
            return from_host(np.asarray(h / h.dtype.type(0), h.dtype))
    return prim("Div")(ss, scalar(n - c, ss))


def var(a, *rest):
    return _var(a, rest)


def std(a, *rest):
    return prim("Sqrt")(_var(a, rest))


def logcumsumexp(a, dim):
    """On the host: MindSpore has no CPU LogCumSumExp, and NumPy's logaddexp.accumulate
    keeps PyTorch's NaN/inf answers without a shared shift."""
    if str(a.dtype) == "BFloat16":
        return prim("Cast")(logcumsumexp(_to_f32(a), dim), a.dtype)
    return from_host(_np.logcumsumexp(a.asnumpy() if str(a.dtype) not in _FLOATING else host_array(a), dim))


def _on_host(f):
    """A NumPy kernel run over zero-copy host views, its results copied back."""
    def kernel(*args):
        r = f(*(a.asnumpy() if hasattr(a, "asnumpy") else a for a in args))
        return tuple(from_host(x.copy()) for x in r) if isinstance(r, tuple) else from_host(r.copy())
    kernel.__name__ = f.__name__
    return kernel


# The lower median: NumPy's partition over host views (the sort kernels' reasons, ops_table/sorting/ms.py).
median = _on_host(_np.median)
nanmedian = _on_host(_np.nanmedian)
