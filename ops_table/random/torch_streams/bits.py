"""What every stream kernel shares: the generator argument, the raw-bits-to-
uniform conversions, and PyTorch's error texts.

A kernel is handed the generator it draws from (the dispatcher puts the
default one where a call gave none); it uses only the generator's raw stream
(``random32``/``random64``), its two Box-Muller caches and its ``lock``.
"""

import numpy as np

from . import layout as L

f32 = np.float32
f64 = np.float64


def stream(gen):
    """The generator a kernel draws from; there is no implicit default here
    (the engine owns ``torch.default_generator``; callers pass it)."""
    if not hasattr(gen, "random32"):
        raise TypeError("a random kernel needs a generator (torch.Generator), got "
                        + type(gen).__name__)
    return gen


def check_array(out):
    if not isinstance(out, np.ndarray):
        raise TypeError("out must be a numpy.ndarray, got " + type(out).__name__)


def not_implemented(op, kind):
    return NotImplementedError('"%s" not implemented for \'%s\''
                               % (op, L.scalar_name(kind)))


def g6(v):
    """C++ ostream's default formatting of a double (6 significant digits)."""
    return "%g" % v


# Uniform bits -> floats (at::uniform_real_distribution with from=0, to=1)

def u24(r32):
    """float32 in [0, 1): low 24 bits of one draw times 2**-24."""
    out = np.bitwise_and(r32, np.uint32(0xFFFFFF)).astype(f32)
    out *= f32(2.0 ** -24)
    return out


def u53(r64):
    """float64 in [0, 1): low 53 bits of random64() times 2**-53."""
    out = np.bitwise_and(r64, np.uint64((1 << 53) - 1)).astype(f64)
    out *= 2.0 ** -53
    return out
