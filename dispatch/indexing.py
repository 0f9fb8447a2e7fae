"""`Tensor.__getitem__` / `__setitem__` with PyTorch's semantics, built from table ops.

Basic parts of a key (ints, slices, None, ...) become view ops (select / slice /
unsqueeze), so results share storage and writes through them reach every alias.
Tensor and list parts are advanced indices: collected position by position and handed
to the table's `index` / `index_put_`, whose kernels apply PyTorch's placement rule
(adjacent advanced indices stay in place, separated ones go to the front).
`install(cls)` puts both methods on the Tensor class.
"""
import numbers
import warnings

import numpy as np

from dispatch.warn_site import user_stacklevel
from dispatch.opsns import T
from dispatch.tensor import Tensor

_INDEX_TYPES_MSG = ("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid "
                    "indices (got {})")


def _T():
    return T


def _is_int(k):
    return isinstance(k, numbers.Integral) and not isinstance(k, (bool, np.bool_))


_SEQUENCE_KEY_WARNING = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in pytorch 2.9; "
    "use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as tensor index, "
    "x[torch.tensor(seq)], which will result either in an error or a different result")


def _is_sequence(obj):
    """Python's sequence protocol test (what PySequence_Check answers), mappings excluded."""
    return hasattr(type(obj), "__getitem__") and not isinstance(obj, dict)


def _reads_as_tuple(key):
    """PyTorch's (formerly NumPy's) rule: a short non-tuple sequence holding a tensor, a
    sequence, a slice, Ellipsis or None is a tuple of per-dimension indices, not one index."""
    if isinstance(key, (Tensor, np.ndarray)) or not _is_sequence(key):
        return False
    try:
        n = len(key)
        if n >= 32:
            return False
        items = [key[i] for i in range(n)]
    except Exception:
        return False
    return any(isinstance(k, (Tensor, slice)) or k is None or k is Ellipsis or _is_sequence(k) for k in items)


def _as_key_tuple(key):
    if isinstance(key, tuple):
        return key
    if _reads_as_tuple(key):
        # stacklevel: this function, _apply_basic, __getitem__/__setitem__, the user's line
        warnings.warn(_SEQUENCE_KEY_WARNING, UserWarning, stacklevel=user_stacklevel())
        return tuple(key)
    return (key,)


def _plain_data(data):
    """`data` with ranges spelled out as lists (tensor() takes lists, not ranges)."""
    if isinstance(data, range):
        return list(data)
    if isinstance(data, (list, tuple)) and any(isinstance(x, (range, list, tuple)) for x in data):
        return [_plain_data(x) for x in data]
    return data


def _index_tensor(data):
    """An index tensor from a sequence or array, as PyTorch makes one: dtype inferred as
    by torch.tensor, then bool and uint8 kept (masks) and everything else made int64."""
    T = _T()
    if isinstance(data, range):
        # x[range(n), y] with n in the tens of thousands: no Python list on the way
        return T.tensor(np.arange(data.start, data.stop, data.step, dtype=np.int64))
    t = T.tensor(_plain_data(data))
    if t.dtype is not T.bool and t.dtype is not T.uint8:
        t = t.to(T.int64)
    return t


def _classify(k):
    """('none'|'ellipsis'|'int'|'slice'|'bool'|'tensor', value) for one key item."""
    if k is None:
        return "none", None
    if k is Ellipsis:
        return "ellipsis", None
    if isinstance(k, (bool, np.bool_)):
        return "bool", bool(k)
    if _is_int(k):
        return "int", int(k)
    if isinstance(k, slice):
        return "slice", k
    if isinstance(k, Tensor):
        dt = k.dtype
        if dt.is_floating_point or dt.is_complex:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if dt.name == "uint8":
            warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool "
                          "instead.", UserWarning, stacklevel=user_stacklevel())
        if k.dim() == 0 and dt.name != "bool" and dt.name != "uint8":
            return "int", int(k.item())
        if k.dim() == 0:
            return "bool", bool(k.item())
        return "tensor", k
    if isinstance(k, np.generic) and not _is_int(k):
        raise IndexError(_INDEX_TYPES_MSG.format("numpy." + type(k).__name__))
    if isinstance(k, np.ndarray) or (_is_sequence(k) and not hasattr(k, "__index__")):
        # lists, ranges, tuples inside a tuple key, arrays: one advanced index each
        return _classify(_index_tensor(k))
    if hasattr(k, "__index__"):
        return "int", k.__index__()
    raise IndexError(_INDEX_TYPES_MSG.format(type(k).__name__))


def _dims_used(kind, v):
    if kind in ("int", "slice"):
        return 1
    if kind == "tensor":
        return v.dim() if v.dtype.name in ("bool", "uint8") else 1
    return 0


def _apply_basic(self, key):
    """(view after the basic parts, advanced entries aligned with the view's dims or None)."""
    T = _T()
    items = [_classify(k) for k in _as_key_tuple(key)]
    seen_ellipsis = False
    used = sum(_dims_used(kind, v) for kind, v in items)
    if used > self.dim():
        raise IndexError(f"too many indices for tensor of dimension {self.dim()}")
    v = self
    d = 0
    entries = []        # one per view dim up to the last advanced index (None = untouched)
    have_adv = False
    for kind, val in items:
        if kind == "none":
            v = T.unsqueeze(v, d)
            entries.append(None)
            d += 1
        elif kind == "ellipsis":
            # PyTorch accepts several; only the first one stands for the missing dims
            skip = 0 if seen_ellipsis else self.dim() - used
            seen_ellipsis = True
            entries.extend([None] * skip)
            d += skip
        elif kind == "int":
            n = v.shape[d]
            if not -n <= val < n:
                raise IndexError(f"index {val} is out of bounds for dimension {d} with size {n}")
            v = T.select(v, d, val)
        elif kind == "slice":
            start, stop, step = val.start, val.stop, val.step
            step = 1 if step is None else _index_int(step)
            if step == 0:
                raise ValueError("slice step cannot be zero")
            if step < 0:
                raise ValueError("step must be greater than zero")
            start = None if start is None else _index_int(start)
            stop = None if stop is None else _index_int(stop)
            if not (start in (None, 0) and stop is None and step == 1):
                v = T.slice(v, d, start, stop, step)
            entries.append(None)
            d += 1
        elif kind == "bool":
            # x[True] adds a dim of size 1, x[False] one of size 0 (an advanced index on it)
            v = T.unsqueeze(v, d)
            entries.append(T.zeros((1 if val else 0,), dtype=T.int64))
            have_adv = True
            d += 1
        else:
            k = val.dim() if val.dtype.name in ("bool", "uint8") else 1
            for j in range(k if val.dtype.name in ("bool", "uint8") else 0):
                if d + j >= v.dim() or v.shape[d + j] != val.shape[j]:
                    raise IndexError(f"The shape of the mask {list(val.shape)} at index {j} does not match the "
                                     f"shape of the indexed tensor {list(v.shape)} at index {d + j}")
            entries.append(val)
            have_adv = True
            d += k
    return v, (entries if have_adv else None)


def _index_int(x):
    if isinstance(x, Tensor):
        return int(x.item())
    if _is_int(x):
        return int(x)
    if hasattr(x, "__index__"):
        return x.__index__()
    raise TypeError("slice indices must be integers or None or have an __index__ method")


def getitem(self, key):
    T = _T()
    v, entries = _apply_basic(self, key)
    if entries is None:
        return T.alias(v) if v is self else v
    return T.index(v, entries)


def _value_tensor(value, like):
    T = _T()
    if isinstance(value, Tensor):
        # PyTorch drops leading size-1 dims of the value before broadcasting it
        while value.dim() > like.dim() and value.shape[0] == 1:
            value = value.squeeze(0)
        return value
    if isinstance(value, (bool, int, float, complex, numbers.Number)):
        return T.full((), value, dtype=like.dtype, device=like.device)
    if isinstance(value, (list, tuple, np.ndarray)):
        return T.tensor(value, dtype=like.dtype, device=like.device)
    raise TypeError(f"can't assign a {type(value).__name__} to a {_legacy(like)}")


def _legacy(t):
    return {"float32": "torch.FloatTensor", "float64": "torch.DoubleTensor", "int64": "torch.LongTensor"}.get(
        t.dtype.name, "Tensor")


def setitem(self, key, value):
    v, entries = _apply_basic(self, key)
    val = _value_tensor(value, v)
    if entries is None:
        v.copy_(val)
        return
    if val.dtype is not v.dtype:
        val = val.to(v.dtype)
    v.index_put_(entries, val, False)


def install(cls):
    cls.__getitem__ = getitem
    cls.__setitem__ = setitem
