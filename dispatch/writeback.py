"""In-place semantics: compute out of place, then write into the existing buffer.

MindSpore's own in-place methods cannot be used on CPU (they return new tensors or
do nothing on views; docs/mindspore-facts.md, F4), so every in-place op, `out=` argument and
`__setitem__` ends here: the result is copied into the destination's elements through
the storage's zero-copy NumPy alias, which every view and `.numpy()` array shares.
"""
import numpy as np

from dispatch.arrays import to_host


def check_no_internal_overlap(t):
    if 0 in t._data.shape:
        return
    for n, s in zip(t._data.shape, t.stride()):
        if s == 0 and n > 1:
            raise RuntimeError(
                "unsupported operation: more than one element of the written-to tensor refers to a single "
                "memory location. Please clone() the tensor before performing the operation.")


def write_into(dst, src_data):
    """Copy backend array `src_data` (dst's dtype, broadcastable to dst's shape) into dst's elements."""
    view = dst._host_view()
    if view.size:
        np.copyto(view, to_host(src_data), casting="unsafe")
    dst._storage.version += 1
