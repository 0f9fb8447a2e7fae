"""Sample generators for ops_table/entries/coverage.py (see custom_samples.py)."""
import numpy as np
from hypothesis import strategies as st


def _spread(items):
    from tests.parity.custom_samples import Spread  # late: custom_samples imports this module first
    return Spread(items)


def _t(draw, ctx, shape, dtype=None, low=None, high=None):
    from tests.parity.strategies import tensor_recipe
    from ops_table.samples import tensor
    return draw(tensor_recipe(tensor(shape=shape, dtype=dtype, low=low, high=high), ctx))


def _arr(values, dtype):
    from tests.parity.strategies import Arr
    return Arr(np.ascontiguousarray(values.astype(dtype)), "contig", dtype)


def _rng(draw):
    return np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))


def _batch(draw):
    return tuple(draw(st.integers(1, 2)) for _ in range(draw(st.integers(0, 1))))


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


def _well_conditioned(draw, ctx, shape):
    rng = _rng(draw)
    n = shape[-1]
    a = rng.uniform(-1, 1, size=shape) + n * np.eye(n) if n else np.zeros(shape)
    return a


def cov_square(draw, ctx, done):
    n = draw(st.integers(0, 4))
    return _arr(_well_conditioned(draw, ctx, _batch(draw) + (n, n)), ctx["dtype"])


def cov_spd(draw, ctx, done):
    n = draw(st.integers(0, 4))
    rng = _rng(draw)
    b = rng.uniform(-1, 1, size=_batch(draw) + (n, n))
    # eigenvalues kept apart so eigenvector signs and the eigh backward are well defined
    d = np.arange(1, n + 1) * 1.5
    q = np.linalg.qr(b)[0] if n else b
    a = q @ (d[..., None] * np.swapaxes(q, -1, -2)) if n else b
    return _arr((a + np.swapaxes(a, -1, -2)) / 2, ctx["dtype"])


def cov_solve(draw, ctx, done):
    n = draw(st.integers(1, 4))
    batch = _batch(draw)
    A = _arr(_well_conditioned(draw, ctx, batch + (n, n)), ctx["dtype"])
    kind = draw(st.sampled_from(["mat", "vec", "bvec"] if batch else ["mat", "vec"]))
    k = draw(st.integers(1, 3))
    shape = {"mat": batch + (n, k), "vec": (n,), "bvec": batch + (n,)}[kind]
    return _spread([A, _t(draw, ctx, shape)])


def cov_tall(draw, ctx, done):
    n = draw(st.integers(1, 3))
    m = draw(st.integers(n, 4))
    rng = _rng(draw)
    a = rng.uniform(-1, 1, size=_batch(draw) + (m, n)) + np.eye(m, n) * 2
    return _arr(a, ctx["dtype"])


def cov_chain(draw, ctx, done):
    k = draw(st.integers(2, 4))
    dims = [draw(st.integers(1, 3)) for _ in range(k + 1)]
    ts = [_t(draw, ctx, (dims[i], dims[i + 1])) for i in range(k)]
    if draw(st.booleans()):
        ts[0] = _t(draw, ctx, (dims[1],))
    if draw(st.booleans()):
        ts[-1] = _t(draw, ctx, (dims[-2],))
    return ts


def cov_diag_sym(draw, ctx, done):
    n = draw(st.integers(0, 4))
    d = np.array(draw(st.permutations([1.5 * k - 2 for k in range(n)])), dtype=np.float64)
    return _arr(np.broadcast_to(np.diag(d) if n else np.zeros((0, 0)), _batch(draw) + (n, n)).copy(), ctx["dtype"])
