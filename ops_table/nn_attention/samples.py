"""Coupled sample arguments for scaled_dot_product_attention (masks of each kind, causal)."""
import numpy as np
from hypothesis import strategies as st


def _spread(items):
    # custom_samples imports this module before defining Spread: look it up at call time.
    from tests.parity.custom_samples import Spread
    return Spread(items)


def _t(draw, ctx, shape):
    from tests.parity.custom_samples import _tensor
    return _tensor(draw, ctx, tuple(shape))


def _fixed(values, dtype):
    from tests.parity.strategies import Arr
    return Arr(np.array(values, dtype=dtype, order="C"), "contig", dtype)


def _shape(draw, lo, hi, min_size=0, max_size=4):
    return tuple(draw(st.integers(min_size, max_size)) for _ in range(draw(st.integers(lo, hi))))


def sdpa_args(draw, ctx, done):
    lead = _shape(draw, 0, 2, 1, 2)
    L, S, e, ev = (draw(st.integers(1, 4)) for _ in range(4))
    q, k, v = _t(draw, ctx, lead + (L, e)), _t(draw, ctx, lead + (S, e)), _t(draw, ctx, lead + (S, ev))
    kind = draw(st.sampled_from(["none", "bool", "float", "causal"]))
    mask, causal = None, False
    if kind == "bool":
        rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
        mask = _fixed(rng.random((L, S)) < 0.7, "bool")
    elif kind == "float":
        mask = _t(draw, ctx, (L, S))
    elif kind == "causal":
        causal = True
    return _spread([q, k, v, mask, 0.0, causal])
