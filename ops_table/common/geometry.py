"""View ops as pure geometry: (size, stride, offset, *args) -> (size, stride, offset).

The dispatcher turns the result into a view sharing the input's storage; no data moves.
"""


def _wrap(dim, ndim):
    n = max(ndim, 1)
    if not -n <= dim < n:
        lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")
    return dim % n


def infer_size(shape, numel):
    shape = list(shape)
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            if s < 0:
                raise RuntimeError(f"invalid shape dimension {s}")
            known *= s
    if neg:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape[neg[0]] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def _numel(size):
    n = 1
    for s in size:
        n *= s
    return n


def compute_stride(old_size, old_stride, new_size):
    """Strides viewing `old` as `new_size` without copying, or None when impossible (PyTorch's rule:
    each new dimension must lie within one contiguous chunk of the old layout)."""
    numel = _numel(old_size)
    if numel == 0:
        return tuple(_contiguous(new_size))
    if not old_size:
        return tuple(1 for _ in new_size)
    new_stride = [0] * len(new_size)
    view_d = len(new_size) - 1
    chunk_base_stride = old_stride[-1]
    tensor_numel = 1
    view_numel = 1
    for tensor_d in range(len(old_size) - 1, -1, -1):
        tensor_numel *= old_size[tensor_d]
        if tensor_d == 0 or (old_size[tensor_d - 1] != 1 and
                             old_stride[tensor_d - 1] != tensor_numel * chunk_base_stride):
            while view_d >= 0 and (view_numel < tensor_numel or new_size[view_d] == 1):
                new_stride[view_d] = view_numel * chunk_base_stride
                view_numel *= new_size[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if tensor_d > 0:
                chunk_base_stride = old_stride[tensor_d - 1]
                tensor_numel = 1
                view_numel = 1
    if view_d != -1:
        return None
    return tuple(new_stride)


def _contiguous(size):
    out, acc = [], 1
    for n in reversed(size):
        out.append(acc)
        acc *= max(n, 1)
    return list(reversed(out))


def view(size, stride, offset, shape):
    new = infer_size(shape, _numel(size))
    st = compute_stride(tuple(size), tuple(stride), new)
    if st is None:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one dimension "
                           "spans across two contiguous subspaces). Use .reshape(...) instead.")
    return new, st, offset


def transpose(size, stride, offset, dim0, dim1):
    n = len(size)
    d0, d1 = _wrap(dim0, n), _wrap(dim1, n)
    size, stride = list(size), list(stride)
    if n:
        size[d0], size[d1] = size[d1], size[d0]
        stride[d0], stride[d1] = stride[d1], stride[d0]
    return tuple(size), tuple(stride), offset


def t(size, stride, offset):
    if len(size) > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {len(size)}D")
    return transpose(size, stride, offset, 0, 1) if len(size) == 2 else (tuple(size), tuple(stride), offset)


def permute(size, stride, offset, dims):
    n = len(size)
    if len(dims) != n:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
                           f"length of the desired ordering of dimensions i.e. input.dim() = {n} is not equal to "
                           f"len(dims) = {len(dims)}")
    ds = [_wrap(d, n) for d in dims]
    if len(set(ds)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return tuple(size[d] for d in ds), tuple(stride[d] for d in ds), offset


def select(size, stride, offset, dim, index):
    n = len(size)
    if n == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = _wrap(dim, n)
    if not -size[d] <= index < size[d]:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(size)} at dimension {d}")
    index %= size[d]
    return size[:d] + size[d + 1:], stride[:d] + stride[d + 1:], offset + index * stride[d]


def slice(size, stride, offset, dim, start, end, step):
    n = len(size)
    d = _wrap(dim, n)
    if step <= 0:
        raise ValueError("step must be greater than zero")
    length = size[d]
    start = 0 if start is None else start
    end = length if end is None else end
    start = max(0, min(length, start + length if start < 0 else start))
    end = max(start, min(length, end + length if end < 0 else end))
    count = (end - start + step - 1) // step
    size, stride = list(size), list(stride)
    offset = offset + start * stride[d]
    size[d] = count
    stride[d] = stride[d] * step
    return tuple(size), tuple(stride), offset


def narrow(size, stride, offset, dim, start, length):
    if not size:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = _wrap(dim, len(size))
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -size[d] <= start <= size[d]:
        raise IndexError(f"start out of range (expected to be in range of [{-size[d]}, {size[d]}], but got {start})")
    if start < 0:
        start += size[d]
    if start + length > size[d]:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size[d]}).")
    return slice(size, stride, offset, d, start, start + length, 1)


def as_strided(size, stride, offset, new_size, new_stride, storage_offset):
    if len(new_size) != len(new_stride):
        raise RuntimeError(f"mismatch in length of strides and shape")
    if any(s < 0 for s in new_stride):
        raise RuntimeError("as_strided: Negative strides are not supported at the moment, got strides: "
                           f"{list(new_stride)}")
    return tuple(new_size), tuple(new_stride), offset if storage_offset is None else storage_offset


def expand(size, stride, offset, sizes, implicit=False):
    sizes = list(sizes)
    n = len(sizes)
    if n < len(size):
        raise RuntimeError(f"expand(torch.FloatTensor{{{list(size)}}}, size={sizes}): the number of sizes provided "
                           f"({n}) must be greater or equal to the number of dimensions in the tensor ({len(size)})")
    lead = n - len(size)
    out_size, out_stride = [], []
    for i, want in enumerate(sizes):
        if i < lead:
            if want < 0:
                raise RuntimeError(f"The expanded size of the tensor ({want}) isn't allowed in a leading, "
                                   "non-existing dimension 0")
            out_size.append(want)
            out_stride.append(0)
            continue
        have, st = size[i - lead], stride[i - lead]
        if want == -1:
            want = have
        if have == want:
            out_size.append(have)
            out_stride.append(st)
        elif have == 1:
            out_size.append(want)
            out_stride.append(0)
        else:
            raise RuntimeError(f"The expanded size of the tensor ({want}) must match the existing size ({have}) at "
                               f"non-singleton dimension {i}.  Target sizes: {sizes}.  Tensor sizes: {list(size)}")
    return tuple(out_size), tuple(out_stride), offset


def squeeze(size, stride, offset, dim=None):
    n = len(size)
    if dim is None:
        keep = [i for i in range(n) if size[i] != 1]
    else:
        dims = {_wrap(d, n) for d in (dim if isinstance(dim, (tuple, list)) else (dim,))} if n else set()
        keep = [i for i in range(n) if not (i in dims and size[i] == 1)]
    return tuple(size[i] for i in keep), tuple(stride[i] for i in keep), offset


def unsqueeze(size, stride, offset, dim):
    n = len(size)
    d = _wrap(dim, n + 1)
    new_stride = stride[d] * size[d] if d < n else 1
    return size[:d] + (1,) + size[d:], stride[:d] + (new_stride,) + stride[d:], offset


def unbind(size, stride, offset, dim):
    d = _wrap(dim, len(size))
    return [select(size, stride, offset, d, i) for i in range(size[d])]


def split(size, stride, offset, split_size, dim):
    d = _wrap(dim, len(size))
    if isinstance(split_size, (tuple, list)):
        return split_with_sizes(size, stride, offset, split_size, d)
    if split_size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={split_size}")
    length = size[d]
    if split_size == 0:
        return [slice(size, stride, offset, d, 0, 0, 1)] if length == 0 else _bad_split(split_size, length)
    return [slice(size, stride, offset, d, s, min(s + split_size, length), 1)
            for s in range(0, max(length, 1), split_size)]


def _bad_split(split_size, length):
    raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {length}")


def split_with_sizes(size, stride, offset, split_sizes, dim):
    d = _wrap(dim, len(size))
    if sum(split_sizes) != size[d]:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size[d]} (input tensor's size "
                           f"at dimension {d}), but got split_sizes={list(split_sizes)}")
    out, start = [], 0
    for s in split_sizes:
        out.append(slice(size, stride, offset, d, start, start + s, 1))
        start += s
    return out


def chunk(size, stride, offset, chunks, dim):
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    d = _wrap(dim, len(size))
    length = size[d]
    each = (length + chunks - 1) // chunks
    if each == 0:
        return [slice(size, stride, offset, d, 0, 0, 1) for _ in range(chunks)]
    return split(size, stride, offset, each, d)


def diagonal(size, stride, offset, off, dim1, dim2):
    n = len(size)
    d1, d2 = _wrap(dim1, n), _wrap(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    if off >= 0:
        length = max(0, min(size[d1], size[d2] - off))
        start = offset + off * stride[d2] if length else offset
    else:
        length = max(0, min(size[d1] + off, size[d2]))
        start = offset - off * stride[d1] if length else offset
    rest = [i for i in range(n) if i not in (d1, d2)]
    return (tuple(size[i] for i in rest) + (length,), tuple(stride[i] for i in rest) + (stride[d1] + stride[d2],),
            start)


def unfold(size, stride, offset, dimension, size_, step):
    n = len(size)
    d = _wrap(dimension, n) if n else 0
    length = size[d] if n else 1
    if size_ > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is {size_}")
    if size_ < 0:
        raise RuntimeError(f"size is {size_} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    count = (length - size_) // step + 1
    if not n:
        return (size_,), (1,), offset
    new_size = list(size)
    new_stride = list(stride)
    new_size[d] = count
    new_stride[d] = stride[d] * step
    return tuple(new_size) + (size_,), tuple(new_stride) + (stride[d],), offset


def alias(size, stride, offset):
    return tuple(size), tuple(stride), offset


def movedim(size, stride, offset, source, destination):
    n = len(size)
    src = [_wrap(s, n) for s in (source if isinstance(source, (tuple, list)) else (source,))]
    dst = [_wrap(s, n) for s in (destination if isinstance(destination, (tuple, list)) else (destination,))]
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} dims) should contain "
                           f"the same number of dims as destination ({list(dst)} dims)")
    order = [None] * n
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(i for i in range(n) if i not in src)
    order = [o if o is not None else next(rest) for o in order]
    return permute(size, stride, offset, order)
