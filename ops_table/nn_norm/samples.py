"""Coupled sample arguments for the normalizations of ops_table/nn_norm/entries.py."""
import numpy as np
from hypothesis import strategies as st


def _spread(items):
    # custom_samples imports this module before defining Spread: look it up at call time.
    from tests.parity.custom_samples import Spread
    return Spread(items)


def _t(draw, ctx, shape, dtype=None, low=None, high=None):
    from tests.parity.custom_samples import _tensor
    return _tensor(draw, ctx, tuple(shape), dtype=dtype, low=low, high=high)


def _shape(draw, lo, hi, min_size=0, max_size=4):
    return tuple(draw(st.integers(min_size, max_size)) for _ in range(draw(st.integers(lo, hi))))


def _opt(draw, ctx, shape, low=-2, high=2):
    return _t(draw, ctx, shape, low=low, high=high) if draw(st.booleans()) else None


def batch_norm_args(draw, ctx, done):
    shape = _shape(draw, 2, 4, 1, 3)
    c = shape[1]
    training = draw(st.booleans())
    spatial = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    if training and shape[0] * spatial < 4:
        # see group_norm_args: few values per channel are ill-conditioned in float32
        shape = (4,) + shape[1:]
    stats = training and draw(st.booleans())
    rm = _t(draw, ctx, (c,), low=-1, high=1) if not training or not stats else None
    rv = _t(draw, ctx, (c,), low=0.5, high=2) if rm is not None else None
    return _spread([_t(draw, ctx, shape), rm, rv, _opt(draw, ctx, (c,)), _opt(draw, ctx, (c,)), training,
                    draw(st.sampled_from([0.1, 0.5]))])


def instance_norm_args(draw, ctx, done):
    shape = _shape(draw, 3, 4, 1, 3)
    if int(np.prod(shape[2:])) < 4:
        shape = shape[:2] + (4,) + shape[3:]
    c = shape[1]
    stats = draw(st.booleans())
    rm = _t(draw, ctx, (c,), low=-1, high=1) if stats else None
    rv = _t(draw, ctx, (c,), low=0.5, high=2) if stats else None
    return _spread([_t(draw, ctx, shape), rm, rv, _opt(draw, ctx, (c,)), _opt(draw, ctx, (c,))])


def layer_norm_args(draw, ctx, done):
    shape = _shape(draw, 1, 4, 1, 3)
    k = draw(st.integers(1, len(shape)))
    ns = list(shape[len(shape) - k:])
    return _spread([_t(draw, ctx, shape), ns, _opt(draw, ctx, ns), _opt(draw, ctx, ns)])


def group_norm_args(draw, ctx, done):
    g = draw(st.integers(1, 3))
    c = g * draw(st.integers(1, 2))
    shape = (draw(st.integers(1, 3)), c) + _shape(draw, 0, 2, 1, 3)
    if (c // g) * int(np.prod(shape[2:])) < 4:
        # Tiny groups are ill-conditioned (one value normalises to rounding noise * 1/sqrt(eps), two
        # close values to +-1 with a steep gradient): float32 results then depend on the algorithm.
        shape = shape[:2] + (4,) + shape[3:]
    weight = _opt(draw, ctx, (c,))
    # torch's group_norm backward fails ("tensor does not have a device") with a bias but no weight.
    bias = _opt(draw, ctx, (c,)) if weight is not None else None
    return _spread([_t(draw, ctx, shape), g, weight, bias])


def lrn_size(draw, ctx, done):
    return draw(st.integers(1, 4))


def rms_norm_args(draw, ctx, done):
    shape = _shape(draw, 1, 4, 0, 3)
    k = draw(st.integers(1, len(shape)))
    normalized = shape[len(shape) - k:]
    weight = _t(draw, ctx, normalized) if draw(st.booleans()) else None
    return _spread([_t(draw, ctx, shape), list(normalized), weight])
