"""`*_like` and `new_*` factories, and empty_strided, in terms of the plain factories."""


def _dense_strides(t):
    """PyTorch's preserve_format: keep the input's strides when it is dense and non-overlapping."""
    shape, stride = t.shape, t.stride()
    order = sorted(range(len(shape)), key=lambda d: (stride[d], -d))
    expected = 1
    for d in order:
        if shape[d] != 1 and stride[d] != expected:
            return None
        expected *= max(shape[d], 1)
    return stride


def _contiguous(shape):
    out, acc = [], 1
    for n in reversed(shape):
        out.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(out))


def _like(T, factory, self, dtype, layout, device, pin_memory, requires_grad, memory_format, *fill):
    dtype = dtype or self.dtype
    device = device or self.device
    if memory_format is None or memory_format is T.preserve_format:
        stride = _dense_strides(self)
        if stride is not None and tuple(stride) != _contiguous(self.shape):
            out = T.empty_strided(self.shape, stride, dtype=dtype, layout=layout, device=device,
                                  requires_grad=False)
            out.fill_(fill[0] if fill else (1 if factory == "ones" else 0))
            return out.requires_grad_(requires_grad) if requires_grad else out
    elif memory_format is not T.contiguous_format:
        raise NotImplementedError(f"mstorch: {factory}_like(memory_format={memory_format}) is not supported yet")
    fn = getattr(T, factory)
    return fn(self.shape, *fill, dtype=dtype, layout=layout, device=device, pin_memory=pin_memory,
              requires_grad=requires_grad)


def zeros_like(T, self, *args):
    return _like(T, "zeros", self, *args)


def ones_like(T, self, *args):
    return _like(T, "ones", self, *args)


def empty_like(T, self, *args):
    return _like(T, "empty", self, *args)


def full_like(T, self, fill_value, *args):
    return _like(T, "full", self, *args, fill_value)


def new_zeros(T, self, size, dtype, layout, device, pin_memory, requires_grad):
    return T.zeros(size, dtype=dtype or self.dtype, layout=layout, device=device or self.device,
                   pin_memory=pin_memory, requires_grad=requires_grad)


def new_ones(T, self, size, dtype, layout, device, pin_memory, requires_grad):
    return T.ones(size, dtype=dtype or self.dtype, layout=layout, device=device or self.device,
                  pin_memory=pin_memory, requires_grad=requires_grad)


def new_full(T, self, size, fill_value, dtype, layout, device, pin_memory, requires_grad):
    return T.full(size, fill_value, dtype=dtype or self.dtype, layout=layout, device=device or self.device,
                  pin_memory=pin_memory, requires_grad=requires_grad)


def empty_strided(T, size, stride, dtype, layout, device, pin_memory, requires_grad):
    size, stride = tuple(size), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape")
    span = 1 + sum((n - 1) * s for n, s in zip(size, stride)) if all(size) else 0
    buf = T.zeros((span,), dtype=dtype, layout=layout, device=device, pin_memory=pin_memory)
    out = buf.as_strided(size, stride, 0)
    out._base = None  # a fresh tensor, not a view of a temporary
    return out.requires_grad_(True) if requires_grad else out


def _tri_indices(T, row, col, offset, dtype, lower):
    r = T.arange(row, dtype=T.int64).reshape(-1, 1)
    c = T.arange(col, dtype=T.int64).reshape(1, -1)
    mask = (c - r <= offset) if lower else (c - r >= offset)
    return T.nonzero(mask).t().contiguous().to(dtype or T.int64)


def tril_indices(T, row, col, offset=0, dtype=None, *factory):
    return _tri_indices(T, row, col, offset, dtype, True)


def triu_indices(T, row, col, offset=0, dtype=None, *factory):
    return _tri_indices(T, row, col, offset, dtype, False)
