"""Sample generators for the `torch._foreach_*` entries (ops_table/foreach/entries.py)."""
from hypothesis import strategies as st

__all__ = ["foreach_list", "foreach_like", "foreach_like_any_dtype", "foreach_other", "foreach_weight",
           "foreach_addc_value"]


def _shape(draw):
    return tuple(draw(st.integers(0, 4)) for _ in range(draw(st.integers(0, 3))))


def _t(draw, ctx, shape, **k):
    from tests.parity.custom_samples import _tensor
    return _tensor(draw, ctx, shape, **k)


def foreach_list(draw, ctx, done):
    """0-3 tensors of independent shapes (none: PyTorch's empty-list error)."""
    return [_t(draw, ctx, _shape(draw)) for _ in range(draw(st.integers(0, 3)))]


def foreach_like(draw, ctx, done):
    """One tensor per element of the first list, of its shape."""
    return [_t(draw, ctx, a.shape) for a in done[0]]


def foreach_like_any_dtype(draw, ctx, done):
    """copy_'s sources: the shapes of the first list, sometimes another dtype or a broadcast shape."""
    out = []
    for a in done[0]:
        dtype = draw(st.sampled_from([None, "float64", "int64"]))
        shape = a.shape if not a.shape or draw(st.booleans()) else (1,) * len(a.shape)
        out.append(_t(draw, ctx, shape, dtype=dtype))
    return out


def _scalar(draw):
    return draw(st.sampled_from([2, -1, 0.5, -1.5, 3.0]))


def foreach_other(draw, ctx, done):
    """A binary foreach op's second operand: a tensor list, a scalar list, a 0-d tensor or a scalar."""
    kind = draw(st.sampled_from(["list", "scalars", "tensor", "scalar"]))
    if kind == "list":
        return foreach_like(draw, ctx, done)
    if kind == "scalars":
        return [_scalar(draw) for _ in done[0]]
    if kind == "tensor":
        return _t(draw, ctx, ())
    return _scalar(draw)


def foreach_weight(draw, ctx, done):
    """lerp's weights: a tensor list, a scalar list or a scalar."""
    kind = draw(st.sampled_from(["list", "scalars", "scalar"]))
    if kind == "list":
        return [_t(draw, ctx, a.shape, low=0, high=1) for a in done[0]]
    if kind == "scalars":
        return [draw(st.sampled_from([0.0, 0.25, 0.9, 1.0])) for _ in done[0]]
    return draw(st.sampled_from([0.0, 0.3, 0.75, 1.0]))


def foreach_addc_value(draw, ctx, done):
    """addcmul/addcdiv's value: a scalar, a scalar list or a 1-d tensor of one scalar per element."""
    kind = draw(st.sampled_from(["scalar", "scalars", "tensor"]))
    if kind == "scalar":
        return _scalar(draw)
    if kind == "scalars":
        return [_scalar(draw) for _ in done[0]]
    return _t(draw, ctx, (len(done[0]),))
