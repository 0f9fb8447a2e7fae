"""Host (NumPy) kernels for indexing ops, plus the index checks that every backend shares.

The checks run on NumPy views of the index arrays: indices are small next to the data,
and validating them on the host is the only way to raise PyTorch's errors before a
MindSpore kernel reads out of bounds (its CPU kernels do not all check)."""
import numpy as np

_REDUCES = ("sum", "prod", "mean", "amax", "amin")


# ---- shared checks ------------------------------------------------------------------
def wrap_dim(dim, ndim):
    n = max(ndim, 1)
    if not -n <= dim < n:
        lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")
    return dim % n


def int_index(idx, what, allow_int32=True):
    if idx.dtype == np.int64 or (allow_int32 and idx.dtype == np.int32):
        return idx.astype(np.int64, copy=False)
    raise RuntimeError(f"{what}(): Expected dtype int32/int64 for index" if allow_int32 else
                       f"{what}(): Expected dtype int64 for index")


def bounded(idx, size, dim, err=RuntimeError, prefix="", allow_neg=True):
    """Indices wrapped into [0, size); out-of-range ones raise PyTorch's message."""
    if idx.size:
        bad = (idx < (-size if allow_neg else 0)) | (idx >= size)
        if bad.any():
            v = int(idx[bad].reshape(-1)[0])
            raise err(f"{prefix}index {v} is out of bounds for dimension {dim} with size {size}")
        return np.where(idx < 0, idx + size, idx)
    return idx


def _shape1(a):
    return a.shape if a.ndim else (1,)


def check_gather_like(name, self, dim, index, src=None):
    if index.ndim != self.ndim and not (index.ndim <= 1 and self.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    if src is not None and src.ndim != index.ndim and not (index.ndim <= 1 and src.ndim <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    ishape, sshape = _shape1(index), _shape1(self)
    d = wrap_dim(dim, self.ndim)
    if index.size:
        for k, n in enumerate(ishape):
            if k != d and n > sshape[k]:
                raise RuntimeError(f"Size does not match at dimension {k} expected index {list(ishape)} to be "
                                   f"smaller than self {list(sshape)} apart from dimension {d}")
            if src is not None and n > _shape1(src)[k]:
                raise RuntimeError(f"Size does not match at dimension {k} expected index {list(ishape)} to be "
                                   f"smaller than src {list(_shape1(src))} apart from dimension {d}")
    return d, bounded(int_index(index, name), sshape[d], d, allow_neg=False)


def check_index_vector(name, self, dim, index, err=IndexError):
    d = wrap_dim(dim, self.ndim)
    if index.ndim > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector")
    if name == "index_copy" and index.dtype != np.int64:
        raise RuntimeError(f"index_copy_(): Expected a long tensor for index, but got {_legacy(index.dtype)}")
    if name == "index_fill" and index.dtype != np.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if index.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32 or int64 for index")
    n = _shape1(self)[d]
    if self.ndim == 0 and index.size != 1:
        raise RuntimeError(f"{name}(): Index to scalar can have only 1 value, got {index.size} value(s)")
    idx = index.reshape(-1).astype(np.int64, copy=False)
    lo = -n if name == "index_fill" else 0
    if idx.size and ((idx < lo) | (idx >= n)).any():
        v = int(idx[(idx < lo) | (idx >= n)][0])
        if err is IndexError and name == "index_select":
            raise IndexError("index out of range in self")
        raise err(f"{'index_copy_(): ' if name == 'index_copy' else ''}index {v} is out of bounds for "
                  f"dimension {d} with size {n}")
    return d, np.where(idx < 0, idx + n, idx)


def check_source(name, self, d, idx, source):
    if source.dtype != self.dtype:
        raise RuntimeError(f"{name}_(): self ({_legacy(self.dtype)}) and source ({_legacy(source.dtype)}) must have "
                           "the same scalar type")
    ss = list(_shape1(self))
    if source.ndim == 0 and idx.size == 1 and self.ndim <= 1:
        return source.reshape(1)
    src_shape = list(_shape1(source))
    if len(src_shape) != len(ss) or src_shape[d] != idx.size or \
            any(a != b for k, (a, b) in enumerate(zip(src_shape, ss)) if k != d):
        if len(src_shape) == len(ss) and src_shape[d] != idx.size:
            raise RuntimeError(f"{name}_(): Number of indices ({idx.size}) should be equal to source.size(dim): "
                               f"({src_shape[d]}), for dim: {d}")
        raise RuntimeError(f"{name}_(): source and self must have the same shape apart from dimension {d}, "
                           f"got self {list(self.shape)} and source {list(source.shape)}")
    return source.reshape(src_shape)


def _legacy(dt):
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
            "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}.get(np.dtype(dt).name, str(dt))


def check_mask(name, mask):
    if mask.dtype != np.bool_:
        kind = mask.dtype.name
        kind = "unsigned char" if kind == "uint8" else kind.rstrip("0123456789") if mask.dtype.kind == "f" else kind
        raise RuntimeError(f"{name} only supports boolean masks, but got mask with dtype {kind}")


def broadcast_shape(*shapes):
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        a, b = shapes[0], shapes[1]
        n = max(len(a), len(b))
        a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
        for k in range(n - 1, -1, -1):
            if a[k] != b[k] and 1 not in (a[k], b[k]):
                raise RuntimeError(f"The size of tensor a ({a[k]}) must match the size of tensor b ({b[k]}) at "
                                   f"non-singleton dimension {k}") from None
        raise


def fill_value(value, dtype):
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value.ndim} dimension(s).")
        value = value.item()
    return np.array(value).astype(dtype) if not isinstance(value, complex) else np.array(value, dtype)


def advanced(shape, indices):
    """Validate `index`/`index_put` index arrays (bool ones expanded to their nonzero
    coordinates); returns (dims, wrapped int64 arrays broadcast together, broadcast shape)."""
    expanded = []
    k = 0
    for ix in indices:
        if ix is None:
            expanded.append(None)
            k += 1
            continue
        if ix.dtype in (np.bool_, np.uint8):
            if ix.dtype == np.uint8:
                ix = ix.astype(bool)
            for j, n in enumerate(ix.shape):
                if k + j >= len(shape) or shape[k + j] != n:
                    raise IndexError(f"The shape of the mask {list(ix.shape)} at index {j} does not match the "
                                     f"shape of the indexed tensor {list(shape)} at index {k + j}")
            nz = np.nonzero(ix)
            expanded.extend(nz if ix.ndim else [np.zeros(int(ix), np.int64)])
            k += max(ix.ndim, 1) if ix.ndim else 0
            if ix.ndim == 0:
                raise NotImplementedError("mstorch: a 0-d boolean index inside `index` is not supported; "
                                          "index with a Python bool instead")
            continue
        if ix.dtype not in (np.int64, np.int32, np.int16, np.int8):
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        expanded.append(ix.astype(np.int64, copy=False))
        k += 1
    if len(expanded) > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)} (got {len(expanded)})")
    dims = [d for d, ix in enumerate(expanded) if ix is not None]
    arrs = [expanded[d] for d in dims]
    try:
        bshape = np.broadcast_shapes(*(a.shape for a in arrs)) if arrs else ()
    except ValueError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes " +
                         " ".join(str(list(a.shape)) for a in arrs)) from None
    out = []
    for d, a in zip(dims, arrs):
        out.append(np.broadcast_to(bounded(a, shape[d], d, IndexError), bshape))
    return dims, out, tuple(bshape)


def result_layout(ndim, dims):
    """PyTorch's rule: adjacent advanced indices keep their place, separated ones go first."""
    adjacent = dims == list(range(dims[0], dims[0] + len(dims))) if dims else True
    return dims[0] if adjacent and dims else 0


# ---- kernels ------------------------------------------------------------------------
def gather(self, dim, index, sparse_grad=False):
    d, idx = check_gather_like("gather", self, dim, index)
    if self.ndim == 0:
        return self.reshape(1)[idx.reshape(-1)].reshape(index.shape)
    return np.take_along_axis(self, idx, d) if idx.size else np.empty(index.shape, self.dtype)


def _scatter_into(out, d, idx, src, op):
    if idx.size == 0:
        return out
    grid = list(np.indices(idx.shape, sparse=True))
    grid[d] = idx
    src = src[tuple(slice(0, n) for n in idx.shape)] if src.ndim else np.broadcast_to(src, idx.shape)
    tgt = tuple(np.broadcast_to(g, idx.shape) for g in grid)
    if op is None:
        out[tgt] = src
    else:
        op.at(out, tgt, src)
    return out


def _src_checked(name, self, src):
    if isinstance(src, np.ndarray):
        if src.dtype != self.dtype:
            raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype")
        return src
    return fill_value(src, self.dtype)


def scatter(self, dim, index, src, reduce=None):
    d, idx = check_gather_like("scatter", self, dim, index, src if isinstance(src, np.ndarray) else None)
    src = _src_checked("scatter", self, src)
    op = {None: None, "add": np.add, "multiply": np.multiply}.get(reduce, False)
    if op is False:
        raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce}")
    out = np.array(self, copy=True).reshape(_shape1(self))
    return _scatter_into(out, d, idx.reshape(_shape1(index)), src.reshape(_shape1(src)) if src.ndim else src,
                         op).reshape(self.shape)


def scatter_add(self, dim, index, src):
    return scatter(self, dim, index, src, "add")


def scatter_reduce(self, dim, index, src, reduce, include_self=True):
    if reduce not in _REDUCES:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    d, idx = check_gather_like("scatter_reduce", self, dim, index, src)
    src = _src_checked("scatter_reduce", self, src)
    shp = _shape1(self)
    idx = idx.reshape(_shape1(index))
    src = src.reshape(_shape1(src))
    out = np.array(self, copy=True).reshape(shp)
    touched = _scatter_into(np.zeros(shp, np.int64), d, idx, np.ones((), np.int64), np.add)
    if not include_self:
        init = {"sum": 0, "mean": 0, "prod": 1}.get(reduce)
        if init is None:
            lim = np.finfo(out.dtype) if out.dtype.kind == "f" else np.iinfo(out.dtype) if out.dtype != np.bool_ \
                else None
            init = (lim.min if reduce == "amax" else lim.max) if lim is not None else (reduce == "amin")
            if out.dtype.kind == "f":
                init = -np.inf if reduce == "amax" else np.inf
        out[touched > 0] = init
    op = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.fmax if False else np.maximum,
          "amin": np.minimum}[reduce]
    _scatter_into(out, d, idx, src, op)
    if reduce == "mean":
        count = touched + (1 if include_self else 0)
        count = np.maximum(count, 1)
        if out.dtype.kind == "f":
            out = (out / count).astype(out.dtype)
        else:
            out = np.floor_divide(out, count).astype(out.dtype)
    return out.reshape(self.shape)


def index_select(self, dim, index):
    d, idx = check_index_vector("index_select", self, dim, index)
    if self.ndim == 0:
        return self.reshape(1)[idx].reshape(())
    return np.take(self, idx, axis=d)


def index_add(self, dim, index, source, alpha=1):
    d, idx = check_index_vector("index_add", self, dim, index, err=RuntimeError)
    src = check_source("index_add", self, d, idx, source)
    out = np.array(self, copy=True).reshape(_shape1(self))
    if alpha != 1:
        src = (src * np.array(alpha).astype(src.dtype) if src.dtype != np.bool_ else src)
    sl = [slice(None)] * out.ndim
    sl[d] = idx
    np.add.at(out, tuple(sl), np.moveaxis(src, d, d))
    return out.reshape(self.shape)


def index_copy(self, dim, index, source):
    d, idx = check_index_vector("index_copy", self, dim, index, err=IndexError)
    src = check_source("index_copy", self, d, idx, source)
    out = np.array(self, copy=True).reshape(_shape1(self))
    sl = [slice(None)] * out.ndim
    sl[d] = idx
    out[tuple(sl)] = src
    return out.reshape(self.shape)


def index_fill(self, dim, index, value):
    d, idx = check_index_vector("index_fill", self, dim, index, err=IndexError)
    if isinstance(value, np.ndarray) and value.ndim != 0:
        raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value.ndim} dimension(s).")
    out = np.array(self, copy=True).reshape(_shape1(self))
    sl = [slice(None)] * out.ndim
    sl[d] = idx
    out[tuple(sl)] = fill_value(value, out.dtype)
    return out.reshape(self.shape)


def index(self, indices):
    dims, arrs, bshape = advanced(self.shape, indices)
    if not dims:
        return np.array(self, copy=True)
    pos = result_layout(self.ndim, dims)
    rest = [d for d in range(self.ndim) if d not in dims]
    moved = np.transpose(self, dims + rest)
    picked = moved[tuple(arrs)]
    nb = len(bshape)
    order = list(range(nb, nb + pos)) + list(range(nb)) + list(range(nb + pos, picked.ndim))
    return np.transpose(picked, order)


def index_put(self, indices, values, accumulate=False):
    if values.dtype != self.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{_legacy(self.dtype)} for the destination and {_legacy(values.dtype)} for the source.")
    dims, arrs, bshape = advanced(self.shape, indices)
    out = np.array(self, copy=True)
    if not dims:
        out[...] = values
        return out
    pos = result_layout(self.ndim, dims)
    rest = [d for d in range(self.ndim) if d not in dims]
    moved = np.transpose(out, dims + rest)  # a view: writes land in `out`
    nb = len(bshape)
    want = tuple(self.shape[d] for d in rest[:pos]) + bshape + tuple(self.shape[d] for d in rest[pos:])
    try:
        vals = np.broadcast_to(values, want)
    except ValueError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(values.shape)} cannot be broadcast to "
                           f"indexing result of shape {list(want)}") from None
    order = list(range(pos, pos + nb)) + list(range(pos)) + list(range(pos + nb, len(want)))
    vals = np.transpose(vals, order)
    if accumulate:
        if out.dtype == np.bool_:
            np.logical_or.at(moved, tuple(arrs), vals)
        else:
            np.add.at(moved, tuple(arrs), vals)
    else:
        moved[tuple(arrs)] = vals
    return out


def masked_fill(self, mask, value):
    check_mask("masked_fill_", mask)
    shape = broadcast_shape(self.shape, mask.shape)
    v = fill_value(value, self.dtype)
    return np.where(mask, v, self).astype(self.dtype).reshape(shape)


def masked_select(self, mask):
    check_mask("masked_select:", mask) if mask.dtype != np.bool_ else None
    shape = broadcast_shape(self.shape, mask.shape)
    return np.broadcast_to(self, shape)[np.broadcast_to(mask, shape)]


def masked_scatter(self, mask, source):
    check_mask("masked_scatter_", mask) if mask.dtype != np.bool_ else None
    if source.dtype != self.dtype:
        raise RuntimeError("masked_scatter_: expected self and source to have same dtypes but got "
                           f"{_legacy(self.dtype)} and {_legacy(source.dtype)}")
    shape = broadcast_shape(self.shape, mask.shape)
    m = np.broadcast_to(mask, shape)
    n = int(m.sum())
    if n > source.size:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    out = np.array(np.broadcast_to(self, shape), copy=True)
    out[m] = source.reshape(-1)[:n]
    return out


def take(self, index):
    if index.dtype != np.int64:
        raise RuntimeError("take(): Expected a long tensor for index, but got "
                           f"{_legacy(index.dtype)}")
    n = self.size
    if index.size:
        bad = (index < -n) | (index >= n)
        if bad.any():
            raise IndexError(f"out of range: tried to access index {int(index[bad][0])} on a tensor of {n} "
                             "elements.")
    return self.reshape(-1)[np.where(index < 0, index + n, index)] if index.size else \
        np.empty(index.shape, self.dtype)


def put(self, index, source, accumulate=False):
    if index.dtype != np.int64:
        raise RuntimeError("put_(): Expected a long tensor for index")
    if source.dtype != self.dtype:
        raise RuntimeError("put_(): self and source expected to have the same dtype")
    if source.size != index.size:
        raise RuntimeError(f"put_(): Expected source and index to have the same number of elements, but got "
                           f"source.numel() = {source.size}, index.numel() = {index.size}")
    n = self.size
    if index.size:
        bad = (index < -n) | (index >= n)
        if bad.any():
            raise IndexError(f"out of range: tried to access index {int(index[bad][0])} on a tensor of {n} "
                             "elements.")
    out = np.array(self, copy=True).reshape(-1)
    idx = np.where(index < 0, index + n, index).reshape(-1)
    if accumulate:
        np.add.at(out, idx, source.reshape(-1))
    else:
        out[idx] = source.reshape(-1)
    return out.reshape(self.shape)


def argwhere(self):
    if self.ndim == 0:
        return np.zeros((1 if self.item() else 0, 0), np.int64)
    return np.argwhere(self).astype(np.int64)
