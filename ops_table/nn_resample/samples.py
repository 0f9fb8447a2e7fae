"""Coupled sample arguments for padding and pixel/channel shuffles."""
import numpy as np
from hypothesis import strategies as st


def _t(draw, ctx, shape, low=None, high=None):
    from tests.parity.custom_samples import _tensor
    return _tensor(draw, ctx, tuple(shape), low=low, high=high)


def _spread(items):
    from tests.parity.custom_samples import Spread
    return Spread(items)


def pad_widths(draw, ctx, done):
    n = done[0].ndim
    k = draw(st.integers(0, n))
    pad = []
    for i in range(k):
        size = done[0].shape[n - 1 - i]
        lo = draw(st.integers(-min(size, 2), 2))
        hi = draw(st.integers(-min(size + min(lo, 0), 2), 2))
        pad += [lo, hi]
    return tuple(pad)


def pad_value(draw, ctx, done):
    return draw(st.sampled_from([0, 1, -2.5])) if ctx["dtype"].startswith("float") else draw(st.sampled_from([0, 3]))


def pad_args(draw, ctx, done):
    mode = draw(st.sampled_from(["constant", "reflect", "replicate", "circular"]))
    k = draw(st.integers(1, 3))
    nd = k + draw(st.integers(1, 2)) if mode != "constant" else k + draw(st.integers(0, 2))
    shape = [draw(st.integers(1, 3)) for _ in range(nd - k)] + [draw(st.integers(2, 4)) for _ in range(k)]
    pad = []
    for i in range(k):
        size = shape[nd - 1 - i]
        top = size - 1 if mode == "reflect" else size if mode == "circular" else 3
        lo = draw(st.integers(-1, top))
        hi = draw(st.integers(-1, top))
        if mode != "constant":
            # torch's results for negative (cropping) pads in these modes are unreliable:
            # overlap errors, and reflect's backward returns uninitialised memory.
            lo, hi = max(lo, 0), max(hi, 0)
        pad += [lo, hi]
    x = _t(draw, ctx, shape)
    value = draw(st.sampled_from([None, 1.5])) if mode == "constant" else None
    return _spread([x, tuple(pad), mode, value])


def shuffle_factor(draw, ctx, done):
    return ctx.setdefault("_shuffle_r", 2)


def shuffle_input(draw, ctx, done):
    r = ctx["_shuffle_r"] = draw(st.integers(1, 2))
    lead = [draw(st.integers(1, 2)) for _ in range(draw(st.integers(0, 2)))]
    return _t(draw, ctx, lead + [draw(st.integers(1, 2)) * r * r, draw(st.integers(1, 3)), draw(st.integers(1, 3))])


def unshuffle_input(draw, ctx, done):
    r = ctx["_shuffle_r"] = draw(st.integers(1, 2))
    lead = [draw(st.integers(1, 2)) for _ in range(draw(st.integers(0, 2)))]
    return _t(draw, ctx, lead + [draw(st.integers(1, 2)), draw(st.integers(1, 2)) * r, draw(st.integers(1, 2)) * r])


def channel_shuffle_input(draw, ctx, done):
    g = ctx["_shuffle_r"] = draw(st.integers(1, 3))
    return _t(draw, ctx, [draw(st.integers(1, 2)), g * draw(st.integers(1, 2))] +
              [draw(st.integers(1, 3)) for _ in range(draw(st.integers(1, 2)))])


def _upsample_args(draw, ctx, nd, linear):
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    spatial = tuple(draw(st.integers(1, 4)) for _ in range(nd))
    out = [draw(st.integers(1, 6)) for _ in range(nd)]
    x = _t(draw, ctx, (n, c) + spatial)
    if draw(st.booleans()):
        # scales as interpolate passes them with scale_factor: the output is floor(in * scale)
        scale = [draw(st.sampled_from([0.5, 1.5, 2.0, 3.0])) for _ in range(nd)]
        out = [max(int(np.floor(s * f)), 1) for s, f in zip(spatial, scale)]
        scales = [f if int(np.floor(s * f)) >= 1 else None for s, f in zip(spatial, scale)]
    else:
        scales = [None] * nd
    corners = [draw(st.booleans())] if linear else []
    return _spread([x, out] + corners + scales)


def upsample_args_1d_nearest(draw, ctx, done):
    return _upsample_args(draw, ctx, 1, False)


def upsample_args_2d_nearest(draw, ctx, done):
    return _upsample_args(draw, ctx, 2, False)


def upsample_args_3d_nearest(draw, ctx, done):
    return _upsample_args(draw, ctx, 3, False)


def upsample_args_1d_linear(draw, ctx, done):
    return _upsample_args(draw, ctx, 1, True)


def upsample_args_2d_linear(draw, ctx, done):
    return _upsample_args(draw, ctx, 2, True)


def upsample_args_3d_linear(draw, ctx, done):
    return _upsample_args(draw, ctx, 3, True)
