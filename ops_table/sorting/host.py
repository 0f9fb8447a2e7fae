"""Host (NumPy) kernels for sorting and searching.  The MindSpore backends use them too
(ms.py): MindSpore's CPU Sort rounds float64 values to float32 precision, is not
stable in ascending order and does not put NaN last (measured), and unique/searchsorted
need host-side shapes anyway."""
import numpy as np


def _stable_order(x, axis, descending):
    """Stable argsort along `axis`; descending keeps equal elements in input order and puts NaN first."""
    if not descending:
        return np.argsort(x, axis=axis, kind="stable")
    n = x.shape[axis]
    rev = np.flip(x, axis)
    order = np.argsort(rev, axis=axis, kind="stable")
    return np.flip(n - 1 - order, axis)


def sort(a, *rest):
    if len(rest) == 3:  # sort.stable(self, *, stable, dim, descending)
        _, dim, descending = rest
    else:
        dim, descending = rest
    if a.ndim == 0:
        return a.copy(), np.zeros((), np.int64)
    d = dim % a.ndim
    idx = _stable_order(a, d, descending)
    return np.take_along_axis(a, idx, d), idx.astype(np.int64)


def topk(a, k, dim, largest, sorted_):
    if a.ndim == 0:
        return a.copy(), np.zeros((), np.int64)
    d = dim % a.ndim
    idx = _stable_order(a, d, largest)
    idx = np.take(idx, np.arange(k), axis=d)
    return np.take_along_axis(a, idx, d), idx.astype(np.int64)


def kthvalue(a, k, dim, keepdim):
    if a.ndim == 0:
        return a.copy(), np.zeros((), np.int64)
    d = dim % a.ndim
    idx = np.take(_stable_order(a, d, False), [k - 1], axis=d)
    val = np.take_along_axis(a, idx, d)
    if not keepdim:
        val, idx = val.squeeze(d), idx.squeeze(d)
    return val, idx.astype(np.int64)


def _unique_flat(a, return_inverse, return_counts):
    flat = a.reshape(-1)
    # Every NaN is its own value in PyTorch (NaN != NaN); NumPy would merge them.
    vals, inv, counts = np.unique(flat, return_inverse=True, return_counts=True, equal_nan=False)
    inv = inv.reshape(a.shape).astype(np.int64) if return_inverse else np.zeros((0,), np.int64)
    counts = counts.astype(np.int64) if return_counts else np.zeros((0,), np.int64)
    return vals.astype(a.dtype), inv, counts


def unique2(a, sorted_, return_inverse, return_counts):
    return _unique_flat(a, return_inverse, return_counts)


def unique_dim(a, dim, sorted_, return_inverse, return_counts):
    d = dim % max(a.ndim, 1)
    if a.ndim == 0:
        raise IndexError("Dimension out of range")
    moved = np.moveaxis(a, d, 0)
    n = moved.shape[0]
    rows = moved.reshape(n, int(np.prod(moved.shape[1:], dtype=np.int64)))
    if n == 0:
        vals, inv, counts = rows, np.zeros((0,), np.int64), np.zeros((0,), np.int64)
    else:
        # Sort rows lexicographically (first column most significant), then keep the first of equal runs.
        order = np.lexsort(rows.T[::-1]) if rows.shape[1] else np.zeros(n, np.int64)
        srt = rows[order]
        new = np.ones(n, bool)
        if n > 1:
            new[1:] = np.any(srt[1:] != srt[:-1], axis=1) if rows.shape[1] else False
        group = np.cumsum(new) - 1
        vals = srt[new]
        inv = np.empty(n, np.int64)
        inv[order] = group
        counts = np.bincount(group).astype(np.int64)
    out = np.moveaxis(vals.reshape((vals.shape[0],) + moved.shape[1:]), 0, d)
    # ATen's dim variants fill inverse and counts whether asked or not (measured).
    return np.ascontiguousarray(out), inv, counts


def unique_dim_consecutive(a, dim, return_inverse, return_counts):
    if a.ndim == 0:
        raise IndexError("Dimension out of range")
    d = dim % a.ndim
    moved = np.moveaxis(a, d, 0)
    n = moved.shape[0]
    rows = moved.reshape(n, int(np.prod(moved.shape[1:], dtype=np.int64)))
    new = np.ones(n, bool)
    if n > 1:
        new[1:] = np.any(rows[1:] != rows[:-1], axis=1) if rows.shape[1] else False
    group = np.cumsum(new) - 1
    vals = rows[new]
    counts = np.bincount(group, minlength=int(new.sum())).astype(np.int64) if n else np.zeros((0,), np.int64)
    out = np.moveaxis(vals.reshape((vals.shape[0],) + moved.shape[1:]), 0, d)
    return np.ascontiguousarray(out), group.astype(np.int64), counts


def searchsorted(seq, vals, out_int32, right, side, sorter):
    if side is not None:
        right = side == "right"
    side = "right" if right else "left"
    scalar = np.ndim(vals) == 0
    v = np.asarray(vals)
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter, -1)
    if seq.ndim <= 1:
        out = _bound(seq.reshape(1, -1), v.reshape(1, -1), right).reshape(v.shape)
    else:
        lead = seq.shape[:-1]
        s2 = seq.reshape(int(np.prod(lead, dtype=np.int64)), seq.shape[-1])
        v2 = v.reshape(s2.shape[0], v.shape[-1])
        out = _bound(s2, v2, right).reshape(lead + v.shape[-1:])
    out = np.asarray(out, np.int32 if out_int32 else np.int64)
    return out.reshape(()) if scalar else out


def _bound(seq, vals, right):
    """PyTorch's binary search, row by row (seq: (R, n), vals: (R, m)), vectorised over the
    values: it moves right while `!(mid >= v)` (lower bound) or `!(mid > v)` (upper), so a
    NaN value lands past the end and a NaN in the sequence reads as smaller than anything
    (NumPy's searchsorted orders NaN last instead)."""
    n = seq.shape[1]
    start = np.zeros(vals.shape, np.int64)
    end = np.full(vals.shape, n, np.int64)
    rows = np.arange(seq.shape[0])[:, None]
    while True:
        active = start < end
        if not active.any():
            return start
        mid = start + ((end - start) >> 1)
        mid_val = seq[rows, np.minimum(mid, max(n - 1, 0))]
        go_right = ~(mid_val > vals) if right else ~(mid_val >= vals)
        start = np.where(active & go_right, mid + 1, start)
        end = np.where(active & ~go_right, mid, end)


def _mode_1d(v):
    """Most frequent value (the smallest among equally frequent ones) and its last index."""
    if v.size == 0:
        return v.dtype.type(0), 0
    vals, counts = np.unique(v, return_counts=True)
    best = vals[np.argmax(counts)]
    return best, int(np.nonzero(v == best)[0][-1])


def mode(a, dim, keepdim):
    if a.ndim == 0:
        return a.copy(), np.zeros((), np.int64)
    d = dim % a.ndim
    x = np.moveaxis(a, d, -1)
    flat = x.reshape(-1, x.shape[-1])
    vals = np.empty(flat.shape[0], a.dtype)
    idx = np.empty(flat.shape[0], np.int64)
    for r in range(flat.shape[0]):
        vals[r], idx[r] = _mode_1d(flat[r])
    vals, idx = vals.reshape(x.shape[:-1]), idx.reshape(x.shape[:-1])
    if keepdim:
        vals, idx = np.expand_dims(vals, d), np.expand_dims(idx, d)
    return vals, idx
