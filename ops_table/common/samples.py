"""Sample generators several families use: complex values with a random imaginary part (fft, complex),
dims to reduce over (reductions, norms)."""
import numpy as np
from hypothesis import strategies as st


def _recipe(draw, ctx, shape, dtype):
    from tests.parity.strategies import Arr, tensor_recipe
    from ops_table.samples import tensor
    if dtype not in ("complex64", "complex128"):
        return draw(tensor_recipe(tensor(shape=shape, dtype=dtype), ctx))
    re = draw(tensor_recipe(tensor(shape=shape, dtype=dtype), ctx))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    buf = re.buf + 1j * rng.uniform(ctx["low"], ctx["high"], size=re.buf.shape)
    return Arr(np.asarray(buf, dtype=dtype), re.layout, dtype)


def fft_complex(draw, ctx, done):
    return _recipe(draw, ctx, ctx["shape"], ctx["dtype"])


def reduce_dims(draw, ctx, done):
    n = done[0].ndim
    if n == 0:
        return draw(st.sampled_from([(), (0,), (-1,)]))
    chosen = draw(st.lists(st.integers(0, n - 1), unique=True, min_size=0, max_size=n))
    return tuple(d - n if draw(st.booleans()) else d for d in chosen)
