"""Shape ops that are views when possible and copies otherwise."""
from ops_table.kernels.geometry import compute_stride, infer_size


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
