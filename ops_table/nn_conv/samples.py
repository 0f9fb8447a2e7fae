"""Coupled sample arguments for convolutions (input, weight and bias shapes drawn together)."""
from hypothesis import strategies as st


def _t(draw, ctx, shape, low=None, high=None):
    from tests.parity.custom_samples import _tensor
    return _tensor(draw, ctx, tuple(shape), low=low, high=high)


def _conv_args(draw, ctx, nd):
    groups = draw(st.sampled_from([1, 1, 2]))
    cg, og = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    k = [draw(st.integers(1, 3)) for _ in range(nd)]
    stride = [draw(st.integers(1, 2)) for _ in range(nd)]
    dil = [draw(st.integers(1, 2)) for _ in range(nd)]
    mode = draw(st.sampled_from(["int", "int", "same", "valid"]))
    if mode == "same":
        stride = [1] * nd
    pad = [draw(st.integers(0, 2)) for _ in range(nd)] if mode == "int" else mode
    lo = 5 if nd < 3 else 4
    sp = [draw(st.integers(max(1, d * (kk - 1) + 1 - (2 * pad[i] if mode == "int" else 0)), lo + 1))
          for i, (kk, d) in enumerate(zip(k, dil))]
    n = draw(st.integers(0, 2)) if nd < 3 else draw(st.integers(1, 2))
    batched = draw(st.booleans()) or n != 1
    x = _t(draw, ctx, ([n] if batched else []) + [cg * groups] + sp)
    w = _t(draw, ctx, [og * groups, cg] + k)
    b = _t(draw, ctx, [og * groups]) if draw(st.booleans()) else None
    return [x, w, b, stride, pad, dil, groups]


def _conv_t_args(draw, ctx, nd):
    groups = draw(st.sampled_from([1, 1, 2]))
    cg, og = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    k = [draw(st.integers(1, 3)) for _ in range(nd)]
    stride = [draw(st.integers(1, 2)) for _ in range(nd)]
    dil = [draw(st.integers(1, 2)) for _ in range(nd)]
    outp = [draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dil)]
    pad = [draw(st.integers(0, 1)) for _ in range(nd)]
    sp = [draw(st.integers(1, 4)) for _ in range(nd)]
    for i in range(nd):
        if (sp[i] - 1) * stride[i] - 2 * pad[i] + dil[i] * (k[i] - 1) + outp[i] + 1 <= 0:
            pad[i] = 0
    n = draw(st.integers(0, 2)) if nd < 3 else 1
    batched = draw(st.booleans()) or n != 1
    x = _t(draw, ctx, ([n] if batched else []) + [cg * groups] + sp)
    w = _t(draw, ctx, [cg * groups, og] + k)
    b = _t(draw, ctx, [og * groups]) if draw(st.booleans()) else None
    return [x, w, b, stride, pad, outp, groups, dil]


def _spread(items):
    from tests.parity.custom_samples import Spread
    return Spread(items)


def conv1d_args(draw, ctx, done):
    return _spread(_conv_args(draw, ctx, 1))


def conv2d_args(draw, ctx, done):
    return _spread(_conv_args(draw, ctx, 2))


def conv3d_args(draw, ctx, done):
    return _spread(_conv_args(draw, ctx, 3))


def conv_transpose1d_args(draw, ctx, done):
    return _spread(_conv_t_args(draw, ctx, 1))


def conv_transpose2d_args(draw, ctx, done):
    return _spread(_conv_t_args(draw, ctx, 2))


def conv_transpose3d_args(draw, ctx, done):
    return _spread(_conv_t_args(draw, ctx, 3))
