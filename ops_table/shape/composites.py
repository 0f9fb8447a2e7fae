"""Shape ops that are views when possible and copies otherwise."""
from ops_table.common.geometry import compute_stride, infer_size
import numpy as np


def reshape(T, self, shape):
    shape = infer_size(shape, self.numel())
    if compute_stride(tuple(self.shape), self.stride(), shape) is not None:
        return self.view(shape)
    return self.clone(memory_format=T.contiguous_format).view(shape)


def _dim(d, n):
    m = max(n, 1)
    if not -m <= d < m:
        lo, hi = (-1, 0) if n == 0 else (-n, n - 1)
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {d})")
    return d % m


def flatten(T, self, start_dim, end_dim):
    n = self.dim()
    s, e = _dim(start_dim, n), _dim(end_dim, n)
    if n == 0:
        return self.reshape(1)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return self
    shape = list(self.shape)
    mid = 1
    for k in shape[s:e + 1]:
        mid *= k
    return self.reshape(shape[:s] + [mid] + shape[e + 1:])


def unflatten(T, self, dim, sizes):
    d = _dim(dim, self.dim())
    sizes = infer_size(sizes, self.shape[d])
    return self.view(tuple(self.shape[:d]) + tuple(sizes) + tuple(self.shape[d + 1:]))


def view_as(T, self, other):
    return self.view(other.shape)


def reshape_as(T, self, other):
    return self.reshape(other.shape)


def expand_as(T, self, other):
    return self.expand(other.shape)


def contiguous(T, self, memory_format):
    if memory_format is not None and memory_format is not T.contiguous_format and \
            memory_format is not T.preserve_format:
        raise NotImplementedError(f"mstorch: contiguous(memory_format={memory_format}) is not supported yet")
    if self.is_contiguous():
        return self
    return self.clone(memory_format=T.contiguous_format)


def repeat(T, self, repeats):
    repeats = tuple(repeats)
    lead = len(repeats) - self.dim()
    x = self.reshape((1,) * lead + tuple(self.shape))
    # Broadcast each dimension against a new leading repeat axis, then merge the two.
    shape, expanded, final = [], [], []
    for r, n in zip(repeats, x.shape):
        shape += [1, n]
        expanded += [r, n]
        final.append(r * n)
    # PyTorch's repeat always returns new memory: a reshape of the expanded view can stay a
    # view (stride 0 where a leading repeat meets a size-1 dim), which in-place ops then refuse.
    return x.reshape(shape).expand(expanded).clone(memory_format=T.contiguous_format).view(final)


def clone(T, self, memory_format):
    if memory_format is None or memory_format is T.preserve_format:
        if not self.is_contiguous() and _is_dense(self):
            out = T.empty_like(self)
            out.copy_(self)
            return out
    elif memory_format is not T.contiguous_format:
        raise NotImplementedError(f"mstorch: clone(memory_format={memory_format}) is not supported yet")
    return T._clone(self)


def _is_dense(t):
    """Non-overlapping and dense: some permutation of the dims is contiguous."""
    order = sorted(range(t.dim()), key=lambda d: t.stride()[d])
    expected = 1
    for d in order:
        if t.shape[d] != 1:
            if t.stride()[d] != expected:
                return False
            expected *= t.shape[d]
    return True


def repeat_interleave(T, self, repeats=None, dim=None, output_size=None):
    if repeats is None:  # torch.repeat_interleave(repeats): indices repeated by their counts
        counts = self
        return T.repeat_interleave(T.arange(counts.numel()), counts, 0)
    x = self
    if dim is None:
        x, dim = self.reshape(-1), 0
    d = _dim(dim, x.dim())
    if isinstance(repeats, T.Tensor) and repeats.numel() != 1:
        if repeats.dim() != 1 or repeats.numel() != x.shape[d]:
            raise RuntimeError("repeats must have the same size as input along dim")
        counts = repeats.tolist()
        if any(c < 0 for c in counts):
            raise RuntimeError("repeats can not be negative")
        idx = [i for i, c in enumerate(counts) for _ in range(c)]
        return x.index_select(d, T.tensor(idx, dtype=T.int64))
    r = int(repeats.item()) if isinstance(repeats, T.Tensor) else int(repeats)
    if r < 0:
        raise RuntimeError("repeats can not be negative")
    shape = list(x.shape)
    expanded = x.unsqueeze(d + 1).expand(shape[:d + 1] + [r] + shape[d + 1:])
    return expanded.reshape(shape[:d] + [shape[d] * r] + shape[d + 1:])


def _bshape(shapes):
    try:
        return tuple(np.broadcast_shapes(*[tuple(s) for s in shapes]))
    except ValueError:
        raise RuntimeError("shape mismatch: objects cannot be broadcast to a single shape") from None


def broadcast_to(T, self, size):
    return self.expand(size)


def _gather(T, tensors):
    ts = list(tensors)
    for i, t in enumerate(ts):
        if not isinstance(t, T.Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return ts


def broadcast_tensors(T, tensors):
    ts = _gather(T, tensors)
    shape = _bshape([t.shape for t in ts])
    return tuple(t.expand(shape) for t in ts)


def meshgrid(T, tensors, indexing):
    ts = _gather(T, tensors)
    if indexing is None:
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}")
    for t in ts:
        if t.dim() > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t}")
    if any(t.dtype != ts[0].dtype for t in ts):
        raise RuntimeError("torch.meshgrid: Expected all tensors in the tensor list to have the same dtype")
    swap = indexing == "xy" and len(ts) >= 2
    order = [1, 0] + list(range(2, len(ts))) if swap else list(range(len(ts)))
    flat = [ts[i].reshape(-1) for i in order]
    shape = tuple(t.shape[0] for t in flat)
    n = len(flat)
    grids = [t.reshape([-1 if k == j else 1 for k in range(n)]).expand(shape) for j, t in enumerate(flat)]
    if swap:
        # built over (t1, t0, ...): the shape "xy" wants; hand them back in argument order
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def tile(T, self, dims):
    dims = tuple(dims)
    if len(dims) < self.dim():
        dims = (1,) * (self.dim() - len(dims)) + dims
    return self.repeat(dims)


def _atleast(t, n):
    if t.dim() >= n:
        return t
    if n == 1:
        return t.reshape(1)
    if n == 2:
        return t.reshape(1, -1) if t.dim() == 1 else t.reshape(1, 1)
    if t.dim() == 0:
        return t.reshape(1, 1, 1)
    if t.dim() == 1:
        return t.unsqueeze(0).unsqueeze(-1)
    return t.unsqueeze(-1)


def atleast_1d(T, tensors):
    return _atleast(tensors, 1) if isinstance(tensors, T.Tensor) else tuple(_atleast(t, 1) for t in tensors)


def atleast_2d(T, tensors):
    return _atleast(tensors, 2) if isinstance(tensors, T.Tensor) else tuple(_atleast(t, 2) for t in tensors)


def atleast_3d(T, tensors):
    return _atleast(tensors, 3) if isinstance(tensors, T.Tensor) else tuple(_atleast(t, 3) for t in tensors)


def _nonempty(tensors, name):
    if len(tensors) == 0:
        raise RuntimeError(f"{name} expects a non-empty TensorList")


def hstack(T, tensors):
    _nonempty(tensors, "hstack")
    ts = [_atleast(t, 1) for t in tensors]
    return T.cat(ts, 0 if ts[0].dim() == 1 else 1)


def vstack(T, tensors):
    _nonempty(tensors, "vstack")
    return T.cat([_atleast(t, 2) for t in tensors], 0)


def dstack(T, tensors):
    _nonempty(tensors, "dstack")
    return T.cat([_atleast(t, 3) for t in tensors], 2)


def column_stack(T, tensors):
    _nonempty(tensors, "column_stack")
    ts = [t.reshape(-1, 1) if t.dim() <= 1 else t for t in tensors]
    return T.cat(ts, 1)


def diff(T, self, n, dim, prepend, append):
    if self.dim() == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    if n == 0:
        return self  # PyTorch ignores prepend/append when there is nothing to difference
    parts = [t if t.dim() else t.expand(self.shape[:dim % self.dim()] + (1,) + self.shape[dim % self.dim() + 1:])
             for t in (prepend,) if t is not None] + [self] + \
            [t if t.dim() else t.expand(self.shape[:dim % self.dim()] + (1,) + self.shape[dim % self.dim() + 1:])
             for t in (append,) if t is not None]
    x = T.cat(parts, dim) if len(parts) > 1 else self
    for _ in range(n):
        length = x.shape[dim]
        if length == 0:
            break
        hi, lo = x.narrow(dim, 1, length - 1), x.narrow(dim, 0, length - 1)
        x = T.logical_xor(hi, lo) if x.dtype == T.bool else hi - lo
    return x


def ravel(T, self):
    return self.reshape(-1)


def fliplr(T, self):
    if self.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return self.flip([1])


def flipud(T, self):
    if self.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return self.flip([0])


def rot90(T, self, k, dims):
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if self.dim() < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {self.dim()}")
    a, b = dims[0] % self.dim(), dims[1] % self.dim()
    if a == b:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}")
    k %= 4
    if k == 1:
        return self.flip([b]).transpose(a, b)
    if k == 2:
        return self.flip([a, b])
    if k == 3:
        return self.flip([a]).transpose(a, b)
    return self.clone()
