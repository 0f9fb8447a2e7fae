"""Coupled sample generators for the indexing family (ops_table/indexing/entries.py)."""
import numpy as np
from hypothesis import strategies as st


def _cs():
    from tests.parity import custom_samples
    return custom_samples


def _t(draw, ctx, shape, dtype=None, low=None, high=None):
    return _cs()._tensor(draw, ctx, tuple(shape), dtype, low, high)


def _idx(values, dtype="int64"):
    from tests.parity.strategies import Arr
    return Arr(np.ascontiguousarray(np.asarray(values, dtype=dtype)), "contig", dtype)


def _rng(draw):
    return np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))


def _shape(draw, lo=1, hi=3, smin=1):
    return tuple(draw(st.integers(smin, 4)) for _ in range(draw(st.integers(lo, hi))))


def _dim(draw, n):
    d = draw(st.integers(0, n - 1))
    return d, (d - n if draw(st.booleans()) else d)


def ix_index_along(draw, ctx, done, unique=False):
    shape = _shape(draw)
    d, dd = _dim(draw, len(shape))
    n = shape[d]
    rng = _rng(draw)
    m = draw(st.integers(0, n if unique else 4))
    idx = rng.permutation(n)[:m] if unique else rng.integers(0, n, m)
    src_shape = list(shape)
    src_shape[d] = m
    itype = draw(st.sampled_from(["int64", "int32"]))
    return _cs().Spread([_t(draw, ctx, shape), dd, _idx(idx, itype), _t(draw, ctx, src_shape)])


def ix_index_along_unique(draw, ctx, done):
    return ix_index_along(draw, ctx, done, unique=True)


def ix_index_vector(draw, ctx, done):
    shape = _shape(draw, 0, 3, 0)
    if not shape:
        return _cs().Spread([_t(draw, ctx, ()), 0, _idx(0 if draw(st.booleans()) else [0])])
    d, dd = _dim(draw, len(shape))
    n = shape[d]
    m = draw(st.integers(0, 4)) if n else 0
    return _cs().Spread([_t(draw, ctx, shape), dd, _idx(_rng(draw).integers(0, max(n, 1), m),
                                                        draw(st.sampled_from(["int64", "int32"])))])


def ix_index_fill(draw, ctx, done):
    shape = _shape(draw)
    d, dd = _dim(draw, len(shape))
    n = shape[d]
    # non-negative only: torch's own index_fill backward rejects negative indices
    idx = _rng(draw).integers(0, n, draw(st.integers(0, 3)))
    value = _t(draw, ctx, ()) if draw(st.booleans()) else draw(st.sampled_from([1.5, -2, 0]))
    return _cs().Spread([_t(draw, ctx, shape), dd, _idx(idx), value])


def ix_gather(draw, ctx, done):
    shape = _shape(draw)
    d, dd = _dim(draw, len(shape))
    ishape = [draw(st.integers(0, s)) if k != d else draw(st.integers(0, 4)) for k, s in enumerate(shape)]
    idx = _rng(draw).integers(0, shape[d], ishape)
    return _cs().Spread([_t(draw, ctx, shape), dd, _idx(idx)])


def _unique_cols(rng, shape, d, ishape):
    """Index values distinct along `d` for every column, so a plain scatter is deterministic."""
    out = np.zeros(ishape, np.int64)
    moved = np.moveaxis(out, d, -1)
    for pos in np.ndindex(moved.shape[:-1]):
        moved[pos] = rng.permutation(shape[d])[:ishape[d]]
    return out


def ix_scatter(draw, ctx, done, dup=False):
    shape = _shape(draw)
    d, dd = _dim(draw, len(shape))
    rng = _rng(draw)
    ishape = [draw(st.integers(0, s)) if k != d else draw(st.integers(0, s if not dup else 4))
              for k, s in enumerate(shape)]
    idx = rng.integers(0, shape[d], ishape) if dup else _unique_cols(rng, shape, d, ishape)
    if not dup and draw(st.booleans()):
        return _cs().Spread([_t(draw, ctx, shape), dd, _idx(idx), draw(st.sampled_from([2.0, -1, 0]))])
    # torch's scatter backward cannot handle src larger than index: equal shapes
    sshape = list(ishape)
    return _cs().Spread([_t(draw, ctx, shape), dd, _idx(idx), _t(draw, ctx, sshape)])


def ix_scatter_dup(draw, ctx, done):
    return ix_scatter(draw, ctx, done, dup=True)


def ix_scatter_reduce(draw, ctx, done):
    shape = _shape(draw)
    d, dd = _dim(draw, len(shape))
    ishape = [draw(st.integers(0, s)) if k != d else draw(st.integers(0, 4)) for k, s in enumerate(shape)]
    idx = _rng(draw).integers(0, shape[d], ishape)
    reduce = draw(st.sampled_from(["sum", "prod", "mean", "amax", "amin"]))
    hi = 2 if reduce == "prod" else None
    return _cs().Spread([_t(draw, ctx, shape, low=-hi if hi else None, high=hi), dd, _idx(idx),
                         _t(draw, ctx, ishape, low=-hi if hi else None, high=hi), reduce])


def _index_list(draw, shape, rng, allow_bool=True, unique=False):
    nd = len(shape)
    k = draw(st.integers(1, nd))
    slots = [None] * k
    chosen = draw(st.lists(st.integers(0, k - 1), min_size=1, max_size=k, unique=True))
    if allow_bool and not unique and draw(st.integers(0, 3)) == 0:
        p = chosen[0]
        m = min(draw(st.integers(1, 2)), nd - p)
        slots[p] = _idx(rng.random(shape[p:p + m]) < 0.5, "bool")
        return slots[:p + 1]
    if unique:
        m = min(shape[d] for d in chosen)
        bshape = (draw(st.integers(0, m)),)
    else:
        bshape = tuple(draw(st.integers(0, 3)) for _ in range(draw(st.integers(0, 2))))
    for j, d in enumerate(sorted(chosen)):
        n = shape[d]
        if unique and j == 0:
            vals = rng.permutation(n)[:bshape[0]] - (n if draw(st.booleans()) else 0)
        else:
            s = tuple(1 if (not unique and draw(st.booleans())) else b for b in bshape)
            vals = rng.integers(-n, n, s)
        slots[d] = _idx(vals)
    return slots


def ix_advanced_index(draw, ctx, done):
    shape = _shape(draw)
    return _cs().Spread([_t(draw, ctx, shape), _index_list(draw, shape, _rng(draw))])


def ix_index_put(draw, ctx, done):
    from ops_table.indexing.host import index
    shape = _shape(draw)
    rng = _rng(draw)
    # torch.index_put (the Python binding) rejects None entries: a leading run of tensors,
    # the first with distinct values so that accumulate=False is deterministic
    j = draw(st.integers(1, len(shape)))
    m = draw(st.integers(0, min(shape[:j])))
    indices = [_idx(rng.permutation(shape[0])[:m] - (shape[0] if draw(st.booleans()) else 0))]
    indices += [_idx(rng.integers(-n, n, m)) for n in shape[1:j]]
    rshape = index(np.zeros(shape), [i.values for i in indices]).shape
    vshape = rshape[draw(st.integers(0, len(rshape))):]
    return _cs().Spread([_t(draw, ctx, shape), indices, _t(draw, ctx, vshape)])


def ix_fill_value(draw, ctx, done):
    if draw(st.booleans()):
        return _t(draw, ctx, (), low=0, high=3)
    return draw(st.sampled_from([0, 1, 2.5, True]))


def ix_masked_scatter(draw, ctx, done):
    shape = _shape(draw, 0, 3, 0)
    mshape = shape[draw(st.integers(0, len(shape))):]
    extra = draw(st.integers(0, 2))
    return _cs().Spread([_t(draw, ctx, shape), _t(draw, ctx, mshape, dtype="bool"),
                         _t(draw, ctx, (int(np.prod(shape)) + extra,))])


def ix_take(draw, ctx, done):
    shape = _shape(draw, 0, 3, 0)
    n = int(np.prod(shape))
    ishape = _shape(draw, 0, 2, 0) if n else (0,)
    return _cs().Spread([_t(draw, ctx, shape), _idx(_rng(draw).integers(-n, max(n, 1), ishape))])


def ix_put(draw, ctx, done):
    shape = _shape(draw, 0, 3, 1)
    n = int(np.prod(shape))
    rng = _rng(draw)
    m = draw(st.integers(0, n))
    idx = rng.permutation(n)[:m] - np.where(rng.random(m) < 0.5, n, 0)
    return _cs().Spread([_t(draw, ctx, shape), _idx(idx), _t(draw, ctx, (m,))])


def ix_take_along_dim(draw, ctx, done):
    shape = _shape(draw)
    rng = _rng(draw)
    if draw(st.integers(0, 3)) == 0:
        n = int(np.prod(shape))
        return _cs().Spread([_t(draw, ctx, shape), _idx(rng.integers(0, n, draw(st.integers(0, 4)))), None])
    d, dd = _dim(draw, len(shape))
    ishape = [draw(st.integers(0, 4)) if k == d else draw(st.sampled_from([1, s])) for k, s in enumerate(shape)]
    return _cs().Spread([_t(draw, ctx, shape), _idx(rng.integers(0, shape[d], ishape)), dd])
