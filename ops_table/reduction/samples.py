"""Sample generators for reductions, scans, sorting and linear algebra (see custom_samples.py)."""
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


def reduce_dims(draw, ctx, done):
    n = done[0].ndim
    if n == 0:
        return draw(st.sampled_from([(), (0,), (-1,)]))
    chosen = draw(st.lists(st.integers(0, n - 1), unique=True, min_size=0, max_size=n))
    return tuple(d - n if draw(st.booleans()) else d for d in chosen)


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


def unique_consec_args(draw, ctx, done):
    x = done[0]
    return _spread([draw(st.booleans()), draw(st.booleans()),
                    None if draw(st.booleans()) or x.ndim == 0 else _dim(draw, x.ndim)])


# ---- linear algebra ----------------------------------------------------------------------------

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


def linalg_norm_args(draw, ctx, done):
    x = done[0]
    if x.ndim == 2 and draw(st.booleans()):
        return _spread([draw(st.sampled_from([None, "fro", 1, float("inf")])), None, draw(st.booleans())])
    if x.ndim >= 1 and draw(st.booleans()):
        return _spread([draw(st.sampled_from([None, 2, 1, float("inf"), 0.5])), _dim(draw, x.ndim),
                        draw(st.booleans())])
    return _spread([None, None, draw(st.booleans())])


def cdist_pair(draw, ctx, done):
    batch = _shape(draw, 0, 1, 1, 2)
    d = draw(st.integers(1, 3))
    return _spread([_t(draw, ctx, batch + (draw(st.integers(1, 4)), d)),
                    _t(draw, ctx, batch + (draw(st.integers(1, 4)), d))])
