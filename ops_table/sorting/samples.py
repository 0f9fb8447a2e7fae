"""Sample generators for sorting, selection, unique and searching."""
import numpy as np
from hypothesis import strategies as st


def _spread(items):
    from tests.parity.custom_samples import Spread  # imported late: custom_samples imports this module first
    return Spread(items)


def _t(draw, ctx, shape, dtype=None, low=None, high=None, unique=False):
    from tests.parity.strategies import tensor_recipe
    from ops_table.samples import tensor
    return draw(tensor_recipe(tensor(shape=shape, dtype=dtype, low=low, high=high, unique=unique), ctx))


def _dim(draw, n):
    return draw(st.integers(-max(n, 1), max(n, 1) - 1))


def _shape(draw, lo=0, hi=3, min_size=0, max_size=4):
    return tuple(draw(st.integers(min_size, max_size)) for _ in range(draw(st.integers(lo, hi))))


def sort_args(draw, ctx, done):
    n = done[0].ndim
    return _spread([_dim(draw, n), draw(st.booleans())])


def topk_args(draw, ctx, done):
    x = done[0]
    d = _dim(draw, x.ndim)
    size = x.shape[d] if x.ndim else 1
    return _spread([draw(st.integers(0, size)), d, draw(st.booleans()), True])


def kth_args(draw, ctx, done):
    x = done[0]
    d = _dim(draw, x.ndim)
    size = x.shape[d] if x.ndim else 1
    return _spread([draw(st.integers(1, max(size, 1))), d, draw(st.booleans())])


def _sorted_last(a):
    """Make a drawn tensor sorted along its last dim as seen through its layout."""
    vals = np.sort(a.values, axis=-1)
    a.buf, a.layout = np.ascontiguousarray(vals), "contig"
    return a


def searchsorted_pair(draw, ctx, done):
    lead = _shape(draw, 0, 2, 1, 3)
    m = draw(st.integers(0, 5))
    one_d = draw(st.booleans())
    seq = _sorted_last(_t(draw, ctx, (m,) if one_d else lead + (m,), low=-3, high=3))
    vals = _t(draw, ctx, (lead if not one_d else _shape(draw, 0, 2)) + (draw(st.integers(0, 4)),), low=-3, high=3)
    if draw(st.booleans()):
        seq.buf = np.sort(np.round(seq.buf), axis=-1)
        vals.buf = np.asarray(np.round(vals.buf))
    return _spread([seq, vals])


def bucketize_pair(draw, ctx, done):
    x = _t(draw, ctx, _shape(draw), low=-3, high=3)
    b = _sorted_last(_t(draw, ctx, (draw(st.integers(0, 5)),), low=-3, high=3))
    if draw(st.booleans()):
        x.buf = np.asarray(np.round(x.buf))
        b.buf = np.sort(np.round(b.buf))
    return _spread([x, b])


def unique_flags(draw, ctx, done):
    return _spread([draw(st.booleans()), draw(st.booleans()), draw(st.booleans())])


def unique_dim_args(draw, ctx, done):
    x = done[0]
    return _spread([_dim(draw, x.ndim), True, draw(st.booleans()), draw(st.booleans())])


def unique_consec_dim_args(draw, ctx, done):
    return _spread([_dim(draw, done[0].ndim), draw(st.booleans()), draw(st.booleans())])
