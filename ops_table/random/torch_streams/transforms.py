"""exponential_, geometric_, cauchy_ and log_normal_: one double uniform (or,
for log_normal_, one double normal) per element, transformed with glibc's
libm as PyTorch's CPU kernels do."""

import math

import numpy as np

from . import bits as B
from . import float_math as F
from . import layout as L
from .uniform_normal import _normal_serial


def exponential_(gen, out, lambd=1.0, *, torch_dtype=None):
    """``out.exponential_(lambd)``: ``-1/lambd * log1p(-u)`` in double."""
    B.check_array(out)
    kind = L.kind_of(out, torch_dtype)
    lambd = float(lambd)
    if not lambd > 0.0:
        raise RuntimeError("exponential_ expects lambda > 0.0, but found "
                           "lambda=" + B.g6(lambd))
    if not L.is_floating(kind):
        raise RuntimeError(
            "Exponential distribution is a continuous probability distribution."
            " dtype must be a floating point but you specified "
            + L.scalar_name(kind))
    n = out.size
    if n == 0:
        return out
    g = B.stream(gen)
    with g.lock:
        u = B.u53(g.random64(n))
        v = (-1.0 / lambd) * F.libm_log1p(-u)
        return L.write_serial(out, L.from_double(v, kind))


def geometric_(gen, out, p, *, torch_dtype=None):
    """``out.geometric_(p)``: ``ceil(log(u) / log1p(-p))`` in double."""
    B.check_array(out)
    kind = L.kind_of(out, torch_dtype)
    p = float(p)
    if not (0 < p < 1):
        raise RuntimeError("geometric_ expects p to be in (0, 1), but got p="
                           + B.g6(p))
    if kind in ("uint16", "uint32", "uint64", "bool"):
        raise B.not_implemented("geometric_cpu", kind)
    n = out.size
    if n == 0:
        return out
    g = B.stream(gen)
    with g.lock:
        u = B.u53(g.random64(n))
        with np.errstate(divide="ignore"):
            v = np.ceil(F.libm_log_safe(u) / math.log1p(-p))
        if L.is_floating(kind):
            vals = L.from_double(v, kind)
        else:
            vals = v.astype(kind)  # truncation toward zero (static_cast)
        return L.write_serial(out, vals)


def cauchy_(gen, out, median=0.0, sigma=1.0, *, torch_dtype=None):
    """``out.cauchy_(median, sigma)``: ``median + sigma*tan(pi*(u-0.5))`` with
    the multiply-add fused, in double."""
    B.check_array(out)
    kind = L.kind_of(out, torch_dtype)
    median, sigma = float(median), float(sigma)
    if not sigma > 0.0:
        raise RuntimeError("cauchy_ expects sigma > 0.0, but found sigma="
                           + B.g6(sigma))
    if not L.is_floating(kind):
        raise RuntimeError(
            "Cauchy distribution is a continuous probability distribution. "
            "dtype must be a floating point but you specified "
            + L.scalar_name(kind))
    n = out.size
    if n == 0:
        return out
    g = B.stream(gen)
    with g.lock:
        u = B.u53(g.random64(n))
        t = F.libm_tan(math.pi * (u - 0.5))
        v = F.fma64(sigma, t, median)
        return L.write_serial(out, L.from_double(v, kind))


def log_normal_(gen, out, mean=1.0, std=2.0, *, torch_dtype=None):
    """``out.log_normal_(mean, std)``: ``exp`` of the double normal (which
    shares the Box-Muller cache)."""
    B.check_array(out)
    kind = L.kind_of(out, torch_dtype)
    mean, std = float(mean), float(std)
    if not std > 0.0:
        raise RuntimeError("log_normal_ expects std > 0.0, but found std="
                           + B.g6(std))
    if not L.is_floating(kind):
        raise B.not_implemented("log_normal_cpu", kind)
    n = out.size
    if n == 0:
        return out
    g = B.stream(gen)
    with g.lock:
        v = _normal_serial(g, n, mean, std)
        v = F.libm_exp(v)
        return L.write_serial(out, L.from_double(v, kind))
