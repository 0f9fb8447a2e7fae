"""Sample generators for reductions and scans."""
import numpy as np
from hypothesis import strategies as st
from ops_table.common.samples import reduce_dims


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


def minmax_rest(draw, ctx, done):
    x = done[0]
    k = draw(st.integers(0, 2))
    if k == 0:
        return _spread([])
    if k == 1:
        return _spread([_dim(draw, x.ndim), draw(st.booleans())])
    shape = tuple(1 if draw(st.booleans()) else s for s in x.shape)
    return _spread([_t(draw, ctx, shape)])


def opt_dim_args(draw, ctx, done):
    x = done[0]
    if draw(st.booleans()):
        return _spread([])
    return _spread([_dim(draw, x.ndim), draw(st.booleans())])


def opt_dim(draw, ctx, done):
    return None if draw(st.booleans()) else _dim(draw, done[0].ndim)


def opt_dim_nonempty(draw, ctx, done):
    return opt_dim(draw, ctx, done)


def reduce_dims_nonempty(draw, ctx, done):
    return reduce_dims(draw, ctx, done)


def with_nans(draw, ctx, done):
    a = _t(draw, ctx, ctx["shape"])
    if a.buf.dtype.kind == "f" and a.buf.size:
        rng = np.random.default_rng(draw(st.integers(0, 2 ** 16)))
        a.buf[rng.random(a.buf.shape) < 0.3] = np.nan
    return a


def with_nan_single(draw, ctx, done):
    """At most one NaN, never alone in a slice (PyTorch's grad of an all-NaN nanmean slice is NaN)."""
    a = _t(draw, ctx, ctx["shape"])
    if a.buf.dtype.kind == "f" and a.buf.ndim and min(a.buf.shape) >= 2 and draw(st.booleans()):
        a.buf[tuple(0 for _ in a.buf.shape)] = np.nan
    return a


def reduce_dims_some(draw, ctx, done):
    n = done[0].ndim
    if n == 0:
        return draw(st.sampled_from([(0,), (-1,)]))
    chosen = draw(st.lists(st.integers(0, n - 1), unique=True, min_size=1, max_size=n))
    return tuple(d - n if draw(st.booleans()) else d for d in chosen)


def searchsorted_args(draw, ctx, done):
    lead = _shape(draw, 0, 2, 1, 3)
    m = draw(st.integers(0, 5))
    seq = _t(draw, ctx, lead + (m,), low=-3, high=3)
    seq.buf = np.sort(seq.buf, axis=-1 if seq.layout != "t" else 0)
    if seq.layout == "step":
        seq.buf = np.sort(seq.buf, axis=-1)
    one_d = draw(st.booleans())
    vals = _t(draw, ctx, (lead if not one_d else ()) + (draw(st.integers(0, 4)),), low=-3, high=3)
    if one_d:
        seq = _t(draw, ctx, (m,), low=-3, high=3)
        seq.buf = np.sort(seq.buf)
        seq.layout = "contig"
    if draw(st.booleans()):
        vals.buf = np.asarray(np.round(vals.buf))
        seq.buf = np.round(seq.buf) if seq.buf.dtype.kind == "f" else seq.buf
        seq.buf = np.sort(seq.buf, axis=-1) if seq.layout == "contig" else seq.buf
    return _spread([seq, vals])


def unique_consec_args(draw, ctx, done):
    x = done[0]
    return _spread([draw(st.booleans()), draw(st.booleans()),
                    None if draw(st.booleans()) or x.ndim == 0 else _dim(draw, x.ndim)])


def linalg_norm_args(draw, ctx, done):
    x = done[0]
    if x.ndim == 2 and draw(st.booleans()):
        return _spread([draw(st.sampled_from([None, "fro", 1, float("inf")])), None, draw(st.booleans())])
    if x.ndim >= 1 and draw(st.booleans()):
        return _spread([draw(st.sampled_from([None, 2, 1, float("inf"), 0.5])), _dim(draw, x.ndim),
                        draw(st.booleans())])
    return _spread([None, None, draw(st.booleans())])
