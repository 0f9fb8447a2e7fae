"""MindSpore kernels for indexing ops.

Index arrays are validated and wrapped (negative -> positive) on the host with the
checks of host.py, then the data moves with pre-built primitives (GatherD, Gather,
GatherNd, TensorScatterElements/Update/Add, Select, MaskedSelect, NonZero).  Where
MindSpore's CPU primitives lack a mode (TensorScatterElements reduces only 'add';
TensorScatterAdd/IndexAdd reject bool) the kernel computes on the host alias instead."""
import numpy as np

from ops_table.indexing import host as H
from ops_table.common._ms import from_host, prim, scalar


def _np_dtype(ms_dtype):
    """The NumPy dtype of a MindSpore dtype (MindSpore names them alike: Float32, UInt8, Bool);
    None for bfloat16, which NumPy lacks (NumPy's default then)."""
    name = str(ms_dtype).lower()
    return None if name == "bfloat16" else np.dtype(name)


def _np(a):
    return a.asnumpy() if not isinstance(a, np.ndarray) else a


def _meta(a):
    """A zero-memory NumPy stand-in with `a`'s shape and dtype, for the shared checks."""
    return np.broadcast_to(np.empty((), _np_dtype(a.dtype)), tuple(a.shape))


def _host(fn, *args):
    out = fn(*(_np(a) if hasattr(a, "asnumpy") else
               [None if x is None else _np(x) for x in a] if isinstance(a, list) else a for a in args))
    return from_host(np.asarray(out))


def _i64(a):
    return from_host(np.ascontiguousarray(a, dtype=np.int64))


def _is_bool(a):
    return str(a.dtype) == "Bool"


def _perm_front(ndim, dims):
    return tuple(dims) + tuple(d for d in range(ndim) if d not in dims)


def _transpose(a, perm):
    if perm == tuple(range(len(perm))):
        return a
    return prim("Transpose")(a, perm)


def _inverse(perm):
    inv = [0] * len(perm)
    for i, p in enumerate(perm):
        inv[p] = i
    return tuple(inv)


def _bcast(a, shape):
    shape = tuple(shape)
    return a if tuple(a.shape) == shape else prim("BroadcastTo", shape)(a)


def _fill(value, like):
    if hasattr(value, "asnumpy"):
        if value.ndim != 0:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value.ndim} dimension(s).")
        value = value.asnumpy().item()
    return from_host(np.asarray(H.fill_value(value, _np_dtype(like.dtype))))


# ---- gather / scatter -----------------------------------------------------------------
def gather(self, dim, index, sparse_grad=False):
    d, idx = H.check_gather_like("gather", _meta(self), dim, _np(index))
    if self.ndim == 0 or index.ndim == 0:
        return prim("Reshape")(prim("Gather")(prim("Reshape")(self, (-1,)), _i64(idx.reshape(-1)), 0),
                               tuple(index.shape))
    return prim("GatherD")(self, d, _i64(idx))


def scatter(self, dim, index, src, reduce=None):
    if reduce == "multiply" or self.ndim == 0 or index.ndim == 0 or (reduce == "add" and _is_bool(self)):
        return _host(H.scatter, self, dim, index, src, reduce)
    if reduce not in (None, "add"):
        raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce}")
    is_t = hasattr(src, "asnumpy")
    d, idx = H.check_gather_like("scatter", _meta(self), dim, _np(index), _meta(src) if is_t else None)
    if is_t:
        if src.dtype != self.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        if tuple(src.shape) != tuple(idx.shape):
            src = prim("Slice")(src, (0,) * src.ndim, tuple(idx.shape))
    else:
        src = _bcast(_fill(src, self), idx.shape)
    return prim("TensorScatterElements", d, "add" if reduce == "add" else "none")(self, _i64(idx), src)


def scatter_add(self, dim, index, src):
    return scatter(self, dim, index, src, "add")


def scatter_reduce(self, dim, index, src, reduce, include_self=True):
    # TensorScatterElements reduces only with 'none'/'add' (measured): prod/mean/amax/amin
    # and include_self=False have no MindSpore CPU primitive.
    return _host(H.scatter_reduce, self, dim, index, src, reduce, include_self)


# ---- index_* along one dimension --------------------------------------------------------
def index_select(self, dim, index):
    d, idx = H.check_index_vector("index_select", _meta(self), dim, _np(index))
    if self.ndim == 0:
        out = prim("Gather")(prim("Reshape")(self, (1,)), _i64(idx), 0)
        return prim("Reshape")(out, ())
    return prim("Gather")(self, _i64(idx), d)


def _along(name, self, dim, index, source, update):
    d, idx = H.check_index_vector(name, _meta(self), dim, _np(index),
                                  err=RuntimeError if name == "index_add" else IndexError)
    src_meta = H.check_source(name, _meta(self), d, idx, _meta(source))
    if self.ndim == 0 or source.ndim != len(src_meta.shape):
        return None, d, idx
    perm = _perm_front(self.ndim, (d,))
    x = _transpose(self, perm)
    s = _transpose(source, perm)
    return _transpose(update(x, _i64(idx.reshape(-1, 1)), s), _inverse(perm)), d, idx


def index_add(self, dim, index, source, alpha=1):
    if _is_bool(self) or self.ndim == 0 or source.ndim == 0:
        return _host(H.index_add, self, dim, index, source, alpha)
    if alpha != 1:
        source = prim("Mul")(source, scalar(alpha, source))
    out, _, _ = _along("index_add", self, dim, index, source, prim("TensorScatterAdd"))
    return out


def index_copy(self, dim, index, source):
    if self.ndim == 0 or source.ndim == 0:
        return _host(H.index_copy, self, dim, index, source)
    out, _, _ = _along("index_copy", self, dim, index, source, prim("TensorScatterUpdate"))
    return out


def index_fill(self, dim, index, value):
    d, idx = H.check_index_vector("index_fill", _meta(self), dim, _np(index))
    if hasattr(value, "asnumpy") and value.ndim != 0:
        raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value.ndim} dimension(s).")
    shape = tuple(self.shape) if self.ndim else (1,)
    mask = np.zeros(shape[d], bool)
    mask[idx] = True
    mask = mask.reshape((-1,) + (1,) * (len(shape) - d - 1))
    v = _fill(value, self)
    return prim("Select")(_bcast(from_host(np.ascontiguousarray(np.broadcast_to(mask, shape)).reshape(self.shape)),
                                 self.shape), _bcast(v, self.shape), self)


# ---- advanced indexing -------------------------------------------------------------------
def _host_indices(indices):
    return [None if ix is None else _np(ix) for ix in indices]


def index(self, indices):
    dims, arrs, bshape = H.advanced(tuple(self.shape), _host_indices(indices))
    if not dims:
        return prim("Reshape")(self, tuple(self.shape))
    if any(n == 0 for n in bshape) or 0 in tuple(self.shape):
        return _host(H.index, self, indices)
    pos = H.result_layout(self.ndim, dims)
    perm = _perm_front(self.ndim, dims)
    moved = _transpose(self, perm)
    nd = _i64(np.stack(arrs, axis=-1))
    picked = prim("GatherNd")(moved, nd)
    nb = len(bshape)
    order = tuple(range(nb, nb + pos)) + tuple(range(nb)) + tuple(range(nb + pos, picked.ndim))
    return _transpose(picked, order)


def index_put(self, indices, values, accumulate=False):
    if values.dtype != self.dtype:
        return _host(H.index_put, self, indices, values, accumulate)
    dims, arrs, bshape = H.advanced(tuple(self.shape), _host_indices(indices))
    if not dims or (accumulate and _is_bool(self)) or any(n == 0 for n in bshape) or 0 in tuple(self.shape):
        return _host(H.index_put, self, indices, values, accumulate)
    pos = H.result_layout(self.ndim, dims)
    rest = [d for d in range(self.ndim) if d not in dims]
    nb = len(bshape)
    want = tuple(self.shape[d] for d in rest[:pos]) + bshape + tuple(self.shape[d] for d in rest[pos:])
    try:
        np.broadcast_shapes(tuple(values.shape), want)
        if len(values.shape) > len(want):
            raise ValueError
    except ValueError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(values.shape)} cannot be broadcast to "
                           f"indexing result of shape {list(want)}") from None
    vals = _bcast(values, want)
    order = tuple(range(pos, pos + nb)) + tuple(range(pos)) + tuple(range(pos + nb, len(want)))
    vals = _transpose(vals, order)
    perm = _perm_front(self.ndim, dims)
    moved = _transpose(self, perm)
    op = prim("TensorScatterAdd") if accumulate else prim("TensorScatterUpdate")
    out = op(moved, _i64(np.stack(arrs, axis=-1)), vals)
    return _transpose(out, _inverse(perm))


# ---- masks -------------------------------------------------------------------------------
def masked_fill(self, mask, value):
    if not _is_bool(mask):
        H.check_mask("masked_fill_", _meta(mask))
    shape = H.broadcast_shape(tuple(self.shape), tuple(mask.shape))
    v = _fill(value, self)
    return prim("Select")(_bcast(mask, shape), _bcast(v, shape), _bcast(self, shape))


def masked_select(self, mask):
    if not _is_bool(mask):
        H.check_mask("masked_select:", _meta(mask))
    shape = H.broadcast_shape(tuple(self.shape), tuple(mask.shape))
    if not shape:
        shape = (1,)
    return prim("MaskedSelect")(_bcast(self if self.ndim else prim("Reshape")(self, (1,)), shape),
                                _bcast(mask if mask.ndim else prim("Reshape")(mask, (1,)), shape))


def masked_scatter(self, mask, source):
    # MaskedScatter's CPU kernel wants source shaped like self; the count check and the
    # flat source are PyTorch's rules, cheapest on the host alias.
    return _host(H.masked_scatter, self, mask, source)


def take(self, index):
    idx = _np(index)
    if idx.dtype != np.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {H._legacy(idx.dtype)}")
    n = int(np.prod(self.shape)) if self.ndim else 1
    bad = (idx < -n) | (idx >= n)
    if idx.size and bad.any():
        raise IndexError(f"out of range: tried to access index {int(idx[bad][0])} on a tensor of {n} elements.")
    flat = prim("Reshape")(self, (-1,))
    out = prim("Gather")(flat, _i64(np.where(idx < 0, idx + n, idx).reshape(-1)), 0)
    return prim("Reshape")(out, tuple(index.shape))


def put(self, index, source, accumulate=False):
    return _host(H.put, self, index, source, accumulate)


def argwhere(self):
    if self.ndim == 0:
        return _host(H.argwhere, self)
    return prim("NonZero")(self)
