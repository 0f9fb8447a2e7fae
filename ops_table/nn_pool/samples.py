"""Coupled sample arguments for pooling and im2col/col2im."""
import numpy as np
from hypothesis import strategies as st


def _t(draw, ctx, shape, low=None, high=None):
    from tests.parity.custom_samples import _tensor
    return _tensor(draw, ctx, tuple(shape), low=low, high=high)


def _spread(items):
    from tests.parity.custom_samples import Spread
    return Spread(items)


def _fixed(values, dtype):
    from tests.parity.strategies import Arr
    return Arr(np.array(values, dtype=dtype, order="C"), "contig", dtype)


def flag(draw, ctx, done):
    return draw(st.booleans())


def _pool_params(draw, nd, allow_dil=True):
    k = [draw(st.integers(1, 3)) for _ in range(nd)]
    s = [draw(st.integers(1, 3)) for _ in range(nd)] if draw(st.booleans()) else None
    p = [draw(st.integers(0, kk // 2)) for kk in k]
    d = [draw(st.integers(1, 2)) if allow_dil else 1 for _ in range(nd)]
    sp = [draw(st.integers(max(1, dd * (kk - 1) + 1 - 2 * pp), 5)) for kk, pp, dd in zip(k, p, d)]
    return k, s, p, d, sp


def pool2d_args(draw, ctx, done):
    k, s, p, d, sp = _pool_params(draw, 2)
    lead = [draw(st.integers(0, 2)), draw(st.integers(1, 2))][draw(st.integers(0, 1)):]
    x = _t(draw, ctx, lead + sp, low=-3, high=3)
    return _spread([x, k, s, p, d, draw(st.booleans())])


def pool1d_args(draw, ctx, done):
    k, s, p, d, sp = _pool_params(draw, 1)
    lead = [draw(st.integers(0, 2)), draw(st.integers(1, 2))][draw(st.integers(0, 1)):]
    x = _t(draw, ctx, lead + sp)
    return _spread([x, k, s, p, d, draw(st.booleans())])


def avg_pool2d_args(draw, ctx, done):
    k, s, p, _, sp = _pool_params(draw, 2, False)
    lead = [draw(st.integers(0, 2)), draw(st.integers(1, 2))][draw(st.integers(0, 1)):]
    x = _t(draw, ctx, lead + sp)
    return _spread([x, k, s, p, draw(st.booleans()), draw(st.booleans()), draw(st.sampled_from([None, None, 3]))])


def avg_pool1d_args(draw, ctx, done):
    k, s, p, _, sp = _pool_params(draw, 1, False)
    lead = [draw(st.integers(0, 2)), draw(st.integers(1, 2))][draw(st.integers(0, 1)):]
    x = _t(draw, ctx, lead + sp)
    return _spread([x, k, s, p, draw(st.booleans()), draw(st.booleans())])


def adaptive_size2(draw, ctx, done):
    return draw(st.sampled_from([(1, 1), (2, 3), 2, (None, 2), (3, 1), (5, 4)]))


def adaptive_size1(draw, ctx, done):
    return draw(st.sampled_from([1, 2, 3, 5, (2,)]))


def pool_backward_args(draw, ctx, done):
    import numpy as np
    k, s, p, d, sp = _pool_params(draw, 2)
    from ops_table.nn_pool.host import pool_out_size
    ceil = draw(st.booleans())
    st_ = s or k
    o = [pool_out_size(sp[i], k[i], st_[i], p[i], d[i], ceil) for i in range(2)]
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    x = _t(draw, ctx, [n, c] + sp)
    g = _t(draw, ctx, [n, c] + o)
    from tests.parity.strategies import Arr
    rng = np.random.default_rng(draw(st.integers(0, 1000)))
    idx = Arr(rng.integers(0, sp[0] * sp[1], size=(n, c) + tuple(o)).astype(np.int64), "contig", "int64")
    return _spread([g, x, k, st_, p, d, ceil, idx])


def adaptive_pool_backward_args(draw, ctx, done):
    import numpy as np
    from tests.parity.strategies import Arr
    sp = [draw(st.integers(1, 4)) for _ in range(2)]
    o = [draw(st.integers(1, 3)) for _ in range(2)]
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    x = _t(draw, ctx, [n, c] + sp)
    g = _t(draw, ctx, [n, c] + o)
    rng = np.random.default_rng(draw(st.integers(0, 1000)))
    idx = Arr(rng.integers(0, sp[0] * sp[1], size=(n, c) + tuple(o)).astype(np.int64), "contig", "int64")
    return _spread([g, x, idx])


def lp_args2(draw, ctx, done):
    return _spread([draw(st.sampled_from([1.0, 2.0, 3.0])), draw(st.sampled_from([2, (2, 3), 1])),
                    draw(st.sampled_from([None, 1, (2, 1)])), draw(st.booleans())])


def lp_args1(draw, ctx, done):
    return _spread([draw(st.sampled_from([1.0, 2.0])), draw(st.sampled_from([2, 3])),
                    draw(st.sampled_from([None, 1, 2])), draw(st.booleans())])


def im2col_args(draw, ctx, done):
    k = [draw(st.integers(1, 3)) for _ in range(2)]
    d = [draw(st.integers(1, 2)) for _ in range(2)]
    p = [draw(st.integers(0, 1)) for _ in range(2)]
    s = [draw(st.integers(1, 2)) for _ in range(2)]
    sp = [draw(st.integers(max(1, d[i] * (k[i] - 1) + 1 - 2 * p[i]), 5)) for i in range(2)]
    lead = [draw(st.integers(1, 2)), draw(st.integers(1, 2))][draw(st.integers(0, 1)):]
    return _spread([_t(draw, ctx, lead + sp), k, d, p, s])


def col2im_args(draw, ctx, done):
    k = [draw(st.integers(1, 3)) for _ in range(2)]
    d = [draw(st.integers(1, 2)) for _ in range(2)]
    p = [draw(st.integers(0, 1)) for _ in range(2)]
    s = [draw(st.integers(1, 2)) for _ in range(2)]
    o = [draw(st.integers(max(1, d[i] * (k[i] - 1) + 1 - 2 * p[i]), 5)) for i in range(2)]
    blocks = [(o[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2)]
    c = draw(st.integers(1, 2))
    lead = [draw(st.integers(1, 2))][:draw(st.integers(0, 1))]
    return _spread([_t(draw, ctx, lead + [c * k[0] * k[1], blocks[0] * blocks[1]]), o, k, d, p, s])


def _max_unpool_args(draw, ctx, nd):
    """Distinct indices per (batch, channel) plane, as max_pool produces them (duplicates are unspecified)."""
    lead = (draw(st.integers(1, 2)),) if draw(st.booleans()) else ()
    lead = lead + (draw(st.integers(1, 2)),)
    spatial = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    out = [s * draw(st.integers(1, 2)) for s in spatial]
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    planes, per, total = int(np.prod(lead)), int(np.prod(spatial)), int(np.prod(out))
    idx = np.stack([rng.permutation(total)[:per] for _ in range(planes)]).reshape(lead + spatial)
    extra = [[1] * nd, [0] * nd] if nd == 3 else []
    return _spread([_t(draw, ctx, lead + spatial), _fixed(idx.astype(np.int64), "int64"), out] + extra)


def max_unpool2d_args(draw, ctx, done):
    return _max_unpool_args(draw, ctx, 2)


def max_unpool3d_args(draw, ctx, done):
    return _max_unpool_args(draw, ctx, 3)
