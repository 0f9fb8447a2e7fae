"""Sample generators for the dropout family (p drawn from values whose results do not depend on
MKL's Bernoulli stream where the oracle uses it: tests/parity/custom_samples.py mkl_on_intel)."""
from hypothesis import strategies as st


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


def _dropout(draw, ctx, ndims):
    x = _t(draw, ctx, _shape(draw, *ndims))
    return _spread([x, _p(draw), draw(st.booleans()), draw(st.booleans())])


def dropout_args(draw, ctx, done):
    return _dropout(draw, ctx, (0, 4))


def dropout1d_args(draw, ctx, done):
    return _dropout(draw, ctx, (2, 3))


def dropout2d_args(draw, ctx, done):
    return _dropout(draw, ctx, (3, 4))


def dropout3d_args(draw, ctx, done):
    return _dropout(draw, ctx, (4, 5))


def feature_dropout_args(draw, ctx, done):
    return _dropout(draw, ctx, (2, 4))
