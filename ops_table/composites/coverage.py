"""Composites for commonly used torch functions that decompose into table ops
(shape helpers, stacking, differences, index factories); autograd records the ops used."""
import numpy as np


def _bshape(shapes):
    try:
        return tuple(np.broadcast_shapes(*[tuple(s) for s in shapes]))
    except ValueError:
        raise RuntimeError("shape mismatch: objects cannot be broadcast to a single shape") from None


def logaddexp(T, a, b):
    m = T.maximum(a, b)
    # Where both are the same infinity, a - b is nan; the answer is that infinity.
    same_inf = (a == b) & T.isinf(a)
    out = m + T.log1p(T.exp(-T.abs(a - b)))
    return T.where(same_inf, a, out)


def logaddexp2(T, a, b):
    ln2 = 0.6931471805599453
    return logaddexp(T, a * ln2, b * ln2) / ln2


def broadcast_to(T, self, size):
    return self.expand(size)


def _gather(T, t0, rest):
    # Variadic in PyTorch (f(a, b) or f([a, b])): the schema spells the operands as slots.
    ts = list(t0) if isinstance(t0, (list, tuple)) else [t0]
    ts += [t for t in rest if t is not None]
    for i, t in enumerate(ts):
        if not isinstance(t, T.Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return ts


def broadcast_tensors(T, t0, *rest):
    ts = _gather(T, t0, rest)
    shape = _bshape([t.shape for t in ts])
    return tuple(t.expand(shape) for t in ts)


def meshgrid(T, t0, t1, t2, t3, indexing):
    ts = _gather(T, t0, (t1, t2, t3))
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


def _tri_indices(T, row, col, offset, dtype, lower):
    r = T.arange(row, dtype=T.int64).reshape(-1, 1)
    c = T.arange(col, dtype=T.int64).reshape(1, -1)
    mask = (c - r <= offset) if lower else (c - r >= offset)
    return T.nonzero(mask).t().contiguous().to(dtype or T.int64)


def tril_indices(T, row, col, offset=0, dtype=None, *factory):
    return _tri_indices(T, row, col, offset, dtype, True)


def triu_indices(T, row, col, offset=0, dtype=None, *factory):
    return _tri_indices(T, row, col, offset, dtype, False)


def multi_dot(T, tensors):
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    first, last = tensors[0], tensors[-1]
    ts = [first.unsqueeze(0) if first.dim() == 1 else first] + list(tensors[1:-1]) + \
        [last.unsqueeze(1) if last.dim() == 1 else last]
    for i, t in enumerate(ts):
        if t.dim() != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.dim()}D")
    out = ts[0]
    for t in ts[1:]:
        out = T.mm(out, t)
    if first.dim() == 1 and last.dim() == 1:
        return out.reshape(())
    if first.dim() == 1:
        return out.squeeze(0)
    if last.dim() == 1:
        return out.squeeze(1)
    return out


def matrix_power(T, self, n):
    if self.dim() < 2 or self.shape[-1] != self.shape[-2]:
        raise RuntimeError("linalg.matrix_power: A must be batches of square matrices, but they are "
                           f"{self.shape[-2] if self.dim() >= 2 else 1} by {self.shape[-1] if self.dim() else 1} "
                           "matrices")
    if n == 0:
        # self * 0 keeps the result in the graph (PyTorch's has a zero gradient, not none)
        return T.eye(self.shape[-1], dtype=self.dtype) + self * 0
    base = T.inv(self) if n < 0 else self
    n = abs(n)
    result = None
    while n:
        if n & 1:
            result = base if result is None else T.matmul(result, base)
        n >>= 1
        if n:
            base = T.matmul(base, base)
    return result if result is not self else self.clone()
