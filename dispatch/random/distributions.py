"""PyTorch 2.13's CPU random kernels on a ``HostGenerator``, in NumPy.

Every function writes into (or returns) NumPy arrays exactly as the
corresponding ATen CPU kernel fills a tensor of the same dtype and layout,
consuming the generator's stream in the same order. ``gen=None`` means
``default_generator``. See docs/random.md for the per-op algorithms.
"""

import math
import operator

import numpy as np

from . import _fmath as F
from . import _layout as L
from ._stlsort import topk_largest_indices
from .generator import default_generator

__all__ = [
    "uniform_", "normal_", "normal_tensor", "random_", "randint",
    "exponential_", "geometric_", "cauchy_", "log_normal_", "bernoulli_",
    "bernoulli", "randperm", "multinomial", "dropout_mask", "rand", "randn",
    "rand_like", "randn_like", "randint_like",
]

f32 = np.float32
f64 = np.float64
_MISSING = object()

_TWO_PI = 2.0 * math.pi
_TWO_PI_F_SCALED = f32(F._TWO_PI_F * f32(2.0 ** -24))


def _g(gen):
    return default_generator if gen is None else gen


def _check_array(out):
    if not isinstance(out, np.ndarray):
        raise TypeError("out must be a numpy.ndarray, got " + type(out).__name__)


def _not_implemented(op, kind):
    return NotImplementedError('"%s" not implemented for \'%s\''
                               % (op, L.scalar_name(kind)))


# ---------------------------------------------------------------------------
# Uniform bits -> floats (at::uniform_real_distribution with from=0, to=1)
# ---------------------------------------------------------------------------

def _u24(r32):
    """float32 in [0, 1): low 24 bits of one draw times 2**-24."""
    out = np.bitwise_and(r32, np.uint32(0xFFFFFF)).astype(f32)
    out *= f32(2.0 ** -24)
    return out


def _u53(r64):
    """float64 in [0, 1): low 53 bits of random64() times 2**-53."""
    out = np.bitwise_and(r64, np.uint64((1 << 53) - 1)).astype(f64)
    out *= 2.0 ** -53
    return out


# ---------------------------------------------------------------------------
# uniform_
# ---------------------------------------------------------------------------

_FINFO = {
    "float16": (-65504.0, 65504.0),
    "bfloat16": (-3.3895313892515355e38, 3.3895313892515355e38),
    "float32": (float(np.finfo(f32).min), float(np.finfo(f32).max)),
    "float64": (float(np.finfo(f64).min), float(np.finfo(f64).max)),
}


def uniform_(gen, out, low=0.0, high=1.0, *, torch_dtype=None):
    """``out.uniform_(low, high)``: opmath ``x*(to-from)+from`` fused into
    one FMA, then the cast, and a cast that rounds up to ``to`` becomes
    ``from``."""
    _check_array(out)
    kind = L.kind_of(out, torch_dtype)
    if kind not in _FINFO:
        raise _not_implemented("check_uniform_bounds", kind)
    lo_lim, hi_lim = _FINFO[kind]
    frm, to = float(low), float(high)
    name = L.cpp_name(kind)
    if not (lo_lim <= frm <= hi_lim):
        raise RuntimeError("from is out of bounds for " + name)
    if not (lo_lim <= to <= hi_lim):
        raise RuntimeError("to is out of bounds for " + name)
    if not frm <= to:
        raise RuntimeError("uniform_ expects to return a [from, to) range, but "
                           "found from=%s > to=%s" % (_g6(frm), _g6(to)))
    if not (to - frm) <= hi_lim:
        raise RuntimeError(
            "uniform_ expects to-from <= std::numeric_limits<%s>::max(), but "
            "found to=%s and from=%s which result in to-from to exceed the "
            "limit" % (L.scalar_name(kind), _g6(to), _g6(frm)))
    frm = min(max(frm, lo_lim), hi_lim)
    to = max(min(to, hi_lim), lo_lim)
    n = out.size
    if n == 0:
        return out
    g = _g(gen)
    with g.lock:
        if kind == "float64":
            x = _u53(g.random64(n))
            if not (frm == 0.0 and to == 1.0):
                x = F.fma64(x, to - frm, frm)
            vals = x
            to_s, from_s = to, frm
        else:
            x = _u24(g.random32(n))
            ff, tf = f32(frm), f32(to)
            if not (frm == 0.0 and to == 1.0):
                x = F.fma32(x, tf - ff, ff)
            vals = L.from_float(x, kind)
            to_s = L.from_double(to, kind)
            from_s = L.from_double(frm, kind)
        vals = np.where(vals == to_s, from_s, vals)
        return L.write_serial(out, vals)


def _g6(v):
    """C++ ostream's default formatting of a double (6 significant digits)."""
    return "%g" % v


# ---------------------------------------------------------------------------
# normal_
# ---------------------------------------------------------------------------

def _box_muller_double(g, n):
    """``n`` draws of ``at::normal_distribution<double>`` with mean 0, std 1,
    honouring and updating the generator's double cache.

    Each fresh pair uses two 53-bit uniforms u1, u2 (four raw draws):
    r = sqrt(-2 log1p(-u2)), theta = 2 pi u1; r cos(theta) is returned and
    r sin(theta) cached for the next call.
    """
    vals = np.empty(n, f64)
    i = 0
    if n and g.next_double_normal_sample is not None:
        vals[0] = g.next_double_normal_sample
        g.next_double_normal_sample = None
        i = 1
    m = n - i
    if m <= 0:
        return vals
    pairs = (m + 1) // 2
    u = _u53(g.random64(2 * pairs))
    u1 = u[0::2]
    u2 = u[1::2]
    r = np.sqrt(-2.0 * F.libm_log1p(-u2))
    theta = _TWO_PI * u1
    c = r * F.libm_cos(theta)
    s = r * F.libm_sin(theta)
    inter = np.empty(2 * pairs, f64)
    inter[0::2] = c
    inter[1::2] = s
    vals[i:] = inter[:m]
    if m % 2:
        g.next_double_normal_sample = float(s[-1])
    return vals


def _normal_serial(g, n, mean, std):
    """The per-element path (``n < 16`` or a non-contiguous output): double
    Box-Muller, ``val*std + mean`` contracted to one FMA."""
    v = _box_muller_double(g, n)
    if mean == 0.0 and std == 1.0 and not math.copysign(1.0, mean) < 0:
        # fma(v, 1, +0) is v, except that -0 becomes +0
        return v + 0.0
    return F.fma64(v, std, mean)


def _normal_fill_f32(g, n, mean, std, reduced=False, dest=None):
    """``normal_fill`` for float opmath: Box-Muller on blocks of 16 with the
    AVX2 log/sincos, the last 16 values recomputed from 16 fresh uniforms
    when n is not a multiple of 16.

    float32 first writes a uniform into every element, so it draws n + 16
    values for a ragged n; Half/BFloat16 (``reduced``) fill a 16-float
    buffer per block and draw only 16 * ceil(n / 16).
    """
    nb = n // 16
    out = np.empty(n, f32) if dest is None else dest
    if nb:
        _fill16_f32(g, nb, out[:16 * nb], mean, std)
    if n % 16:
        if not reduced:
            g.random32(n - 16 * nb)   # uniforms written, then overwritten
        tail = np.empty(16, f32)
        _fill16_f32(g, 1, tail, mean, std)
        out[n - 16:] = tail
    return out


def _fill16_f32(g, nblk, out, mean, std):
    """out <- NormalFill16<float> on the next ``nblk`` blocks of 16 uniforms
    (u1 from the first 8 draws of a block, u2 from the last 8).

    Draws are taken chunk by chunk, in stream order, so the raw words stay
    in cache."""
    trivial = (f32(mean) == 0 and f32(std) == 1
               and not np.signbit(f32(mean)))
    step = F._CHUNK_PAIRS // 8
    w = F._work(F._CHUNK_PAIRS)
    # a block half (8 x 4 bytes) as one 32-byte item: np.take/np.put move
    # them much faster than a (k, 2, 8) strided copy
    oblk = out.view("V32")
    for b0 in range(0, nblk, step):
        b1 = min(nblk, b0 + step)
        k = b1 - b0
        m = 8 * k
        rblk = g.random32(16 * k).view("V32")
        ra = w.ra[:m]
        rb = w.rb[:m]
        np.take(rblk, w.even[:k], out=ra.view("V32"))
        np.take(rblk, w.odd[:k], out=rb.view("V32"))
        # u1 = 1 - (bits & 0xFFFFFF) * 2**-24 == (2**24 - (bits & 0xFFFFFF))
        # * 2**-24, exactly
        np.bitwise_and(ra, np.int32(0xFFFFFF), out=ra)
        np.subtract(np.int32(1 << 24), ra, out=ra)
        u1 = w.e[:m]
        np.copyto(u1, ra, casting="unsafe")
        np.multiply(u1, f32(2.0 ** -24), out=u1)
        radius = F._log_into(u1, w.rad[:m], w)
        np.multiply(radius, f32(-2.0), out=radius)
        np.sqrt(radius, out=radius)
        # theta = float(2 pi) * u2, u2 = (bits & 0xFFFFFF) * 2**-24
        np.bitwise_and(rb, np.int32(0xFFFFFF), out=rb)
        theta = w.e[:m]
        np.copyto(theta, rb, casting="unsafe")
        # round(2pi_f * (k * 2**-24)) == round(k * (2pi_f * 2**-24)): scaling
        # by a power of two commutes with rounding
        np.multiply(theta, _TWO_PI_F_SCALED, out=theta)
        s, c = F._sincos_into(theta, w.s[:m], w.co[:m], w)
        np.multiply(c, radius, out=c)
        np.multiply(s, radius, out=s)
        if trivial:
            # fmadd(n, 1, +0) is n, except that -0 (u == 0 gives radius -0)
            # becomes +0
            np.add(c, f32(0), out=c)
            np.add(s, f32(0), out=s)
        else:
            c = F.fma32(c, f32(std), f32(mean))
            s = F.fma32(s, f32(std), f32(mean))
        np.put(oblk, w.even[:k] + 2 * b0, c.view("V32"))
        np.put(oblk, w.odd[:k] + 2 * b0, s.view("V32"))


def _normal_fill_f64(g, n, mean, std):
    """``normal_fill`` for double: scalar ``NormalFill16<double>`` with
    glibc log/cos/sin and ``std::fma``."""
    nb = n // 16
    extra = 16 if n % 16 else 0
    u = _u53(g.random64(n + extra))
    out = np.empty(n, f64)
    if nb:
        out[:16 * nb] = _fill16_f64(u[:16 * nb], mean, std)
    if extra:
        out[n - 16:] = _fill16_f64(u[n:n + 16], mean, std)
    return out


def _fill16_f64(u, mean, std):
    v = u.reshape(-1, 2, 8)
    u1 = 1.0 - v[:, 0, :]
    u2 = v[:, 1, :]
    radius = np.sqrt(-2.0 * F.libm_log(u1))
    theta = _TWO_PI * u2
    n1 = radius * F.libm_cos(theta)
    n2 = radius * F.libm_sin(theta)
    res = np.empty_like(v)
    if mean == 0.0 and std == 1.0 and not math.copysign(1.0, mean) < 0:
        res[:, 0, :] = n1 + 0.0
        res[:, 1, :] = n2 + 0.0
    else:
        res[:, 0, :] = F.fma64(n1, std, mean)
        res[:, 1, :] = F.fma64(n2, std, mean)
    return res.reshape(-1)


def normal_(gen, out, mean=0.0, std=1.0, *, torch_dtype=None):
    """``out.normal_(mean, std)`` (also ``randn``)."""
    _check_array(out)
    kind = L.kind_of(out, torch_dtype)
    mean, std = float(mean), float(std)
    if not std >= 0.0:
        raise RuntimeError("normal expects std >= 0.0, but found std " + _g6(std))
    if not L.is_floating(kind):
        raise _not_implemented("normal_kernel_cpu", kind)
    n = out.size
    if n == 0:
        return out
    g = _g(gen)
    with g.lock:
        if n >= 16 and out.flags.c_contiguous:
            if kind == "float64":
                out.reshape(-1)[...] = _normal_fill_f64(g, n, mean, std)
            elif kind == "float32":
                _normal_fill_f32(g, n, mean, std, dest=out.reshape(-1))
            else:
                v = _normal_fill_f32(g, n, mean, std, reduced=True)
                out.reshape(-1)[...] = L.from_float(v, kind)
            return out
        v = _normal_serial(g, n, mean, std)
        return L.write_serial(out, L.from_double(v, kind))


def normal_tensor(gen, mean, std, out=None, *, torch_dtype=None):
    """``torch.normal`` with a tensor mean and/or std.

    PyTorch draws standard normals into a contiguous output of the broadcast
    shape (with ``std`` folded in when only ``mean`` is a tensor), then does
    ``output.mul_(std).add_(mean)`` as two separately rounded ops.
    """
    mean_is_t = isinstance(mean, np.ndarray)
    std_is_t = isinstance(std, np.ndarray)
    if not (mean_is_t or std_is_t):
        raise TypeError("normal_tensor needs mean or std as an array; use "
                        "normal_ for two scalars")
    if std_is_t:
        if std.size and not (std.min() >= 0):
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif not float(std) >= 0.0:
        raise RuntimeError("normal expects std >= 0.0, but found std "
                           + _g6(float(std)))
    if mean_is_t and std_is_t:
        shape = np.broadcast_shapes(mean.shape, std.shape)
        dtype = mean.dtype
    elif mean_is_t:
        shape, dtype = mean.shape, mean.dtype
    else:
        shape, dtype = std.shape, std.dtype
    if out is None:
        out = np.empty(shape, dtype)
    elif out.shape != tuple(shape):
        raise RuntimeError("out has shape %s, expected %s"
                           % (tuple(out.shape), tuple(shape)))
    kind = L.kind_of(out, torch_dtype)
    if mean_is_t and not std_is_t:
        normal_(gen, out, 0.0, float(std), torch_dtype=torch_dtype)
        _inplace(out, np.add, mean, kind)
    else:
        normal_(gen, out, 0.0, 1.0, torch_dtype=torch_dtype)
        _inplace(out, np.multiply, std, kind)
        if mean_is_t:
            _inplace(out, np.add, mean, kind)
        else:
            # at::full({}, mean, output.options()): mean rounded to out's dtype
            m = L.from_double(float(mean), kind)
            _inplace(out, np.add, m, kind)
    return out


def _inplace(out, op, other, kind):
    """``out.op_(other)``: computed in the promoted dtype, cast back."""
    if kind == "bfloat16":
        res = op(out, other)
        out[...] = L.round_bf16(np.asarray(res, dtype=f32))
    elif kind == "float16":
        # torch's Half arithmetic runs in float and rounds once, as NumPy does
        op(out, other, out=out, casting="unsafe")
    else:
        op(out, other, out=out, casting="unsafe")


# ---------------------------------------------------------------------------
# random_ / randint
# ---------------------------------------------------------------------------

_INT_LIMITS = {
    "bool": (0, 1), "uint8": (0, 255), "int8": (-128, 127),
    "int16": (-32768, 32767), "int32": (-2 ** 31, 2 ** 31 - 1),
    "int64": (-2 ** 63, 2 ** 63 - 1), "uint16": (0, 65535),
    "uint32": (0, 2 ** 32 - 1), "uint64": (0, 2 ** 64 - 1),
}
_DIGITS = {"float16": 11, "bfloat16": 8, "float32": 24, "float64": 53}
_I64_MIN = -2 ** 63
_I64_MAX = 2 ** 63 - 1
_M64 = (1 << 64) - 1


def _cast_int64_to(v, kind):
    """``static_cast<scalar_t>(int64_t)`` applied to an int64 array."""
    v = np.asarray(v, dtype=np.int64)
    if kind == "bool":
        return v != 0
    if kind in _INT_LIMITS:
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
        lo, hi = _FINFO[kind]
        if not (lo <= frm <= hi):
            raise RuntimeError("from is out of bounds for " + name)
        if not (lo <= to_inc <= hi):
            raise RuntimeError("to - 1 is out of bounds for " + name)
        digits = _DIGITS[kind]
        for var, label in ((frm, "from"), (to_inc, "to - 1")):
            if var < -(1 << digits) or var > (1 << digits):
                import warnings
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
        lo, hi = _INT_LIMITS[kind]
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
    hi = _INT_LIMITS[kind][1]
    v = v % np.uint64(hi + 1)
    return v.astype(kind)


def random_(gen, out, *args, torch_dtype=None):
    """``out.random_(*args)`` with torch's overloads:

    * ``random_(gen, out)``: [0, 2**mantissa] for floats, [0, max] for ints;
    * ``random_(gen, out, to)``: [0, to);
    * ``random_(gen, out, from_, to)``: [from_, to); ``to=None`` means up to
      the dtype's maximum (and ``from_=-2**63, to=None`` the full 64 bits).
    """
    _check_array(out)
    kind = L.kind_of(out, torch_dtype)
    if kind not in _INT_LIMITS and kind not in _DIGITS:
        raise TypeError("random_ does not support dtype " + kind)
    if len(args) > 2:
        raise TypeError("random_ takes at most 2 bounds")
    g = _g(gen)
    n = out.size
    if len(args) == 0:
        if kind in ("uint16", "uint32", "uint64"):
            raise _not_implemented("random_kernel_cpu", kind)
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
            to_inc = 1 if kind == "bool" else _INT_LIMITS[kind][1]
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
                raise _not_implemented("random_full_64_bits_range_kernel_cpu",
                                       kind)
            raise RuntimeError("random_full_64_bits_range_kernel_cpu handles "
                               "only int64, double, float and bfloat16")
        with g.lock:
            v = g.random64(n).view(np.int64)
            return L.write_serial(out, _cast_int64_to(v, kind))
    with g.lock:
        return L.write_serial(out, _from_to_values(g, n, rng, frm, kind))


def randint(gen, low, high, size=None, dtype=np.int64, *, torch_dtype=None):
    """``torch.randint(low, high, size)``, or ``randint(gen, high, size)``
    like ``torch.randint(high, size)``: ``empty(size).random_(low, high)``."""
    if size is None:
        low, high, size = 0, low, high
    out = np.empty(tuple(size), dtype)
    return random_(gen, out, low, high, torch_dtype=torch_dtype)


# ---------------------------------------------------------------------------
# exponential_, geometric_, cauchy_, log_normal_
# ---------------------------------------------------------------------------

def exponential_(gen, out, lambd=1.0, *, torch_dtype=None):
    """``out.exponential_(lambd)``: ``-1/lambd * log1p(-u)`` in double."""
    _check_array(out)
    kind = L.kind_of(out, torch_dtype)
    lambd = float(lambd)
    if not lambd > 0.0:
        raise RuntimeError("exponential_ expects lambda > 0.0, but found "
                           "lambda=" + _g6(lambd))
    if not L.is_floating(kind):
        raise RuntimeError(
            "Exponential distribution is a continuous probability distribution."
            " dtype must be a floating point but you specified "
            + L.scalar_name(kind))
    n = out.size
    if n == 0:
        return out
    g = _g(gen)
    with g.lock:
        u = _u53(g.random64(n))
        v = (-1.0 / lambd) * F.libm_log1p(-u)
        return L.write_serial(out, L.from_double(v, kind))


def geometric_(gen, out, p, *, torch_dtype=None):
    """``out.geometric_(p)``: ``ceil(log(u) / log1p(-p))`` in double."""
    _check_array(out)
    kind = L.kind_of(out, torch_dtype)
    p = float(p)
    if not (0 < p < 1):
        raise RuntimeError("geometric_ expects p to be in (0, 1), but got p="
                           + _g6(p))
    if kind in ("uint16", "uint32", "uint64", "bool"):
        raise _not_implemented("geometric_cpu", kind)
    n = out.size
    if n == 0:
        return out
    g = _g(gen)
    with g.lock:
        u = _u53(g.random64(n))
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
    _check_array(out)
    kind = L.kind_of(out, torch_dtype)
    median, sigma = float(median), float(sigma)
    if not sigma > 0.0:
        raise RuntimeError("cauchy_ expects sigma > 0.0, but found sigma="
                           + _g6(sigma))
    if not L.is_floating(kind):
        raise RuntimeError(
            "Cauchy distribution is a continuous probability distribution. "
            "dtype must be a floating point but you specified "
            + L.scalar_name(kind))
    n = out.size
    if n == 0:
        return out
    g = _g(gen)
    with g.lock:
        u = _u53(g.random64(n))
        t = F.libm_tan(math.pi * (u - 0.5))
        v = F.fma64(sigma, t, median)
        return L.write_serial(out, L.from_double(v, kind))


def log_normal_(gen, out, mean=1.0, std=2.0, *, torch_dtype=None):
    """``out.log_normal_(mean, std)``: ``exp`` of the double normal (which
    shares the Box-Muller cache)."""
    _check_array(out)
    kind = L.kind_of(out, torch_dtype)
    mean, std = float(mean), float(std)
    if not std > 0.0:
        raise RuntimeError("log_normal_ expects std > 0.0, but found std="
                           + _g6(std))
    if not L.is_floating(kind):
        raise _not_implemented("log_normal_cpu", kind)
    n = out.size
    if n == 0:
        return out
    g = _g(gen)
    with g.lock:
        v = _normal_serial(g, n, mean, std)
        v = F.libm_exp(v)
        return L.write_serial(out, L.from_double(v, kind))


# ---------------------------------------------------------------------------
# bernoulli, dropout
# ---------------------------------------------------------------------------

def _cast_01(b, kind):
    if kind == "bool":
        return b
    if kind == "bfloat16":
        return b.astype(f32)
    return b.astype(kind)


def bernoulli_(gen, out, p=0.5, *, torch_dtype=None):
    """``out.bernoulli_(p)``.

    Scalar p: ``u < p`` with a 53-bit double uniform per element (PyTorch's
    default kernel; builds with MKL use MKL's stream on Intel CPUs instead,
    see docs/random.md). Array p (broadcast to ``out``): float64 p uses the
    53-bit double uniform, other float p a 24-bit float uniform.
    """
    _check_array(out)
    kind = L.kind_of(out, torch_dtype)
    n = out.size
    g = _g(gen)
    if isinstance(p, np.ndarray):
        if n == 0:
            return out
        if p.dtype.kind != "f":
            raise _not_implemented("bernoulli_tensor_cpu_p_", p.dtype.name)
        pe = np.broadcast_to(p, out.shape)
        flat_p = L.read_serial(pe, out)
        with g.lock:
            if p.dtype == np.float64:
                u = _u53(g.random64(n))
                b = u < flat_p
            else:
                u = _u24(g.random32(n))
                b = u < flat_p.astype(f32)
            return L.write_serial(out, _cast_01(b, kind))
    p = float(p)
    if not (0 <= p <= 1):
        raise RuntimeError("bernoulli_ expects p to be in [0, 1], but got p="
                           + _g6(p))
    if n == 0:
        return out
    with g.lock:
        b = _u53(g.random64(n)) < p
        return L.write_serial(out, _cast_01(b, kind))


def bernoulli(gen, p, *, p_scalar=None, torch_dtype=None):
    """``torch.bernoulli(input)`` (``p`` is the probability array; the result
    is a new contiguous array of its dtype) or, with ``p_scalar``,
    ``torch.bernoulli(input, p_scalar)`` (also a new contiguous array; only
    ``input``'s shape and dtype matter)."""
    # both overloads allocate with LEGACY_CONTIGUOUS_MEMORY_FORMAT
    out = np.empty(p.shape, p.dtype)
    if p_scalar is None:
        return bernoulli_(gen, out, p, torch_dtype=torch_dtype)
    return bernoulli_(gen, out, float(p_scalar), torch_dtype=torch_dtype)


def dropout_mask(gen, like, p, dtype=None, *, feature=False,
                 torch_dtype=None):
    """The noise ``F.dropout(x, p, training=True)`` multiplies ``x`` by.

    CPU ``dropout`` is ``x * (empty_like(x).bernoulli_(1-p) / (1-p))``. The
    noise has ``x``'s layout (so a transposed ``x`` is drawn in its memory
    order), or ``(N, C, 1, ...)`` contiguous for feature dropout
    (``dropout1d/2d/3d``). For p == 0 or p == 1 PyTorch draws nothing; the
    mask is then all ones / all zeros.

    ``like`` is an array (its shape and strides count) or a shape tuple.
    """
    if not isinstance(like, np.ndarray):
        like = np.empty(tuple(like), f32 if dtype is None else dtype)
    dtype = like.dtype if dtype is None else np.dtype(dtype)
    p = float(p)
    if p < 0.0 or p > 1.0:
        raise ValueError("dropout probability has to be between 0 and 1, but "
                         "got " + repr(p))
    if feature:
        shape = like.shape[:2] + (1,) * max(like.ndim - 2, 0)
        noise = np.empty(shape, dtype)
    else:
        noise = L.empty_like(like, dtype)
    if p == 0.0 or like.size == 0:
        noise[...] = 1
        return noise
    if p == 1.0:
        noise[...] = 0
        return noise
    kind = L.kind_of(noise, torch_dtype)
    bernoulli_(gen, noise, 1.0 - p, torch_dtype=torch_dtype)
    if kind == "float64":
        noise /= (1.0 - p)
    elif kind == "float32":
        noise /= f32(1.0 - p)
    else:
        # reduced floats: a * (1 / b) with b the scalar in float
        scale = f32(1.0) / f32(1.0 - p)
        res = noise.astype(f32) * scale
        noise[...] = L.from_float(res, kind)
    return noise


# ---------------------------------------------------------------------------
# randperm
# ---------------------------------------------------------------------------

_RANDPERM_SMALL = (2 ** 32 - 1) // 20


def _pointer_jump(parent):
    """Roots of a forest given as parent pointers (roots point to
    themselves), by repeated squaring."""
    while True:
        nxt = parent[parent]
        if np.array_equal(nxt, parent):
            return parent
        parent = nxt


def _group_by_value(vals, n):
    """Sort step indices 0..len-1 by (vals, index).

    Returns (sorted values, step indices in that order). Sorting the packed
    keys val*n + index is several times faster than a stable argsort."""
    m = vals.size
    idx = np.arange(m, dtype=np.int64)
    if n * n < 2 ** 62:
        keys = vals * n
        keys += idx
        keys.sort()
        vs = keys // n
        order = keys - vs * n
        return vs, order
    order = np.argsort(vals, kind="stable")
    return vals[order], order


def _latest_per_group(vs, order):
    """For each group of equal values (in sorted order): the value, the
    position of its last member and that member's step index."""
    last = np.ones(vs.size, np.bool_)
    last[:-1] = vs[1:] != vs[:-1]
    pos = np.flatnonzero(last)
    return vs[pos], pos, order[pos]


def _previous_same(vs, order, size):
    """prev[k]: the latest step before k with the same value, or -1."""
    prev = np.full(size, -1, np.int64)
    same = vs[1:] == vs[:-1]
    prev[order[1:][same]] = order[:-1][same]
    return prev


def _randperm_swap(z):
    """Result of ``for i < n-1: swap(a[i], a[i + z[i]])`` on a = 0..n-1.

    Position i is final after step i and receives what position i+z[i]
    holds then; what a position holds is the value carried there by the
    latest earlier step targeting it. Resolving those references with a
    sort and pointer jumping gives the permutation without a Python loop.
    """
    n = z.size + 1
    if n == 1:
        return np.zeros(1, np.int64)
    j = np.arange(n - 1, dtype=np.int64)
    j += z                                        # target of step i
    js, order = _group_by_value(j, n)
    prev = _previous_same(js, order, n - 1)
    # parent[v]: latest step k < v that targeted position v; the value at
    # position v when step v runs is c[v] = c[parent[v]] (or v itself)
    val, pos, k = _latest_per_group(js, order)
    self_hit = k == val                           # step v targeted itself
    before = np.maximum(pos - 1, 0)
    alt = np.where((pos > 0) & (js[before] == val), order[before], -1)
    k = np.where(self_hit, alt, k)
    parent = np.arange(n, dtype=np.int64)
    ok = k >= 0
    parent[val[ok]] = k[ok]
    c = _pointer_jump(parent)
    res = np.empty(n, np.int64)
    has_prev = prev >= 0
    res[:n - 1] = j
    res[:n - 1][has_prev] = c[prev[has_prev]]
    res[n - 1] = c[n - 1]
    return res


def _randperm_inside_out(z):
    """Result of ``for i: a[i] = a[z[i]]; a[z[i]] = i`` (z[i] <= i).

    a[p] ends as the latest step i > p with z[i] == p, if any; otherwise as
    w(p), the value step p wrote: p itself when z[p] == p, else what
    position z[p] held then -- the latest step in (z[p], p) that targeted
    z[p], or failing that w(z[p])."""
    n = z.size
    v = np.arange(n, dtype=np.int64)
    zs, order = _group_by_value(z, n)
    prev = _previous_same(zs, order, n)
    val, pos, k = _latest_per_group(zs, order)
    final = np.full(n, -1, np.int64)
    later = k > val
    final[val[later]] = k[later]
    selfz = z == v
    use_prev = (~selfz) & (prev > z)
    direct = np.full(n, -1, np.int64)
    direct[use_prev] = prev[use_prev]
    direct[selfz] = v[selfz]
    w_parent = np.where(direct >= 0, v, z)
    w = direct[_pointer_jump(w_parent)]
    return np.where(final >= 0, final, w)


def randperm(gen, n, dtype=np.int64):
    """``torch.randperm(n)``: for n < (2**32-1)/20 the swap shuffle with
    ``random() % (n - i)``; above, the inside-out shuffle with
    ``random64() % (i + 1)``."""
    n = operator.index(n)
    if n < 0:
        raise RuntimeError("Trying to create tensor with negative dimension "
                           "%d: [%d]" % (n, n))
    dtype = np.dtype(dtype)
    kind = dtype.name
    top = n - 1 if n > 0 else n
    if kind in _INT_LIMITS and kind != "bool":
        lo, hi = _INT_LIMITS[kind]
        if top > hi:
            raise RuntimeError("value cannot be converted to type %s without "
                               "overflow" % _CTYPE.get(kind, kind))
    if kind == "float16" and n > (1 << 11) + 1:
        raise RuntimeError("n cannot be greater than 2049 for Half type.")
    if kind == "float32" and n > (1 << 24) + 1:
        raise RuntimeError("n cannot be greater than 2^24+1 for Float type.")
    if kind == "float64" and n > (1 << 53) + 1:
        raise RuntimeError("n cannot be greater than 2^53+1 for Double type.")
    g = _g(gen)
    if n == 0:
        return np.empty(0, dtype)
    with g.lock:
        if n < _RANDPERM_SMALL:
            if n == 1:
                return np.zeros(1, dtype)
            r = g.random32(n - 1).astype(np.int64)
            z = r % np.arange(n, 1, -1, dtype=np.int64)
            res = _randperm_swap(z)
        else:
            r = g.random64(n)
            z = (r % np.arange(1, n + 1, dtype=np.uint64)).astype(np.int64)
            res = _randperm_inside_out(z)
    return res.astype(dtype)


_CTYPE = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t",
          "int32": "int32_t", "int64": "int64_t", "uint16": "uint16_t",
          "uint32": "uint32_t", "uint64": "uint64_t"}


# ---------------------------------------------------------------------------
# multinomial
# ---------------------------------------------------------------------------

def multinomial(gen, probs, num_samples, replacement=False):
    """``torch.multinomial(probs, num_samples, replacement)`` (1-D or 2-D).

    Without replacement, and for a single sample, PyTorch ranks
    ``probs / Exp(1)`` (``exponential_`` on an ``empty_like(probs)``) with
    ``argmax``/``topk``; with replacement it binary-searches a float
    cumulative sum per row with one 53-bit uniform per sample.
    """
    _check_array(probs)
    if not (1 <= probs.ndim <= 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if probs.dtype.kind != "f":
        raise RuntimeError("multinomial only supports floating-point dtypes "
                           "for input, got: " + L.scalar_name(probs.dtype.name))
    n_sample = operator.index(num_samples)
    if n_sample <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n_cat = probs.shape[-1]
    if not (replacement or n_sample <= n_cat):
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) "
                           "samples without replacement")
    if n_cat > (1 << 24):
        raise RuntimeError("number of categories cannot exceed 2^24")
    n_dist = probs.shape[0] if probs.ndim == 2 else 1
    res_shape = (n_sample,) if probs.ndim == 1 else (n_dist, n_sample)
    if n_dist * n_sample == 0:
        return np.empty(res_shape, np.int64)
    g = _g(gen)
    if not replacement or n_sample == 1:
        return _multinomial_race(g, probs, n_sample, res_shape)
    return _multinomial_cdf(g, probs, n_sample, res_shape)


def _multinomial_race(g, probs, k, res_shape):
    if probs.size:
        if not (np.all(np.isfinite(probs)) and np.min(probs) >= 0):
            raise RuntimeError("probability tensor contains either `inf`, "
                               "`nan` or element < 0")
    p2 = probs.reshape(-1, probs.shape[-1]) if probs.ndim == 2 else probs[None]
    sums = p2.sum(axis=1, dtype=f64 if probs.dtype == f64 else f32)
    if np.any(sums == 0):
        raise RuntimeError("invalid multinomial distribution (sum of "
                           "probabilities <= 0)")
    q = L.empty_like(probs)
    exponential_(g, q, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = probs / q
    r2 = ratio.reshape(-1, ratio.shape[-1]) if ratio.ndim == 2 else ratio[None]
    if k == 1:
        idx = np.argmax(r2, axis=1)[:, None]
    else:
        idx = np.empty((r2.shape[0], k), np.int64)
        for row in range(r2.shape[0]):
            idx[row] = _topk_row(r2[row], k)
    return idx.reshape(res_shape).astype(np.int64)


def _topk_row(vals, k):
    """``topk(vals, k).indices`` for one row: a stable NumPy sort unless
    equal values decide the selection or order, then libstdc++ itself."""
    v = vals.astype(f64)
    if not np.any(np.isnan(v)):
        order = np.argsort(-v, kind="stable")
        sv = v[order]
        lim = min(k + 1, sv.size)
        head = sv[:lim]
        if not np.any(head[1:] == head[:-1]):
            return order[:k]
    return np.array(topk_largest_indices(v, k), np.int64)


def _multinomial_cdf(g, probs, n_sample, res_shape):
    acc = f64 if probs.dtype == f64 else f32  # Half/BFloat16 sum in float
    p2 = probs.reshape(-1, probs.shape[-1]) if probs.ndim == 2 else probs[None]
    n_dist, n_cat = p2.shape
    out = np.empty((n_dist, n_sample), np.int64)
    with g.lock:
        for row in range(n_dist):
            vals = p2[row].astype(acc)
            # the kernel checks entries while accumulating, row by row, after
            # earlier rows have drawn their samples; the first bad entry
            # decides the message, and NaN fails the "< 0" test first
            bad = ~(vals >= 0) | ~np.isfinite(vals)
            if np.any(bad):
                first = vals[np.argmax(bad)]
                if not first >= 0:
                    raise RuntimeError("invalid multinomial distribution "
                                       "(encountering probability entry < 0)")
                raise RuntimeError("invalid multinomial distribution "
                                   "(encountering probability entry = "
                                   "infinity or NaN)")
            cum = np.cumsum(vals, dtype=acc)     # sequential, like the loop
            total = cum[-1]
            if not total > 0:
                raise RuntimeError("invalid multinomial distribution (sum of "
                                   "probabilities <= 0)")
            cum = cum / total
            cum[-1] = 1
            u = _u53(g.random64(n_sample))
            out[row] = _lower_bound(cum.astype(f64), u)
    return out.reshape(res_shape)


def _lower_bound(cum, u):
    """The kernel's binary search (first index with cum >= u), vectorised
    over the samples; identical to it even if cum were not sorted."""
    left = np.zeros(u.size, np.int64)
    right = np.full(u.size, cum.size, np.int64)
    while True:
        active = right > left
        if not np.any(active):
            return left
        mid = left + (right - left) // 2
        midc = np.minimum(mid, cum.size - 1)
        go_right = active & (cum[midc] < u)
        go_left = active & ~go_right
        left = np.where(go_right, mid + 1, left)
        right = np.where(go_left, mid, right)


# ---------------------------------------------------------------------------
# Factories
# ---------------------------------------------------------------------------

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
