"""Functions backward formulas may call besides the table's ops (written with table ops)."""
from ops_table.common.provided import get as _get


def _views():
    return _get("views")


def sum_to(grad, shape):
    """Reduce a broadcast gradient back to `shape` (PyTorch's sum_to_size)."""
    shape = tuple(shape)
    if tuple(grad.shape) == shape:
        return grad
    lead = grad.dim() - len(shape)
    dims = list(range(lead))
    for i, n in enumerate(shape):
        if n == 1 and grad.shape[lead + i] != 1:
            dims.append(lead + i)
    if dims:
        grad = grad.sum(dims, keepdim=True)
    if lead:
        grad = _views().reshape(grad, shape)
    elif tuple(grad.shape) != shape:
        grad = _views().reshape(grad, shape)
    return grad


def unsqueeze_dims(grad, dims, ndim):
    """Re-insert reduced dimensions so a reduction's grad broadcasts against its input."""
    if dims is None:
        return _views().reshape(grad, (1,) * ndim)
    if isinstance(dims, int):
        dims = (dims,)
    for d in sorted(x % ndim if ndim else 0 for x in dims):
        grad = _views().unsqueeze(grad, d)
    return grad


def reduce_grad(grad, self, dim, keepdim):
    """Gradient of a sum over `dim` broadcast back to the input's shape."""
    if not keepdim and self.dim() > 0:
        grad = unsqueeze_dims(grad, dim if dim not in (None, (), []) else None, self.dim())
    return _views().expand(grad, self.shape)


def numel_of(self, dim):
    if dim is None or dim == () or dim == []:
        return self.numel()
    if isinstance(dim, int):
        dim = (dim,)
    if self.dim() == 0:
        return 1
    n = 1
    for d in dim:
        n *= self.shape[d]
    return n


def view_scatter(grad, self, view_fn):
    """Grad of a view op: zeros shaped like the input with `grad` written where the view looks."""
    T = _get("T")
    z = T.zeros(self.shape, dtype=grad.dtype)
    view_fn(z).copy_(grad)
    return z


def inverse_permutation(dims, ndim):
    inv = [0] * ndim
    for i, d in enumerate(dims):
        inv[d % ndim] = i
    return inv


def materialize(grads, self, dim):
    """Per-slice grads of unbind with zeros where an output got no gradient."""
    T = _get("T")
    shape = list(self.shape)
    del shape[dim % self.dim()]
    return [g if g is not None else T.zeros(shape, dtype=self.dtype) for g in grads]


def materialize_split(grads, self, dim):
    T = _get("T")
    d = dim % self.dim()
    out = []
    pieces = T.split(T.zeros(self.shape, dtype=self.dtype), _split_sizes_from(grads, self, d), d)
    for g, p in zip(grads, pieces):
        out.append(g if g is not None else T.zeros_like(p))
    return out


def _split_sizes_from(grads, self, d):
    return [g.shape[d] if g is not None else None for g in grads] if all(g is not None for g in grads) else \
        _infer_sizes(grads, self, d)


def _infer_sizes(grads, self, d):
    known = [g.shape[d] for g in grads if g is not None]
    each = known[0] if known else self.shape[d]
    n = len(grads)
    sizes = [each] * n
    sizes[-1] = self.shape[d] - each * (n - 1)
    return sizes


def split_like(grad, tensors, dim):
    """cat's backward: the grad split back into the inputs' extents along dim."""
    ref = next((t for t in tensors if not (t.dim() == 1 and t.shape[0] == 0)), tensors[0])
    d = dim % ref.dim()
    sizes = [0 if (t.dim() == 1 and t.shape[0] == 0) else t.shape[d] for t in tensors]
    T = _get("T")
    parts = list(T.split(grad, sizes, d))
    return [p if not (t.dim() == 1 and t.shape[0] == 0) else T.zeros_like(t) for p, t in zip(parts, tensors)]


def as_strided_backward(grad, self, size, stride, storage_offset):
    T = _get("T")
    z = T.zeros(self.shape, dtype=grad.dtype)
    off = (storage_offset if storage_offset is not None else self.storage_offset()) - self.storage_offset()
    flat = z.reshape(-1)
    idx = T.arange(self.numel()).reshape(self.shape)
    # Map each element the view reads to its position in the input (via storage indices).
    src = T.empty_strided(self.shape, self.stride(), dtype=T.int64)
    src.copy_(idx)
    pos = src.as_strided(size, stride, src.storage_offset() + off)
    return T.index_add(flat, 0, pos.reshape(-1), grad.reshape(-1)).reshape(self.shape)


def unfold_backward(grad, self, dimension, size, step):
    T = _get("T")
    z = T.zeros(self.shape, dtype=grad.dtype)
    if self.dim() == 0:
        return grad.reshape(())
    d = dimension % self.dim()
    for i in range(grad.shape[d]):
        window = T.movedim(grad.select(d, i), -1, d)
        z = _add_window(z, window, d, i * step)
    return z


def _add_window(z, window, d, start):
    T = _get("T")
    before = list(z.shape)
    before[d] = start
    after = list(z.shape)
    after[d] = z.shape[d] - start - window.shape[d]
    parts = [T.zeros(before, dtype=z.dtype), window, T.zeros(after, dtype=z.dtype)]
    return z + T.cat(parts, d)


def not_implemented(op):
    """For ops PyTorch itself cannot differentiate: fail at backward time as PyTorch does."""
    raise RuntimeError(f"derivative for aten::{op} is not implemented")


def _T():
    T = _get("T")
    return T


_ONEHOT_LIMIT = 1 << 16


def onehot_scatter(grad, indices, dim, shape):
    """Sum `grad` into a tensor of `shape` at `indices` along `dim` (scatter_add, as compare-and-sum)."""
    T = _T()
    if len(shape) == 0:
        return grad.reshape(())
    d = dim % len(shape)
    if grad.numel() * shape[d] > _ONEHOT_LIMIT:
        # Compare-and-sum needs numel * size memory: large sorts take scatter_add instead.
        return T.zeros(tuple(shape), dtype=grad.dtype).scatter_add(d, indices, grad)
    g = T.movedim(grad, d, -1).unsqueeze(-1)
    idx = T.movedim(indices, d, -1).unsqueeze(-1)
    hit = idx == T.arange(shape[d])
    out = (hit * g).sum(-2)
    return T.movedim(out, -1, d)


def select_backward(grad, indices, dim, shape, keepdim):
    """max.dim/min.dim/median.dim/kthvalue/mode: the grad goes to the selected element of each slice."""
    shape = tuple(shape)
    if len(shape) == 0:
        return grad.reshape(())
    if not keepdim:
        grad = grad.unsqueeze(dim)
        indices = indices.unsqueeze(dim)
    return onehot_scatter(grad, indices, dim, shape)
