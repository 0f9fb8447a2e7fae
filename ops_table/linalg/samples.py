"""Sample generators for linear algebra: products, factorizations and solvers."""
import numpy as np
from hypothesis import strategies as st
from ops_table.common.samples import reduce_dims


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


def _shape(draw, lo=0, hi=3, min_size=0, max_size=4):
    return tuple(draw(st.integers(min_size, max_size)) for _ in range(draw(st.integers(lo, hi))))


def matmul_pair(draw, ctx, done):
    n, k, m = draw(st.integers(0, 4)), draw(st.integers(0, 4)), draw(st.integers(0, 4))
    kind = draw(st.integers(0, 5))
    batch = _shape(draw, 0, 2, 0, 3)
    b2 = tuple(1 if draw(st.booleans()) else s for s in batch)[draw(st.integers(0, len(batch))):]
    shapes = [((k,), (k,)), ((n, k), (k,)), ((k,), (k, m)), ((n, k), (k, m)),
              (batch + (n, k), b2 + (k, m)), (batch + (n, k), (k,))][kind]
    if kind == 4 and draw(st.booleans()):
        shapes = (shapes[1], shapes[0][:-2] + (k, m)) if False else (b2 + (n, k), batch + (k, m))
    return _spread([_t(draw, ctx, shapes[0]), _t(draw, ctx, shapes[1])])


def mm_pair(draw, ctx, done):
    n, k, m = (draw(st.integers(0, 4)) for _ in range(3))
    return _spread([_t(draw, ctx, (n, k)), _t(draw, ctx, (k, m))])


def bmm_pair(draw, ctx, done):
    b, n, k, m = (draw(st.integers(0, 4)) for _ in range(4))
    return _spread([_t(draw, ctx, (b, n, k)), _t(draw, ctx, (b, k, m))])


def mv_pair(draw, ctx, done):
    n, k = draw(st.integers(0, 4)), draw(st.integers(0, 4))
    return _spread([_t(draw, ctx, (n, k)), _t(draw, ctx, (k,))])


def vec_pair(draw, ctx, done):
    k = draw(st.integers(0, 5))
    return _spread([_t(draw, ctx, (k,)), _t(draw, ctx, (k,))])


def outer_pair(draw, ctx, done):
    return _spread([_t(draw, ctx, (draw(st.integers(0, 4)),)), _t(draw, ctx, (draw(st.integers(0, 4)),))])


def inner_pair(draw, ctx, done):
    k = draw(st.integers(0, 4))
    a = _shape(draw, 0, 2) + (k,)
    b = _shape(draw, 0, 2) + (k,)
    if draw(st.integers(0, 4)) == 0:
        return _spread([_t(draw, ctx, ()), _t(draw, ctx, b)])
    return _spread([_t(draw, ctx, a), _t(draw, ctx, b)])


def addmm_args(draw, ctx, done):
    n, k, m = (draw(st.integers(0, 4)) for _ in range(3))
    bias = draw(st.sampled_from([(n, m), (m,), (1, m), (), (n, 1)]))
    return _spread([_t(draw, ctx, bias), _t(draw, ctx, (n, k)), _t(draw, ctx, (k, m))])


def addmv_args(draw, ctx, done):
    n, k = draw(st.integers(0, 4)), draw(st.integers(0, 4))
    # A 0-d bias beside an empty matrix breaks PyTorch's own backward; not drawn.
    bias = draw(st.sampled_from([(n,), ()])) if n * k else (n,)
    return _spread([_t(draw, ctx, bias), _t(draw, ctx, (n, k)), _t(draw, ctx, (k,))])


def addbmm_args(draw, ctx, done):
    b, n, k, m = (draw(st.integers(0, 3)) for _ in range(4))
    bias = draw(st.sampled_from([(n, m), (m,), ()]))
    return _spread([_t(draw, ctx, bias), _t(draw, ctx, (b, n, k)), _t(draw, ctx, (b, k, m))])


def baddbmm_args(draw, ctx, done):
    b, n, k, m = (draw(st.integers(0, 3)) for _ in range(4))
    bias = draw(st.sampled_from([(b, n, m), (n, m), (m,), ()]))
    return _spread([_t(draw, ctx, bias), _t(draw, ctx, (b, n, k)), _t(draw, ctx, (b, k, m))])


_EINSUMS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 2)]), ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    ("i,i->", [(3,), (3,)]), ("i,j->ij", [(3,), (2,)]), ("ii->i", [(3, 3)]), ("ii", [(3, 3)]),
    ("ij->ji", [(2, 3)]), ("ij->", [(2, 3)]), ("...ij,...jk->...ik", [(2, 1, 2, 3), (3, 3, 2)]),
    ("bn,anm,bm->ba", [(2, 3), (4, 3, 2), (2, 2)]), ("i,i,i->i", [(3,), (3,), (3,)]),
    ("ab...,b->a...", [(2, 3, 4), (3,)]), ("iij->j", [(2, 2, 3)]), ("ijk,kl->ijl", [(0, 2, 3), (3, 2)]),
    ("i j , j k -> i k", [(2, 3), (3, 2)]), ("ij,ij->ij", [(2, 3), (2, 1)]), ("...", [(2, 3)]),
]


def einsum_args(draw, ctx, done):
    eq, shapes = draw(st.sampled_from(_EINSUMS))
    return _spread([eq, [_t(draw, ctx, s) for s in shapes]])


def tensordot_args(draw, ctx, done):
    k = draw(st.integers(0, 2))
    contracted = tuple(draw(st.integers(1, 3)) for _ in range(k))
    a = _shape(draw, 0, 2, 0, 3) + contracted
    b = contracted + _shape(draw, 0, 2, 0, 3)
    if draw(st.booleans()):
        return _spread([_t(draw, ctx, a), _t(draw, ctx, b), k])
    da = list(range(len(a) - k, len(a)))
    db = list(range(k))
    return _spread([_t(draw, ctx, a), _t(draw, ctx, b), [da, db]])


def _contig(a):
    # torch.kron itself fails on some non-contiguous inputs (a view error inside PyTorch).
    a.buf, a.layout = np.ascontiguousarray(a.values), "contig"
    return a


def kron_pair(draw, ctx, done):
    return _spread([_contig(_t(draw, ctx, _shape(draw, 0, 3, 0, 3))), _contig(_t(draw, ctx, _shape(draw, 0, 3, 0, 3)))])


def cross_pair(draw, ctx, done):
    lead = _shape(draw, 0, 2, 1, 3)
    pos = draw(st.integers(0, len(lead)))
    shape = lead[:pos] + (3,) + lead[pos:]
    other = tuple(1 if draw(st.booleans()) and i != pos else s for i, s in enumerate(shape))
    return _spread([_t(draw, ctx, shape), _t(draw, ctx, other), pos - len(shape) if draw(st.booleans()) else pos])


def diag_embed_args(draw, ctx, done):
    x = done[0]
    n = x.ndim + 1
    d1 = draw(st.integers(-n, n - 1))
    d2 = draw(st.integers(-n, n - 1).filter(lambda v: v % n != d1 % n))
    return _spread([draw(st.integers(-2, 2)), d1, d2])


def vector_norm_args(draw, ctx, done):
    n = done[0].ndim
    ord_ = draw(st.sampled_from([2, 1, 3, 0.5, float("inf"), -float("inf"), 0, -1]))
    return _spread([ord_, reduce_dims(draw, ctx, done) if draw(st.booleans()) else None, draw(st.booleans())])


def matrix_norm_args(draw, ctx, done):
    ord_ = draw(st.sampled_from(["fro", 1, -1, float("inf"), -float("inf")]))
    return _spread([ord_, (-2, -1) if draw(st.booleans()) else (0, -1), draw(st.booleans())])


def cdist_pair(draw, ctx, done):
    batch = _shape(draw, 0, 1, 1, 2)
    d = draw(st.integers(1, 3))
    return _spread([_t(draw, ctx, batch + (draw(st.integers(1, 4)), d)),
                    _t(draw, ctx, batch + (draw(st.integers(1, 4)), d))])
