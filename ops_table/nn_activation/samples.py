"""Coupled sample arguments for the torch.nn.functional ops of ops_table/nn_activation/entries.py."""
import numpy as np
from hypothesis import strategies as st


def _spread(items):
    # custom_samples imports this module before defining Spread: look it up at call time.
    from tests.parity.custom_samples import Spread
    return Spread(items)


def _t(draw, ctx, shape, dtype=None, low=None, high=None):
    from tests.parity.custom_samples import _tensor
    return _tensor(draw, ctx, tuple(shape), dtype=dtype, low=low, high=high)


def _ints(draw, shape, lo, hi):
    """An int64 tensor recipe with values in [lo, hi)."""
    from tests.parity.strategies import Arr
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    return Arr(rng.integers(lo, max(hi, lo + 1), size=tuple(shape)).astype(np.int64), "contig", "int64")


def _shape(draw, lo, hi, min_size=0, max_size=4):
    return tuple(draw(st.integers(min_size, max_size)) for _ in range(draw(st.integers(lo, hi))))


def glu_input(draw, ctx, done):
    shape = list(_shape(draw, 1, 3, 1, 3))
    d = draw(st.integers(0, len(shape) - 1))
    shape[d] *= 2
    return _spread([_t(draw, ctx, shape), d - len(shape) if draw(st.booleans()) else d])


def prelu_args(draw, ctx, done):
    shape = _shape(draw, 2, 4, 1, 3)
    c = shape[1]
    return _spread([_t(draw, ctx, shape), _t(draw, ctx, (c,) if draw(st.booleans()) else (1,), low=-1, high=1)])


def linear_args(draw, ctx, done):
    lead = _shape(draw, 0, 2, 0, 3)
    i, o = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    bias = _t(draw, ctx, (o,)) if draw(st.booleans()) else None
    return _spread([_t(draw, ctx, lead + (i,)), _t(draw, ctx, (o, i)), bias])


def bilinear_args(draw, ctx, done):
    n, i, j, o = (draw(st.integers(1, 3)) for _ in range(4))
    bias = _t(draw, ctx, (o,)) if draw(st.booleans()) else None
    return _spread([_t(draw, ctx, (n, i)), _t(draw, ctx, (n, j)), _t(draw, ctx, (o, i, j)), bias])


def one_hot_args(draw, ctx, done):
    c = draw(st.integers(1, 5))
    idx = _ints(draw, _shape(draw, 0, 3, 0, 3), 0, c)
    return _spread([idx, draw(st.sampled_from([-1, c, c + 2]))])


def embedding_backward_args(draw, ctx, done):
    v, d = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    shape = _shape(draw, 0, 2, 1, 4)  # torch's double backward fails on empty indices
    idx = _ints(draw, shape, 0, v)
    return _spread([_t(draw, ctx, shape + (d,)), idx, v, draw(st.sampled_from([-1, 0])), draw(st.booleans())])


def embedding_lookup_args(draw, ctx, done):
    v, d = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    idx = _ints(draw, _shape(draw, 0, 2, 0, 4), 0, v)
    return _spread([_t(draw, ctx, (v, d)), idx, draw(st.sampled_from([-1, 0, v - 1]))])


def embedding_renorm_args(draw, ctx, done):
    v, d = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    idx = _ints(draw, _shape(draw, 0, 2, 0, 4), 0, v)
    return _spread([_t(draw, ctx, (v, d)), idx, draw(st.sampled_from([0.5, 1.0, 4.0])),
                    draw(st.sampled_from([1.0, 2.0, 3.0]))])


__all__ = [n for n, v in list(globals().items()) if callable(v) and not n.startswith("_")
           and getattr(v, "__module__", None) == __name__]
