"""What torch.tensor(data) accepts, as PyTorch checks it: nested sequences (lists,
tuples, ranges, other sequences) of one rectangular shape, and Python/NumPy numbers that
fit the target dtype.

One walk over the data collects the dtype kinds (for inference), checks the nesting,
and records the extreme numbers, which are then checked against the chosen dtype."""
import collections.abc
import math
import numbers

import numpy as np

from dispatch import dtypes as _dt
from dispatch.tensor import Tensor

_INT64_MIN, _INT64_MAX = -2 ** 63, 2 ** 63 - 1
_UINT64_MAX = 2 ** 64 - 1


class Scan:
    __slots__ = ("kinds", "ints", "floats", "arrays")

    def __init__(self):
        self.arrays = False  # whether tensors/ndarrays are nested in the data
        self.kinds = set()
        self.ints = []     # (least, greatest) Python/NumPy integer seen
        self.floats = []   # likewise for reals (NaN and inf included)


def is_sequence(x):
    return isinstance(x, (list, tuple, range)) or (
        isinstance(x, collections.abc.Sequence) and not isinstance(x, (str, bytes, bytearray)))


def scan(data):
    """Walk `data`; raise PyTorch's error for ragged nesting or unsupported items."""
    s = Scan()
    shape = _leading_shape(data)
    _walk(data, 0, shape, s)
    return s


def _leading_shape(x):
    shape = []
    while True:
        if isinstance(x, (Tensor, np.ndarray)):
            return shape + list(x.shape)
        if not is_sequence(x):
            return shape
        shape.append(len(x))
        if not len(x):
            return shape
        x = x[0]


def _walk(x, dim, shape, s):
    t = type(x)
    if t is int or t is float:  # the common leaves first
        if dim < len(shape):
            raise TypeError("not a sequence")
        if t is int:
            s.kinds.add(_dt.int64)
            _note(s.ints, x)
        else:
            s.kinds.add(_dt.get_default_dtype())
            _note(s.floats, x)
        return
    if isinstance(x, Tensor):
        s.arrays = True
        if tuple(x.shape) != tuple(shape[dim:]):
            _ragged(x.dim() and x.shape[0], dim, shape)
        s.kinds.add(x._dtype)
        # a 0-d tensor inside a list is a number PyTorch range-checks; torch.tensor(t) casts
        if dim and x.dim() == 0 and x._dtype.category < _dt._FLOAT and x._dtype is not _dt.bool_:
            _note(s.ints, int(x.item()))
        return
    if isinstance(x, np.ndarray):
        s.arrays = True
        if tuple(x.shape) != tuple(shape[dim:]):
            _ragged(x.shape[0] if x.ndim else 0, dim, shape)
        s.kinds.add(_dt.from_numpy_dtype(x.dtype))
        return
    if dim < len(shape):
        if not is_sequence(x):
            raise TypeError("not a sequence")
        if len(x) != shape[dim]:
            _ragged(len(x), dim, shape)
        if dim == len(shape) - 1 and type(x) in (list, tuple) and _plain_leaves(x, s):
            return
        for y in x:
            _walk(y, dim + 1, shape, s)
        return
    if is_sequence(x):
        raise TypeError(f"'{type(x).__name__}' object cannot be interpreted as an integer")
    if isinstance(x, np.generic):
        s.kinds.add(_dt.from_numpy_dtype(x.dtype))
        if isinstance(x, np.integer):
            _note(s.ints, int(x))
        elif isinstance(x, np.floating):
            _note(s.floats, float(x))
    elif isinstance(x, bool):
        s.kinds.add(_dt.bool_)
    elif isinstance(x, int):
        s.kinds.add(_dt.int64)
        _note(s.ints, x)
    elif isinstance(x, float):
        s.kinds.add(_dt.get_default_dtype())
        _note(s.floats, x)
    elif isinstance(x, complex):
        s.kinds.add(_dt.get_default_dtype().to_complex())
    elif isinstance(x, numbers.Number):
        s.kinds.add(_dt.get_default_dtype() if isinstance(x, numbers.Real) else _dt.complex64)
    elif isinstance(x, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
    elif isinstance(x, (dict, set, frozenset, collections.abc.Iterator)):
        raise RuntimeError(f"Could not infer dtype of {type(x).__name__}")
    else:
        raise TypeError(f"new(): invalid data type '{type(x).__name__}'")


_PLAIN = {int, float, bool}


def _plain_leaves(x, s):
    """The innermost lists at C speed when they hold only Python bool/int/float (a million
    ints: 6 s one by one)."""
    types = set(map(type, x))
    if not types <= _PLAIN:
        return False
    if bool in types:
        s.kinds.add(_dt.bool_)
    for t, pair, kind in ((int, s.ints, _dt.int64), (float, s.floats, None)):
        if t in types:
            s.kinds.add(kind or _dt.get_default_dtype())
            vals = x if len(types) == 1 else [v for v in x if type(v) is t]
            if t is float and any(v != v for v in vals):
                _note(pair, math.nan)
            _note(pair, min(vals))
            _note(pair, max(vals))
    return True


def _ragged(got, dim, shape):
    raise ValueError(f"expected sequence of length {shape[dim]} at dim {dim} (got {got})")


def _note(pair, v):
    if not pair:
        pair.extend((v, v))
    elif v < pair[0] or v != v:  # NaN is kept: no integer dtype holds it
        pair[0] = v
    elif v > pair[1]:
        pair[1] = v


def infer_dtype(s):
    if not s.kinds:
        return _dt.get_default_dtype()
    out = None
    for k in s.kinds:
        out = k if out is None else _dt.promote_types(out, k)
    return out


def check_range(s, dtype):
    """PyTorch's checks of the numbers against the tensor's dtype: an int beyond int64 for an
    integral dtype, then any number an integral dtype cannot hold."""
    if dtype.category >= _dt._FLOAT or dtype is _dt.bool_:
        return
    if dtype is _dt.uint64 and s.ints:  # unpacked as unsigned 64-bit: no wrapping from below zero
        if s.ints[0] < 0:
            raise OverflowError("can't convert negative int to unsigned")
        if s.ints[1] > _UINT64_MAX:
            raise OverflowError("int too big to convert")
        return
    if s.ints and (s.ints[0] < _INT64_MIN or s.ints[1] > _INT64_MAX):
        raise ValueError("Overflow when unpacking long long")
    info = np.iinfo(dtype.np)
    # an int may wrap into an unsigned dtype from as far below zero as its maximum (-1 is 255)
    least = -int(info.max) if info.min == 0 else info.min
    bad = (s.ints and (s.ints[0] < least or s.ints[1] > info.max)) or \
        (s.floats and any(not (info.min <= v <= info.max) or math.isnan(v) for v in s.floats))
    if bad:
        raise RuntimeError(f"value cannot be converted to type {dtype.name} without overflow")
