"""Memory-layout and dtype helpers shared by the kernels.

PyTorch's serial random kernels (``cpu_serial_kernel`` over a
``TensorIterator``) consume the stream in the iterator's order, which for a
single non-overlapping output is memory order: dimensions sorted by stride,
the smallest stride innermost. ``iteration_view`` gives a view whose C order
is that order, so a flat array of draws can be written through it.
"""

import numpy as np

_OVERLAP_MSG = (
    "unsupported operation: more than one element of the written-to tensor "
    "refers to a single memory location. Please clone() the tensor before "
    "performing the operation.")

# caffe2::TypeMeta names, as torch prints dtypes in kernel error messages.
_CPP_NAME = {
    "float16": "c10::Half", "bfloat16": "c10::BFloat16", "float32": "float",
    "float64": "double", "bool": "bool", "uint8": "unsigned char",
    "int8": "signed char", "int16": "short int", "int32": "int",
    "int64": "long int", "uint16": "short unsigned int",
    "uint32": "unsigned int", "uint64": "long unsigned int",
}
# ScalarType names, as torch prints them in "not implemented for" errors.
_SCALAR_NAME = {
    "float16": "Half", "bfloat16": "BFloat16", "float32": "Float",
    "float64": "Double", "bool": "Bool", "uint8": "Byte", "int8": "Char",
    "int16": "Short", "int32": "Int", "int64": "Long", "uint16": "UInt16",
    "uint32": "UInt32", "uint64": "UInt64",
}


# Finite range of each float kind (uniform_ and random_ check bounds against it).
FLOAT_LIMITS = {
    "float16": (-65504.0, 65504.0),
    "bfloat16": (-3.3895313892515355e38, 3.3895313892515355e38),
    "float32": (float(np.finfo(np.float32).min), float(np.finfo(np.float32).max)),
    "float64": (float(np.finfo(np.float64).min), float(np.finfo(np.float64).max)),
}
# Range of each integer kind (random_ bounds, randperm overflow).
INT_LIMITS = {
    "bool": (0, 1), "uint8": (0, 255), "int8": (-128, 127),
    "int16": (-32768, 32767), "int32": (-2 ** 31, 2 ** 31 - 1),
    "int64": (-2 ** 63, 2 ** 63 - 1), "uint16": (0, 65535),
    "uint32": (0, 2 ** 32 - 1), "uint64": (0, 2 ** 64 - 1),
}


def kind_of(out, torch_dtype=None):
    """Name of the torch dtype the kernel emulates for ``out``.

    ``torch_dtype="bfloat16"`` is how callers ask for bfloat16: NumPy has no
    such dtype, so ``out`` is float32 and receives values already rounded to
    bfloat16 (converting them to bfloat16 afterwards is exact).
    """
    if torch_dtype is not None:
        name = str(torch_dtype).replace("torch.", "")
        if name == "bfloat16":
            if out.dtype != np.float32:
                raise TypeError("bfloat16 emulation writes into a float32 array")
            return "bfloat16"
        if np.dtype(name) != out.dtype:
            raise TypeError("torch_dtype %s does not match out.dtype %s"
                            % (name, out.dtype))
    return out.dtype.name


def cpp_name(kind):
    return _CPP_NAME.get(kind, kind)


def scalar_name(kind):
    return _SCALAR_NAME.get(kind, kind)


def is_floating(kind):
    return kind in ("float16", "bfloat16", "float32", "float64")


def round_bf16(x32):
    """float32 -> nearest-even bfloat16, returned as float32 (c10::BFloat16's
    round_to_nearest_even, NaN -> 0x7FC0)."""
    x32 = np.asarray(x32, dtype=np.float32)
    b = x32.view(np.uint32).astype(np.uint32)
    r = (b + np.uint32(0x7FFF) + ((b >> np.uint32(16)) & np.uint32(1)))
    r &= np.uint32(0xFFFF0000)
    nan = np.isnan(x32)
    if np.any(nan):
        r[nan] = np.uint32(0x7FC00000)
    return r.view(np.float32)


def from_double(v, kind):
    """``static_cast<scalar_t>(double)`` for the floating kinds. Half and
    BFloat16 convert through float (their constructors take float)."""
    v = np.asarray(v, dtype=np.float64)
    if kind == "float64":
        return v
    with np.errstate(over="ignore"):
        v32 = v.astype(np.float32)
    if kind == "float32":
        return v32
    if kind == "float16":
        with np.errstate(over="ignore"):
            return v32.astype(np.float16)
    if kind == "bfloat16":
        return round_bf16(v32)
    raise TypeError(kind)


def from_float(v32, kind):
    """``static_cast<scalar_t>(float)``; for double kernels never needed."""
    v32 = np.asarray(v32, dtype=np.float32)
    if kind == "float32":
        return v32
    if kind == "float16":
        with np.errstate(over="ignore"):   # out of range -> inf, like c10::Half
            return v32.astype(np.float16)
    if kind == "bfloat16":
        return round_bf16(v32)
    if kind == "float64":
        return v32.astype(np.float64)
    raise TypeError(kind)


def iteration_perm(shape, strides):
    """Axes from outermost to innermost in TensorIterator's order.

    Mirrors ``TensorIteratorBase::reorder_dimensions`` for one operand:
    start from the reversed axes and insertion-sort by stride (ties: the
    smaller size goes inner); size-1 axes cannot change the order.
    """
    nd = len(shape)
    perm = list(range(nd - 1, -1, -1))  # perm[0] is innermost

    def should_swap(d0, d1):
        s0, s1 = abs(strides[d0]), abs(strides[d1])
        if s0 == 0 or s1 == 0:
            return 0
        if s0 < s1:
            return -1
        if s0 > s1:
            return 1
        if shape[d0] > shape[d1]:
            return 1
        return 0

    for i in range(1, nd):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = should_swap(perm[d0], perm[d1])
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif c < 0:
                break
    return perm[::-1]


def check_no_overlap(out):
    for size, stride in zip(out.shape, out.strides):
        if size > 1 and stride == 0:
            raise RuntimeError(_OVERLAP_MSG)


def iteration_view(out):
    """View of ``out`` whose C-order traversal is the kernel's order.

    Negative strides (impossible in torch) are walked in index order.
    """
    check_no_overlap(out)
    if out.ndim <= 1 or out.flags.c_contiguous:
        return out
    return out.transpose(iteration_perm(out.shape, out.strides))


def write_serial(out, values):
    """Write a flat array of per-element results in the kernel's order."""
    v = iteration_view(out)
    v[...] = np.asarray(values).reshape(v.shape)
    return out


def read_serial(arr, out):
    """Read ``arr`` (already broadcast to ``out.shape``) in ``out``'s
    iteration order, as a flat array."""
    check_no_overlap(out)
    if out.ndim <= 1 or out.flags.c_contiguous:
        return np.ascontiguousarray(arr).reshape(-1)
    perm = iteration_perm(out.shape, out.strides)
    return np.ascontiguousarray(arr.transpose(perm)).reshape(-1)


def empty_like(like, dtype=None):
    """``at::empty_like`` with preserve_format: same strides when ``like`` is
    non-overlapping and dense, otherwise contiguous."""
    dtype = like.dtype if dtype is None else np.dtype(dtype)
    if like.ndim <= 1 or like.flags.c_contiguous:
        return np.empty(like.shape, dtype)
    if _non_overlapping_and_dense(like):
        perm = iteration_perm(like.shape, like.strides)  # outer -> inner
        tmp = np.empty([like.shape[p] for p in perm], dtype)
        inv = np.argsort(perm)
        return tmp.transpose(inv)
    return np.empty(like.shape, dtype)


def _non_overlapping_and_dense(a):
    if any(s < 0 for s in a.strides):
        return False
    dims = sorted((st, sz) for st, sz in zip(a.strides, a.shape) if sz != 1)
    expected = a.itemsize
    for st, sz in dims:
        if st != expected:
            return False
        expected *= sz
    return True
