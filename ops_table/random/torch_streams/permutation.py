"""randperm: PyTorch's two Fisher-Yates shuffles (swap and inside-out),
vectorised so that no Python loop runs per element."""

import operator

import numpy as np

from . import bits as B
from . import layout as L

_RANDPERM_SMALL = (2 ** 32 - 1) // 20


def _pointer_jump(parent):
    """Roots of a forest given as parent pointers (roots point to
    themselves), by repeated squaring."""
    while True:
        nxt = parent[parent]
        if np.array_equal(nxt, parent):
            return parent
        parent = nxt


def _group_by_value(vals, n):
    """Sort step indices 0..len-1 by (vals, index).

    Returns (sorted values, step indices in that order). Sorting the packed
    keys val*n + index is several times faster than a stable argsort."""
    m = vals.size
    idx = np.arange(m, dtype=np.int64)
    if n * n < 2 ** 62:
        keys = vals * n
        keys += idx
        keys.sort()
        vs = keys // n
        order = keys - vs * n
        return vs, order
    order = np.argsort(vals, kind="stable")
    return vals[order], order


def _latest_per_group(vs, order):
    """For each group of equal values (in sorted order): the value, the
    position of its last member and that member's step index."""
    last = np.ones(vs.size, np.bool_)
    last[:-1] = vs[1:] != vs[:-1]
    pos = np.flatnonzero(last)
    return vs[pos], pos, order[pos]


def _previous_same(vs, order, size):
    """prev[k]: the latest step before k with the same value, or -1."""
    prev = np.full(size, -1, np.int64)
    same = vs[1:] == vs[:-1]
    prev[order[1:][same]] = order[:-1][same]
    return prev


def _randperm_swap(z):
    """Result of ``for i < n-1: swap(a[i], a[i + z[i]])`` on a = 0..n-1.

    Position i is final after step i and receives what position i+z[i]
    holds then; what a position holds is the value carried there by the
    latest earlier step targeting it. Resolving those references with a
    sort and pointer jumping gives the permutation without a Python loop.
    """
    n = z.size + 1
    if n == 1:
        return np.zeros(1, np.int64)
    j = np.arange(n - 1, dtype=np.int64)
    j += z                                        # target of step i
    js, order = _group_by_value(j, n)
    prev = _previous_same(js, order, n - 1)
    # parent[v]: latest step k < v that targeted position v; the value at
    # position v when step v runs is c[v] = c[parent[v]] (or v itself)
    val, pos, k = _latest_per_group(js, order)
    self_hit = k == val                           # step v targeted itself
    before = np.maximum(pos - 1, 0)
    alt = np.where((pos > 0) & (js[before] == val), order[before], -1)
    k = np.where(self_hit, alt, k)
    parent = np.arange(n, dtype=np.int64)
    ok = k >= 0
    parent[val[ok]] = k[ok]
    c = _pointer_jump(parent)
    res = np.empty(n, np.int64)
    has_prev = prev >= 0
    res[:n - 1] = j
    res[:n - 1][has_prev] = c[prev[has_prev]]
    res[n - 1] = c[n - 1]
    return res


def _randperm_inside_out(z):
    """Result of ``for i: a[i] = a[z[i]]; a[z[i]] = i`` (z[i] <= i).

    a[p] ends as the latest step i > p with z[i] == p, if any; otherwise as
    w(p), the value step p wrote: p itself when z[p] == p, else what
    position z[p] held then -- the latest step in (z[p], p) that targeted
    z[p], or failing that w(z[p])."""
    n = z.size
    v = np.arange(n, dtype=np.int64)
    zs, order = _group_by_value(z, n)
    prev = _previous_same(zs, order, n)
    val, pos, k = _latest_per_group(zs, order)
    final = np.full(n, -1, np.int64)
    later = k > val
    final[val[later]] = k[later]
    selfz = z == v
    use_prev = (~selfz) & (prev > z)
    direct = np.full(n, -1, np.int64)
    direct[use_prev] = prev[use_prev]
    direct[selfz] = v[selfz]
    w_parent = np.where(direct >= 0, v, z)
    w = direct[_pointer_jump(w_parent)]
    return np.where(final >= 0, final, w)


def randperm(gen, n, dtype=np.int64):
    """``torch.randperm(n)``: for n < (2**32-1)/20 the swap shuffle with
    ``random() % (n - i)``; above, the inside-out shuffle with
    ``random64() % (i + 1)``."""
    n = operator.index(n)
    if n < 0:
        raise RuntimeError("Trying to create tensor with negative dimension "
                           "%d: [%d]" % (n, n))
    dtype = np.dtype(dtype)
    kind = dtype.name
    top = n - 1 if n > 0 else n
    if kind in L.INT_LIMITS and kind != "bool":
        lo, hi = L.INT_LIMITS[kind]
        if top > hi:
            raise RuntimeError("value cannot be converted to type %s without "
                               "overflow" % _CTYPE.get(kind, kind))
    if kind == "float16" and n > (1 << 11) + 1:
        raise RuntimeError("n cannot be greater than 2049 for Half type.")
    if kind == "float32" and n > (1 << 24) + 1:
        raise RuntimeError("n cannot be greater than 2^24+1 for Float type.")
    if kind == "float64" and n > (1 << 53) + 1:
        raise RuntimeError("n cannot be greater than 2^53+1 for Double type.")
    g = B.stream(gen)
    if n == 0:
        return np.empty(0, dtype)
    with g.lock:
        if n < _RANDPERM_SMALL:
            if n == 1:
                return np.zeros(1, dtype)
            r = g.random32(n - 1).astype(np.int64)
            z = r % np.arange(n, 1, -1, dtype=np.int64)
            res = _randperm_swap(z)
        else:
            r = g.random64(n)
            z = (r % np.arange(1, n + 1, dtype=np.uint64)).astype(np.int64)
            res = _randperm_inside_out(z)
    return res.astype(dtype)


_CTYPE = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t",
          "int32": "int32_t", "int64": "int64_t", "uint16": "uint16_t",
          "uint32": "uint32_t", "uint64": "uint64_t"}
