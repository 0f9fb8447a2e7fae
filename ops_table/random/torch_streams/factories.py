"""rand, randn, randint and the ``*_like`` factories: a fresh array filled
by the in-place kernels, laid out as ``torch.empty``/``empty_like`` would."""

import numpy as np

from . import layout as L
from .integers import random_
from .uniform_normal import normal_, uniform_

_MISSING = object()


def rand(gen, size, dtype=np.float32, *, torch_dtype=None):
    out = np.empty(tuple(size), dtype)
    return uniform_(gen, out, 0.0, 1.0, torch_dtype=torch_dtype)


def randn(gen, size, dtype=np.float32, *, torch_dtype=None):
    out = np.empty(tuple(size), dtype)
    return normal_(gen, out, 0.0, 1.0, torch_dtype=torch_dtype)


def rand_like(gen, like, dtype=None, *, torch_dtype=None):
    """``torch.rand_like``: ``empty_like`` keeps a dense input's strides, so
    the draws land in its memory order."""
    return uniform_(gen, L.empty_like(like, dtype), 0.0, 1.0,
                    torch_dtype=torch_dtype)


def randn_like(gen, like, dtype=None, *, torch_dtype=None):
    """``torch.randn_like``; note a transposed ``like`` is not contiguous, so
    it takes the per-element double path even from 16 elements."""
    return normal_(gen, L.empty_like(like, dtype), 0.0, 1.0,
                   torch_dtype=torch_dtype)


def randint_like(gen, like, low, high=_MISSING, dtype=None, *,
                 torch_dtype=None):
    if high is _MISSING or high is None:
        low, high = 0, low
    return random_(gen, L.empty_like(like, dtype), low, high,
                   torch_dtype=torch_dtype)


def randint(gen, low, high, size=None, dtype=np.int64, *, torch_dtype=None):
    """``torch.randint(low, high, size)``, or ``randint(gen, high, size)``
    like ``torch.randint(high, size)``: ``empty(size).random_(low, high)``."""
    if size is None:
        low, high, size = 0, low, high
    out = np.empty(tuple(size), dtype)
    return random_(gen, out, low, high, torch_dtype=torch_dtype)
