"""Sample generators for random ops (ops_table/random/entries.py, ops_table/nn_dropout/entries.py).

`rng_seed` (tests/parity/custom_samples.py: it needs torch) seeds torch's and mstorch's default generators with one drawn seed and
supplies no argument: the parity runner calls torch and then mstorch right after
drawing, so both draw from the same state and values compare element for element.

PyTorch's MKL builds draw scalar-p Bernoulli (and so dropout masks) from MKL's own
stream on Intel CPUs (docs/random.md), which we do not reproduce; there the dropout
and scalar-p samples use only p in {0, 1}, whose results do not depend on the draws."""
from hypothesis import strategies as st


__all__ = ["fill_target", "randint_args", "randint_like_bounds", "normal_args", "bernoulli_args",
           "multinomial_args", "uniform_bounds", "random_bounds", "bernoulli_inplace_p"]


def _spread(items):
    from tests.parity.custom_samples import Spread
    return Spread(items)


def _t(draw, ctx, shape, dtype=None, low=None, high=None):
    from tests.parity.strategies import tensor_recipe
    from ops_table.samples import tensor
    return draw(tensor_recipe(tensor(shape=tuple(shape), dtype=dtype, low=low, high=high), ctx))


def _shape(draw, lo=0, hi=3, min_size=0):
    return tuple(draw(st.integers(min_size, 4)) for _ in range(draw(st.integers(lo, hi))))


def _p(draw, choices=(0.0, 0.2, 0.5, 0.9, 1.0)):
    from tests.parity.custom_samples import mkl_on_intel  # the oracle's build (imports torch)
    if mkl_on_intel():
        return draw(st.sampled_from([0.0, 1.0]))
    return draw(st.sampled_from(list(choices)))


def fill_target(draw, ctx, done):
    """The tensor an in-place fill writes into.  The parity runner fills a clone, and
    mstorch's clone() does not keep a transposed input's strides yet (torch's does), so
    the draws would land in a different order for reasons unrelated to the fill; only
    contiguous and step-sliced layouts are drawn here.  tests/test_random_ops.py checks
    fills into transposed and permuted tensors directly."""
    from tests.parity.strategies import Arr, make_values
    shape = ctx["shape"]
    layout = draw(st.sampled_from(["contig", "step"] if shape and shape[0] else ["contig"]))
    buf_shape = ((shape[0] * 2 - 1,) + tuple(shape[1:])) if layout == "step" else tuple(shape)
    import numpy as np
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    return Arr(make_values(rng, buf_shape, ctx["dtype"], ctx["low"], ctx["high"]), layout, ctx["dtype"])


def randint_args(draw, ctx, done):
    size = _shape(draw)
    if draw(st.booleans()):
        return _spread([draw(st.integers(1, 60)), size])
    low = draw(st.integers(-10, 10))
    return _spread([low, low + draw(st.integers(1, 60)), size])


def randint_like_bounds(draw, ctx, done):
    if draw(st.booleans()):
        return _spread([draw(st.integers(1, 30))])
    low = draw(st.integers(-5, 5))
    return _spread([low, low + draw(st.integers(1, 30))])


def normal_args(draw, ctx, done):
    form = draw(st.sampled_from(["tt", "tf", "ft", "ff"]))
    shape = ctx["shape"]
    mean = draw(st.floats(-3, 3, width=32))
    std = draw(st.floats(0, 3, width=32))
    if form == "ff":
        return _spread([mean, std, _shape(draw)])
    mt = _t(draw, ctx, shape)
    st_ = _t(draw, ctx, shape, low=0, high=3)
    if form == "tt":
        return _spread([mt, st_])
    if form == "tf":
        return _spread([mt, std])
    return _spread([mean, st_])


def bernoulli_args(draw, ctx, done):
    x = _t(draw, ctx, ctx["shape"], low=0, high=1)
    if draw(st.booleans()):
        return _spread([x])
    return _spread([x, _p(draw, (0.0, 0.3, 0.5, 0.75, 1.0))])


def multinomial_args(draw, ctx, done):
    n = draw(st.integers(1, 6))
    shape = (n,) if draw(st.booleans()) else (draw(st.integers(1, 3)), n)
    probs = _t(draw, ctx, shape, low=0.0625, high=1)
    replacement = draw(st.booleans())
    k = draw(st.integers(1, 8 if replacement else n))
    return _spread([probs, k, replacement])


def uniform_bounds(draw, ctx, done):
    a = draw(st.floats(-5, 5, width=32))
    return _spread([a, a + draw(st.floats(0, 10, width=32))])


_INT_RANGE = {"bool": (0, 1), "uint8": (0, 255), "int16": (-2 ** 15, 2 ** 15 - 1)}


def random_bounds(draw, ctx, done):
    dtype = ctx["dtype"]
    lo, hi = _INT_RANGE.get(dtype, (-1000, 1000))
    form = draw(st.sampled_from(["none", "to", "from_to", "from_none"]))
    if form == "none":
        return _spread([])
    if form == "to":
        return _spread([draw(st.integers(1, min(hi + 1, 2 ** 40)))])
    frm = draw(st.integers(lo, min(hi, 100)))
    if form == "from_none":
        return _spread([frm, None])
    return _spread([frm, draw(st.integers(frm + 1, min(hi + 1, frm + 2 ** 30)))])


def bernoulli_inplace_p(draw, ctx, done):
    if draw(st.booleans()):
        return _p(draw, (0.0, 0.25, 0.5, 1.0))
    return _t(draw, ctx, done[0].shape, dtype=draw(st.sampled_from(["float32", "float64"])), low=0, high=1)
