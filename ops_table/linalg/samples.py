"""Sample generators for ops_table/entries/linalg.py's SVD (see custom_samples.py)."""
import numpy as np
from hypothesis import strategies as st


def svd_permuted_diagonal(draw, ctx, done):
    """A (batch of) m x n matrix with k = min(m, n) entries of distinct magnitude and random sign,
    one per row and column. Singular vectors are unique only up to sign and LAPACK builds choose
    signs differently for general matrices; for these every build (MKL, OpenBLAS) returns the
    same signed unit vectors, so the factors can be compared as values."""
    from tests.parity.strategies import Arr
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    k = min(m, n)
    batch = tuple(draw(st.integers(1, 2)) for _ in range(draw(st.integers(0, 1))))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    a = np.zeros(batch + (m, n))
    for idx in np.ndindex(*batch):
        d = rng.permutation(np.arange(1, k + 1) * 1.5) * rng.choice([-1.0, 1.0], k)
        a[idx + (rng.permutation(m)[:k], rng.permutation(n)[:k])] = d
    return Arr(np.ascontiguousarray(a.astype(ctx["dtype"])), "contig", ctx["dtype"])


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
