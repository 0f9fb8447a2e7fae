"""Sample generators for ops whose arguments are coupled (named by `custom(...)` in entries).

Each takes (draw, ctx, done_args) and returns one argument value, or `Spread([...])` to
supply several arguments at once. An entry's generators live in its family's
ops_table/<family>/samples.py (`find` looks them up there); this module holds the
machinery, the generic shape generators several families use, and the generators
that need the oracle (real torch), which ops_table may not import."""
import functools

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


def find(name, family=None):
    """The generator `custom(name)` names: the family's own first, then this module's."""
    registry = _registry()
    if family is not None and name in registry.get(family, {}):
        return registry[family][name]
    for shared in ("common", None):
        if name in registry[shared]:
            return registry[shared][name]
    owners = [f for f, gens in registry.items() if f is not None and name in gens]
    if len(owners) != 1:
        raise LookupError(f"custom sample {name!r}: defined in {owners or 'no family'}")
    return registry[owners[0]][name]


@functools.lru_cache(maxsize=1)
def _registry():
    import importlib
    from ops_table.generate import families
    out = {None: {k: v for k, v in globals().items() if callable(v) and not k.startswith("_")
                  and getattr(v, "__module__", None) == __name__}}
    for fam in ["common"] + families():
        try:
            module = importlib.import_module(f"ops_table.{fam}.samples")
        except ModuleNotFoundError as e:
            if e.name != f"ops_table.{fam}.samples":
                raise
            continue
        out[fam] = {k: v for k, v in vars(module).items() if callable(v) and not k.startswith("_")
                    and getattr(v, "__module__", None) == module.__name__}
    return out


@functools.lru_cache(maxsize=1)
def mkl_on_intel():
    import torch
    try:
        with open("/proc/cpuinfo") as f:
            intel = "GenuineIntel" in f.read(4096)
    except OSError:
        intel = False
    return intel and torch.backends.mkl.is_available()


def rng_seed(draw, ctx, done):
    import torch
    import mstorch
    seed = draw(st.one_of(st.integers(0, 2 ** 32 - 1), st.integers(-2 ** 63, 2 ** 64 - 1)))
    torch.manual_seed(seed)
    mstorch.torch.manual_seed(seed)
    return Spread([])
