"""Sample generators for ops whose arguments are coupled (named by `custom(...)` in entries).

Each takes (draw, ctx, done_args) and returns one argument value, or `Spread([...])` to
supply several arguments at once."""
from tests.parity.custom_samples_indexing import *  # noqa
from tests.parity.custom_samples_conv import *  # noqa
from tests.parity.custom_samples_reduction import *  # noqa
from tests.parity.custom_samples_nn import *  # noqa
from tests.parity.custom_samples_random import *  # noqa
from tests.parity.custom_samples_coverage import *  # noqa
from tests.parity.custom_samples_optim import *  # noqa
from tests.parity.custom_samples_fft import *  # noqa
from tests.parity.custom_samples_foreach import *  # noqa
from tests.parity.custom_samples_linalg import *  # noqa
from tests.parity.custom_samples_nn_functional import *  # noqa
import numpy as np
from hypothesis import strategies as st


class Spread:
    def __init__(self, items):
        self.items = list(items)


def _tensor(draw, ctx, shape, dtype=None, low=None, high=None):
    from tests.parity.strategies import tensor_recipe
    from ops_table.samples import tensor
    return draw(tensor_recipe(tensor(shape=shape, dtype=dtype, low=low, high=high), ctx))


def size(draw, ctx, done):
    n = draw(st.integers(0, 3))
    return tuple(draw(st.integers(0, 4)) for _ in range(n))


def size_stride(draw, ctx, done):
    shape = size(draw, ctx, done)
    stride = tuple(draw(st.integers(0, 6)) for _ in shape)
    return Spread([shape, stride])


def view_shape(draw, ctx, done):
    t = done[0]
    numel = int(np.prod(t.shape)) if t.shape else 1
    if t.layout != "contig" and t.ndim >= 2:
        return tuple(t.shape)  # non-contiguous inputs can only be viewed with compatible shapes
    divisors = [d for d in range(1, numel + 1) if numel % d == 0] or [1]
    a = draw(st.sampled_from(divisors)) if numel else 0
    b = numel // a if a else draw(st.integers(0, 3))
    shape = draw(st.sampled_from([(numel,), (a, b), (b, a, 1), (-1,), (a, -1) if a else (0, b)]))
    return shape


def expand_shape(draw, ctx, done):
    t = done[0]
    lead = tuple(draw(st.integers(0, 3)) for _ in range(draw(st.integers(0, 2))))
    body = tuple((draw(st.integers(0, 3)) if s == 1 else s) if draw(st.booleans()) else
                 (-1 if draw(st.booleans()) else s) for s in t.shape)
    return lead + body


def permutation(draw, ctx, done):
    n = done[0].ndim
    return tuple(draw(st.permutations(list(range(n))))) if n else ()


def index_in_dim(draw, ctx, done):
    t, d = done[0], done[1]
    n = t.shape[d]
    return draw(st.integers(-n, n - 1))


def unsqueeze_dim(draw, ctx, done):
    n = done[0].ndim
    return draw(st.integers(-n - 1, n))


def split_sizes(draw, ctx, done):
    t = _tensor(draw, ctx, tuple(draw(st.integers(1, 4)) for _ in range(draw(st.integers(1, 3)))))
    d = draw(st.integers(0, t.ndim - 1))
    n = t.shape[d]
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=3)))
    sizes = [b - a for a, b in zip([0] + cuts, cuts + [n])]
    return Spread([t, sizes, d])


def as_strided(draw, ctx, done):
    t = _tensor(draw, ctx, (draw(st.integers(1, 4)), draw(st.integers(1, 4))))
    numel = int(np.prod(t.buf.shape))
    shape = (draw(st.integers(0, 3)), draw(st.integers(0, 3)))
    stride = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    span = 1 + sum((s - 1) * st_ for s, st_ in zip(shape, stride)) if all(shape) else 0
    off = draw(st.integers(0, max(0, numel - span))) if span <= numel else 0
    if span > numel:
        shape, stride = (1, 1), (1, 1)
    t.layout = "contig"
    return Spread([t, shape, stride, off])


def unflatten(draw, ctx, done):
    a, b = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    t = _tensor(draw, ctx, (2, a * b))
    return Spread([t, 1, (a, b) if draw(st.booleans()) else (a, -1)])


def cat(draw, ctx, done):
    n = draw(st.integers(1, 3))
    base = tuple(draw(st.integers(1, 3)) for _ in range(draw(st.integers(1, 3))))
    d = draw(st.integers(0, len(base) - 1))
    parts = []
    for _ in range(n):
        shape = list(base)
        shape[d] = draw(st.integers(0, 3))
        parts.append(_tensor(draw, ctx, tuple(shape)))
    return Spread([parts, d - len(base) if draw(st.booleans()) else d])


def stack(draw, ctx, done):
    n = draw(st.integers(1, 3))
    base = tuple(draw(st.integers(0, 3)) for _ in range(draw(st.integers(0, 3))))
    parts = [_tensor(draw, ctx, base) for _ in range(n)]
    return Spread([parts, draw(st.integers(-len(base) - 1, len(base)))])


def dims_list(draw, ctx, done):
    n = done[0].ndim
    return tuple(draw(st.lists(st.integers(0, n - 1), unique=True, min_size=0 if n == 0 else 1, max_size=n)))


def repeats(draw, ctx, done):
    n = done[0].ndim
    extra = draw(st.integers(0, 2))
    return tuple(draw(st.integers(0, 3)) for _ in range(n + extra))


def arange_args(draw, ctx, done):
    n = draw(st.integers(1, 3))
    start = draw(st.sampled_from([0, 2, -3, 1.5]))
    end = draw(st.sampled_from([7, 10.5, -1, 3]))
    step = draw(st.sampled_from([1, 2, 0.5, -1]))
    return Spread([[start], [start, end], [start, end, step]][n - 1])


def eye_args(draw, ctx, done):
    n = draw(st.integers(0, 5))
    return Spread([n] if draw(st.booleans()) else [n, draw(st.integers(0, 5))])
