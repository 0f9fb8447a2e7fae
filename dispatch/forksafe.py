"""Making parent-made tensors safe to read in a forked child.

A forked child must never call MindSpore (docs/design-notes.md, "Forked processes").  Tensors
created in the parent before the fork are MindSpore-backed, and the dispatcher picks
MindSpore for any op that has such an input — so `dataset[i]` on a parent tensor, or
`x - self.mean` in a transform, would run MindSpore in the child.  Two steps prevent it:

* `cache_host_aliases(roots)` (parent, before fork): every tensor reachable from
  `roots` gets its storage's NumPy alias cached.  On CPU that alias is zero-copy;
  computing it in the child instead would call `asnumpy`, which on a device target is a
  device read — a MindSpore call.
* `rebind_to_host(roots)` (child, right after fork): the same tensors get NumPy arrays
  as their data and storage root, so ops on them run the `host` kernels.  The child's
  copies of the objects are private (copy-on-write), so the parent is not affected.

Reachability is a bounded walk through containers, instance attributes, closures and
partials — not module globals: walking every object in the process (gc.get_objects)
would touch every page and defeat copy-on-write in each worker.
"""
import functools
import types

import numpy as np
from dispatch.tensor import Tensor
from dispatch.tensor import strides_of
from dispatch.storage import numpy_view

_ATOMIC = (str, bytes, int, float, complex, bool, type(None), np.ndarray, np.generic, range, type,
           types.ModuleType, types.BuiltinFunctionType)
_LIMIT = 2_000_000


def reachable_tensors(roots):
    seen = set()
    found = []
    stack = list(roots)
    while stack and len(seen) < _LIMIT:
        obj = stack.pop()
        if isinstance(obj, _ATOMIC):
            continue
        oid = id(obj)
        if oid in seen:
            continue
        seen.add(oid)
        if isinstance(obj, Tensor):
            found.append(obj)
            for extra in (obj._base, obj._grad):
                if extra is not None:
                    stack.append(extra)
            d = getattr(obj, "__dict__", None)
            if d:
                stack.extend(d.values())
            continue
        if isinstance(obj, dict):
            stack.extend(obj.values())
            continue
        if isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
            continue
        if isinstance(obj, types.MethodType):
            stack.append(obj.__self__)
            stack.append(obj.__func__)
            continue
        if isinstance(obj, types.FunctionType):
            if obj.__closure__:
                for cell in obj.__closure__:
                    try:
                        stack.append(cell.cell_contents)
                    except ValueError:
                        pass
            if obj.__defaults__:
                stack.extend(obj.__defaults__)
            if obj.__kwdefaults__:
                stack.extend(obj.__kwdefaults__.values())
            continue
        if isinstance(obj, functools.partial):
            stack.append(obj.func)
            stack.extend(obj.args)
            stack.extend(obj.keywords.values())
            continue
        d = getattr(obj, "__dict__", None)
        if isinstance(d, dict):
            stack.extend(d.values())
        for slot in _slots_of(type(obj)):
            try:
                stack.append(getattr(obj, slot))
            except AttributeError:
                pass
    return found


_SLOTS = {}


def _slots_of(cls):
    names = _SLOTS.get(cls)
    if names is None:
        names = []
        for c in cls.__mro__:
            slots = c.__dict__.get("__slots__", ())
            if isinstance(slots, str):
                slots = (slots,)
            names.extend(n for n in slots if n not in ("__dict__", "__weakref__"))
        _SLOTS[cls] = names = tuple(names)
    return names


def cache_host_aliases(roots):
    """Parent side: cache the NumPy alias of every storage reachable from `roots`."""
    n = 0
    for t in reachable_tensors(roots):
        if type(t._storage.root) is not np.ndarray:
            t._storage.numpy_flat()
            n += 1
    return n


def rebind_to_host(roots):
    """Child side: turn the MindSpore-backed tensors reachable from `roots` into host tensors."""
    n = 0
    for t in reachable_tensors(roots):
        if type(t._data) is np.ndarray:
            continue
        st = t._storage
        flat = st.numpy_flat()
        t._data = numpy_view(st, tuple(t._data.shape), strides_of(t), t.storage_offset())
        st.root = flat
        n += 1
    return n
