"""uniform_, normal_ and torch.normal with tensor arguments, as PyTorch 2.13's
CPU kernels draw them (the generator is passed in; see docs/random.md).

Each function writes into (or returns) NumPy arrays exactly as the ATen CPU
kernel fills a tensor of the same dtype and layout, consuming the generator's
stream in the same order.
"""

import math

import numpy as np

from . import bits as B
from . import float_math as F
from . import layout as L

f32 = np.float32
f64 = np.float64

_TWO_PI = 2.0 * math.pi
_TWO_PI_F_SCALED = f32(F._TWO_PI_F * f32(2.0 ** -24))


def uniform_(gen, out, low=0.0, high=1.0, *, torch_dtype=None):
    """``out.uniform_(low, high)``: opmath ``x*(to-from)+from`` fused into
    one FMA, then the cast, and a cast that rounds up to ``to`` becomes
    ``from``."""
    B.check_array(out)
    kind = L.kind_of(out, torch_dtype)
    if kind not in L.FLOAT_LIMITS:
        raise B.not_implemented("check_uniform_bounds", kind)
    lo_lim, hi_lim = L.FLOAT_LIMITS[kind]
    frm, to = float(low), float(high)
    name = L.cpp_name(kind)
    if not (lo_lim <= frm <= hi_lim):
        raise RuntimeError("from is out of bounds for " + name)
    if not (lo_lim <= to <= hi_lim):
        raise RuntimeError("to is out of bounds for " + name)
    if not frm <= to:
        raise RuntimeError("uniform_ expects to return a [from, to) range, but "
                           "found from=%s > to=%s" % (B.g6(frm), B.g6(to)))
    if not (to - frm) <= hi_lim:
        raise RuntimeError(
            "uniform_ expects to-from <= std::numeric_limits<%s>::max(), but "
            "found to=%s and from=%s which result in to-from to exceed the "
            "limit" % (L.scalar_name(kind), B.g6(to), B.g6(frm)))
    frm = min(max(frm, lo_lim), hi_lim)
    to = max(min(to, hi_lim), lo_lim)
    n = out.size
    if n == 0:
        return out
    g = B.stream(gen)
    with g.lock:
        if kind == "float64":
            x = B.u53(g.random64(n))
            if not (frm == 0.0 and to == 1.0):
                x = F.fma64(x, to - frm, frm)
            vals = x
            to_s, from_s = to, frm
        else:
            x = B.u24(g.random32(n))
            ff, tf = f32(frm), f32(to)
            if not (frm == 0.0 and to == 1.0):
                x = F.fma32(x, tf - ff, ff)
            vals = L.from_float(x, kind)
            to_s = L.from_double(to, kind)
            from_s = L.from_double(frm, kind)
        vals = np.where(vals == to_s, from_s, vals)
        return L.write_serial(out, vals)


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
    u = B.u53(g.random64(2 * pairs))
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
    u = B.u53(g.random64(n + extra))
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
    B.check_array(out)
    kind = L.kind_of(out, torch_dtype)
    mean, std = float(mean), float(std)
    if not std >= 0.0:
        raise RuntimeError("normal expects std >= 0.0, but found std " + B.g6(std))
    if not L.is_floating(kind):
        raise B.not_implemented("normal_kernel_cpu", kind)
    n = out.size
    if n == 0:
        return out
    g = B.stream(gen)
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
                           + B.g6(float(std)))
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
