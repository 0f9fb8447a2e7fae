"""random_ and randint: PyTorch's integer draws (``uniform_int_from_to`` and
the full-range / default-range variants), for integer and float outputs."""

import operator
import warnings

import numpy as np

from . import bits as B
from . import layout as L

f32 = np.float32
f64 = np.float64

_DIGITS = {"float16": 11, "bfloat16": 8, "float32": 24, "float64": 53}
_I64_MIN = -2 ** 63
_I64_MAX = 2 ** 63 - 1
_M64 = (1 << 64) - 1


def _cast_int64_to(v, kind):
    """``static_cast<scalar_t>(int64_t)`` applied to an int64 array."""
    v = np.asarray(v, dtype=np.int64)
    if kind == "bool":
        return v != 0
    if kind in L.INT_LIMITS:
        return v.astype(kind)  # modular, as C++20 integral conversion
    if kind == "float64":
        return v.astype(f64)
    v32 = v.astype(f32)  # RNE, like cvtsi2ss
    return L.from_float(v32, kind)


def _update_from(frm, kind):
    digits = _DIGITS[kind]
    from_plus_1 = _to_int64_sat(_cast_int64_to(np.array([frm + 1]), kind)[0])
    if from_plus_1 < frm:
        f_ = abs(frm + 1)
        n = f_.bit_length() - 1 if f_ else 0
        frm = from_plus_1 + (1 << (n - digits + 1))
    return frm


def _update_to(to, kind):
    digits = _DIGITS[kind]
    to_minus_1 = _to_int64_sat(_cast_int64_to(np.array([to - 1]), kind)[0])
    if to_minus_1 >= to:
        t_ = abs(to - 1)
        n = t_.bit_length() - 1 if t_ else 0
        to = to_minus_1 - (1 << (n - digits + 1))
    return to


def _to_int64_sat(x):
    # static_cast<int64_t>(float) of an out-of-range value is UB; x86's
    # cvttsd2si yields INT64_MIN, which is what PyTorch ends up with.
    x = float(x)
    if not (-2.0 ** 63 <= x < 2.0 ** 63):
        return _I64_MIN
    return int(x)


def _check_from_to_in_range(frm, to_inc, kind):
    name = L.cpp_name(kind)
    if L.is_floating(kind):
        lo, hi = L.FLOAT_LIMITS[kind]
        if not (lo <= frm <= hi):
            raise RuntimeError("from is out of bounds for " + name)
        if not (lo <= to_inc <= hi):
            raise RuntimeError("to - 1 is out of bounds for " + name)
        digits = _DIGITS[kind]
        for var, label in ((frm, "from"), (to_inc, "to - 1")):
            if var < -(1 << digits) or var > (1 << digits):
                warnings.warn(
                    "%s is out of bounds [-(2^%d), 2^%d]. Due to precision "
                    "limitations %s can support discrete uniform distribution "
                    "only within this range. This warning will become an error "
                    "in version 1.7 release, please fix the code in advance"
                    % (label, digits, digits, name))
    elif kind == "uint64":
        if not (0 <= frm <= _I64_MAX):
            raise RuntimeError("from is out of bounds for " + name)
        if not (0 <= to_inc <= _I64_MAX):
            raise RuntimeError("to - 1 is out of bounds for " + name)
    else:
        lo, hi = L.INT_LIMITS[kind]
        if not (lo <= frm <= hi):
            raise RuntimeError("from is out of bounds for " + name)
        if not (lo <= to_inc <= hi):
            raise RuntimeError("to - 1 is out of bounds for " + name)


def _from_to_values(g, n, rng, base, kind):
    """``uniform_int_from_to_distribution``: draw % range + base in uint64
    arithmetic, through int64 to scalar_t; 64-bit draws from range 2**28."""
    if rng >= (1 << 28):
        v = g.random64(n)
    else:
        v = g.random32(n).astype(np.uint64)
    v = v % np.uint64(rng)
    v = v + np.uint64(base & _M64)  # wraps mod 2**64
    return _cast_int64_to(v.view(np.int64), kind)


def _random_default_values(g, n, kind):
    """``random_()``: ``uniform_int_distribution<scalar_t>``."""
    if kind in ("float64", "int64"):
        v = g.random64(n)
    else:
        v = g.random32(n).astype(np.uint64)
    if kind == "bool":
        return (v & np.uint64(1)) != 0
    if kind in _DIGITS:
        mod = (1 << _DIGITS[kind]) + 1
        v = (v % np.uint64(mod)).astype(np.int64)
        return _cast_int64_to(v, kind)
    hi = L.INT_LIMITS[kind][1]
    v = v % np.uint64(hi + 1)
    return v.astype(kind)


def random_(gen, out, *args, torch_dtype=None):
    """``out.random_(*args)`` with torch's overloads:

    * ``random_(gen, out)``: [0, 2**mantissa] for floats, [0, max] for ints;
    * ``random_(gen, out, to)``: [0, to);
    * ``random_(gen, out, from_, to)``: [from_, to); ``to=None`` means up to
      the dtype's maximum (and ``from_=-2**63, to=None`` the full 64 bits).
    """
    B.check_array(out)
    kind = L.kind_of(out, torch_dtype)
    if kind not in L.INT_LIMITS and kind not in _DIGITS:
        raise TypeError("random_ does not support dtype " + kind)
    if len(args) > 2:
        raise TypeError("random_ takes at most 2 bounds")
    g = B.stream(gen)
    n = out.size
    if len(args) == 0:
        if kind in ("uint16", "uint32", "uint64"):
            raise B.not_implemented("random_kernel_cpu", kind)
        if n == 0:
            return out
        with g.lock:
            return L.write_serial(out, _random_default_values(g, n, kind))
    if len(args) == 1:
        frm, to = 0, args[0]
        if to is None:
            raise TypeError("random_(to) needs an integer 'to'")
    else:
        frm, to = args
    frm = operator.index(frm)
    if to is not None:
        to = operator.index(to)
        if not frm < to:
            raise RuntimeError("random_ expects 'from' to be less than 'to', "
                               "but got from=%d >= to=%d" % (frm, to))
        if L.is_floating(kind):
            frm = _update_from(frm, kind)
            to = _update_to(to, kind)
            if not frm < to:
                raise RuntimeError(
                    "random_ expects 'from' casted to dtype to be less than "
                    "'to' casted to dtype, but got from=%d >= to=%d" % (frm, to))
        _check_from_to_in_range(frm, to - 1, kind)
        if n == 0:
            return out
        rng = (to - frm) & _M64
    elif frm != _I64_MIN:
        if L.is_floating(kind):
            to_inc = min(1 << _DIGITS[kind], _I64_MAX)
            frm = _update_from(frm, kind)
            if not frm < to_inc:
                raise RuntimeError(
                    "random_ expects 'from' casted to dtype to be less than or "
                    "equal to 'to_inc' casted to dtype, but got from=%d > "
                    "to_inc=%d" % (frm, to_inc))
        else:
            to_inc = 1 if kind == "bool" else L.INT_LIMITS[kind][1]
            # static_cast<int64_t>(max): uint64's max wraps to -1
            to_inc = ((to_inc + 2 ** 63) % 2 ** 64) - 2 ** 63
        _check_from_to_in_range(frm, to_inc, kind)
        if n == 0:
            return out
        rng = (to_inc - frm + 1) & _M64
    else:
        if n == 0:
            return out
        if kind not in ("int64", "float64", "float32", "bfloat16"):
            if kind in ("bool", "float16", "uint16", "uint32", "uint64"):
                raise B.not_implemented("random_full_64_bits_range_kernel_cpu",
                                       kind)
            raise RuntimeError("random_full_64_bits_range_kernel_cpu handles "
                               "only int64, double, float and bfloat16")
        with g.lock:
            v = g.random64(n).view(np.int64)
            return L.write_serial(out, _cast_int64_to(v, kind))
    with g.lock:
        return L.write_serial(out, _from_to_values(g, n, rng, frm, kind))
