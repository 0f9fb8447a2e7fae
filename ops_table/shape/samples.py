"""Sample generators for the stacking, tiling and broadcasting ops of ops_table/shape/entries.py."""
from hypothesis import strategies as st


def _spread(items):
    from tests.parity.custom_samples import Spread  # late: custom_samples imports this module first
    return Spread(items)


def _t(draw, ctx, shape, dtype=None, low=None, high=None):
    from tests.parity.strategies import tensor_recipe
    from ops_table.samples import tensor
    return draw(tensor_recipe(tensor(shape=shape, dtype=dtype, low=low, high=high), ctx))


def cov_expand_shape(draw, ctx, done):
    t = done[0]
    lead = tuple(draw(st.integers(0, 3)) for _ in range(draw(st.integers(0, 2))))
    body = tuple((draw(st.integers(0, 3)) if s == 1 else s) if draw(st.booleans()) else
                 (-1 if draw(st.booleans()) else s) for s in t.shape)
    return lead + body


def cov_bcast_tensors(draw, ctx, done):
    base = tuple(draw(st.integers(1, 3)) for _ in range(draw(st.integers(0, 3))))
    n = draw(st.integers(1, 4))
    out = []
    for _ in range(n):
        drop = draw(st.integers(0, len(base)))
        out.append(_t(draw, ctx, tuple(1 if draw(st.booleans()) else s for s in base[drop:])))
    return _spread(out)


def cov_meshgrid(draw, ctx, done):
    n = draw(st.integers(1, 3))
    ts = [_t(draw, ctx, tuple(draw(st.integers(0, 3)) for _ in range(draw(st.integers(0, 1))))) for _ in range(n)]
    return _spread(ts)


def cov_stack_list(draw, ctx, done):
    nd = draw(st.integers(0, 3))
    shape = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    out = []
    for _ in range(draw(st.integers(1, 3))):
        s = list(shape)
        if nd:
            # the concatenated dim (0 for 1-D/2-D vstack, 1 for hstack...) may differ; keep it simple: same shape
            pass
        out.append(_t(draw, ctx, tuple(s)))
    return out


def cov_column_list(draw, ctx, done):
    rows = draw(st.integers(1, 3))
    out = []
    for _ in range(draw(st.integers(1, 3))):
        nd = draw(st.integers(1, 2))
        out.append(_t(draw, ctx, (rows,) if nd == 1 else (rows, draw(st.integers(1, 3)))))
    return out


def cov_diff_args(draw, ctx, done):
    x = done[0]
    n = draw(st.integers(0, 3))
    dim = draw(st.integers(-x.ndim, x.ndim - 1))
    extra = []
    for _ in range(2):
        if draw(st.booleans()):
            shape = list(x.shape)
            shape[dim] = draw(st.integers(0, 2))
            extra.append(_t(draw, ctx, tuple(shape)))
        else:
            extra.append(None)
    return _spread([n, dim] + extra)
