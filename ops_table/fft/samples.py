"""Sample generators for torch.fft and the complex views (complex values get a random
imaginary part; fft sizes and dims drawn together)."""
import numpy as np
from hypothesis import strategies as st


__all__ = ["fft_signal", "fft_dims", "fft_s2", "fft_s_dims", "fft_c2r_args"]


def _recipe(draw, ctx, shape, dtype):
    from tests.parity.strategies import Arr, tensor_recipe
    from ops_table.samples import tensor
    if dtype not in ("complex64", "complex128"):
        return draw(tensor_recipe(tensor(shape=shape, dtype=dtype), ctx))
    re = draw(tensor_recipe(tensor(shape=shape, dtype=dtype), ctx))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    buf = re.buf + 1j * rng.uniform(ctx["low"], ctx["high"], size=re.buf.shape)
    return Arr(np.asarray(buf, dtype=dtype), re.layout, dtype)


def fft_signal(draw, ctx, done):
    return _recipe(draw, ctx, ctx["shape"], ctx["dtype"])


def _some_dims(draw, ndim, min_size=1, negative=True):
    chosen = draw(st.lists(st.integers(0, ndim - 1), unique=True, min_size=min_size, max_size=ndim))
    return [d - ndim if negative and draw(st.booleans()) else d for d in chosen]


def fft_dims(draw, ctx, done):
    # ATen's primitives take wrapped dims (the public functions wrap them).
    return _some_dims(draw, max(done[0].ndim, 1), negative=False)


def _size(draw):
    return draw(st.sampled_from([-1, 1, 2, 3, 5, 8]))


def fft_s2(draw, ctx, done):
    ndim = done[0].ndim
    dim = draw(st.sampled_from([(-2, -1), (0, -1), (-1, 0)] if ndim >= 2 else [(-2, -1)]))
    s = draw(st.sampled_from([None, "draw"]))
    if s is not None:
        s = tuple(_size(draw) for _ in dim)
    return _spread([s, dim])


def fft_s_dims(draw, ctx, done):
    ndim = done[0].ndim
    dim = None if draw(st.booleans()) or ndim == 0 else tuple(_some_dims(draw, ndim))
    n = len(dim) if dim is not None else draw(st.integers(1, max(ndim, 1)))
    s = None if draw(st.booleans()) else tuple(_size(draw) for _ in range(n))
    return _spread([s, dim])


def fft_c2r_args(draw, ctx, done):
    ndim = len(ctx["shape"])
    shape = list(ctx["shape"]) or [3]
    ndim = len(shape)
    dims = _some_dims(draw, ndim, negative=False)
    last = draw(st.integers(1, 8))
    shape[dims[-1] % ndim] = last // 2 + 1
    x = _recipe(draw, ctx, tuple(shape), ctx["dtype"])
    return _spread([x, dims, draw(st.sampled_from([0, 1, 2])), last])


def _spread(items):
    from tests.parity.custom_samples import Spread
    return Spread(items)
