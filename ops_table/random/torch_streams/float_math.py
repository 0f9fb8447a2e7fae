"""Bit-exact NumPy emulations of the floating-point code inside PyTorch's
CPU random kernels.

Three things are needed beyond plain NumPy arithmetic:

* fused multiply-add. ATen's kernels are compiled with GCC's default
  ``-ffp-contract=fast`` in the AVX2/AVX512 translation units, so ``a*b + c``
  in ``uniform_``, ``normal_``, ``cauchy_``... is one rounding, not two.
  NumPy has no fma; we emulate it exactly (``fma32``, ``fma64``).
* the libm results (``log``, ``log1p``, ``exp``, ``tan``, ``sin``, ``cos``
  in double). PyTorch calls glibc; NumPy's own SIMD ``log``/``exp``/``tan``
  differ from glibc by an ulp on a large fraction of inputs, so these go
  through Python's ``math`` module, which is glibc (``libm_*``).
* the AVX2 ``log256_ps``/``sincos256_ps`` of ATen's ``avx_mathfun.h`` used by
  ``randn`` for float32 from 16 elements, including the spots where GCC
  contracted a multiply and an add into an FMA (``avx_log``/``avx_sincos``).
"""

import math
import threading

import numpy as np

f32 = np.float32
f64 = np.float64

_U32 = np.uint32
_U64 = np.uint64

# ---------------------------------------------------------------------------
# Exact fused multiply-add
# ---------------------------------------------------------------------------


def fma32(a, b, c):
    """Correctly rounded float32 ``a*b + c`` for float32 inputs (arrays or
    scalars, broadcast).

    The float64 product of two float32 values is exact; the float64 sum is
    rounded once, and rounding that to float32 is wrong only when the float64
    sum lands exactly on a float32 midpoint while the true sum does not (double
    rounding). Those candidates are rare; for them the exact error of the
    float64 sum (TwoSum) decides the direction.
    """
    a64 = np.asarray(a, dtype=f32).astype(f64)
    b64 = np.asarray(b, dtype=f32).astype(f64)
    c64 = np.asarray(c, dtype=f32).astype(f64)
    p = a64 * b64
    s = p + c64
    r = s.astype(f32)
    s = np.asarray(s)
    mid = (s.view(_U64) & _U64(0x1FFFFFFF)) == _U64(0x10000000)
    if np.any(mid):
        p, c64 = np.broadcast_arrays(p, c64)
        idx = np.nonzero(mid)
        ps, cs, ss = p[idx], c64[idx], s[idx]
        bb = ss - ps
        err = (ps - (ss - bb)) + (cs - bb)
        rr = r[idx] if r.ndim else r
        up = (err > 0) & (rr.astype(f64) < ss)
        down = (err < 0) & (rr.astype(f64) > ss)
        rr = np.where(up, np.nextafter(rr, f32(np.inf)), rr)
        rr = np.where(down, np.nextafter(rr, f32(-np.inf)), rr)
        if r.ndim:
            r[idx] = rr
        else:
            r = f32(rr)
    return r


_SPLIT = f64(134217729.0)  # 2**27 + 1, Veltkamp splitter for float64


def _two_prod(a, b):
    p = a * b
    ca = _SPLIT * a
    ahi = ca - (ca - a)
    alo = a - ahi
    cb = _SPLIT * b
    bhi = cb - (cb - b)
    blo = b - bhi
    e = ((ahi * bhi - p) + ahi * blo + alo * bhi) + alo * blo
    return p, e


def _two_sum(a, b):
    s = a + b
    bb = s - a
    e = (a - (s - bb)) + (b - bb)
    return s, e


def fma64(a, b, c):
    """Correctly rounded float64 ``a*b + c`` (Boldo & Melquiond's emulation
    via round-to-odd: RN(hi + RO(lo_sum + prod_err))).

    Valid while ``a*b`` neither overflows nor loses bits to underflow, which
    holds for the uses here (uniforms times finite ranges, normals times
    std).
    """
    a = np.asarray(a, dtype=f64)
    b = np.asarray(b, dtype=f64)
    c = np.asarray(c, dtype=f64)
    uh, ul = _two_prod(a, b)
    th, tl = _two_sum(c, uh)
    # v = RO(tl + ul): round to nearest, then if inexact and the last bit is
    # even, step to the odd neighbour on the side of the exact value.
    v, ve = _two_sum(tl, ul)
    v = np.asarray(v)
    ve = np.asarray(ve)
    even = (v.view(_U64) & _U64(1)) == 0
    fix = (ve != 0) & even
    if np.any(fix):
        v = np.where(fix, np.nextafter(v, np.where(ve > 0, np.inf, -np.inf)), v)
    out = th + v
    # When a*b is exactly zero the sum is exact and carries IEEE's signed-zero
    # rule (-0 + -0 = -0), which the split arithmetic above loses.
    zero = uh == 0
    if np.any(zero):
        out = np.where(zero, uh + c, out)
    return out


# ---------------------------------------------------------------------------
# glibc-exact double functions
# ---------------------------------------------------------------------------


def _map_math(fn, x):
    x = np.asarray(x, dtype=f64)
    flat = x.ravel()
    out = np.fromiter(map(fn, flat.tolist()), dtype=f64, count=flat.size)
    return out.reshape(x.shape)


def libm_log(x):
    return _map_math(math.log, x)


def libm_log1p(x):
    return _map_math(math.log1p, x)


def libm_exp(x):
    # math.exp raises OverflowError where C returns inf
    x = np.asarray(x, dtype=f64)
    big = x > 709.782712893384
    if not np.any(big):
        return _map_math(math.exp, x)
    out = np.full(x.shape, np.inf)
    out[~big] = _map_math(math.exp, x[~big])
    return out


def libm_tan(x):
    return _map_math(math.tan, x)


_TRIG_OK = None


def _numpy_trig_matches_libm():
    """NumPy 1.26 sends float64 sin/cos to libm, which is what ATen calls;
    check that once per process (on values like the kernels' 2*pi*u) so a
    NumPy with its own SIMD sin/cos falls back to ``math`` instead of
    silently changing bits."""
    global _TRIG_OK
    if _TRIG_OK is None:
        u = np.random.default_rng(12345).random(4096) * (2.0 * math.pi)
        ok = (np.array_equal(np.sin(u), _map_math(math.sin, u))
              and np.array_equal(np.cos(u), _map_math(math.cos, u)))
        _TRIG_OK = bool(ok)
    return _TRIG_OK


def libm_sin(x):
    if _numpy_trig_matches_libm():
        return np.sin(np.asarray(x, dtype=f64))
    return _map_math(math.sin, x)


def libm_cos(x):
    if _numpy_trig_matches_libm():
        return np.cos(np.asarray(x, dtype=f64))
    return _map_math(math.cos, x)


# ---------------------------------------------------------------------------
# avx_mathfun.h, float32, with GCC's FMA contraction
# ---------------------------------------------------------------------------

# Constants exactly as the header spells them, rounded to float32 like
# _mm256_set1_ps / the _PS256_CONST arrays do.
_SQRTHF = f32(0.707106781186547524)
_LOG_P = [f32(v) for v in (
    7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1,
    +1.4249322787E-1, -1.6668057665E-1, +2.0000714765E-1, -2.4999993993E-1,
    +3.3333331174E-1)]
_LOG_Q1 = f32(-2.12194440e-4)
_LOG_Q2 = f32(0.693359375)
_MDP1 = f32(-0.78515625)
_MDP2 = f32(-2.4187564849853515625e-4)
_MDP3 = f32(-3.77489497744594108e-8)
_SIN_P = [f32(v) for v in (-1.9515295891E-4, 8.3321608736E-3,
                           -1.6666654611E-1)]
_COS_P = [f32(v) for v in (2.443315711809948E-005, -1.388731625493765E-003,
                           4.166664568298827E-002)]
_FOPI = f32(1.27323954473516)
_TWO_PI_F = f32(2.0 * math.pi)   # _mm256_set1_ps(2.0f * c10::pi<double>)
_HALF = f32(0.5)
_ONE = f32(1.0)


def avx_log_exact(x):
    """Reference ``log256_ps`` with every contracted FMA done by ``fma32``.

    Slow; used to validate the fast version (tests run it on all 2**24
    inputs the normal kernel can produce)."""
    x = np.asarray(x, dtype=f32)
    bits = x.view(np.int32)
    e = ((bits >> 23) - 127).astype(f32) + _ONE
    xm = ((bits & np.int32(~0x7F800000)) | np.int32(0x3F000000)).view(f32)
    mask = xm < _SQRTHF
    tmp = np.where(mask, xm, f32(0))
    xx = xm - _ONE
    e = e - np.where(mask, _ONE, f32(0))
    xx = xx + tmp
    z = xx * xx
    y = np.full_like(xx, _LOG_P[0])
    for p in _LOG_P[1:]:
        y = fma32(y, xx, p)
    y = y * xx
    # GCC fuses y*z with the following add of e*q1 (e*q1 stays a multiply).
    y = fma32(y, z, e * _LOG_Q1)
    y = y - z * _HALF
    xx = xx + y
    xx = fma32(e, _LOG_Q2, xx)
    return np.where(x <= 0, f32(np.nan), xx)


def avx_sincos_exact(x):
    """Reference ``sincos256_ps`` with exact FMAs; see ``avx_log_exact``."""
    x = np.asarray(x, dtype=f32)
    xb = x.view(_U32)
    sign_in = xb & _U32(0x80000000)
    ax = (xb & _U32(0x7FFFFFFF)).view(f32)
    j = (ax * _FOPI).astype(np.int32)
    j = (j + 1) & ~1
    y = j.astype(f32)
    swap_sin = ((j & 4) << 29).astype(_U32)
    poly_mask = (j & 2) == 0
    xx = fma32(y, _MDP1, ax)
    xx = fma32(y, _MDP2, xx)
    xx = fma32(y, _MDP3, xx)
    sign_cos = ((~(j - 2) & 4) << 29).astype(_U32)
    sign_sin = sign_in ^ swap_sin
    z = xx * xx
    yc = fma32(_COS_P[0], z, _COS_P[1])
    yc = fma32(yc, z, _COS_P[2])
    yc = yc * z
    # y*z - z*0.5: GCC keeps z*0.5 and fuses y*z into the subtraction.
    yc = fma32(yc, z, -(z * _HALF))
    yc = yc + _ONE
    ys = fma32(_SIN_P[0], z, _SIN_P[1])
    ys = fma32(ys, z, _SIN_P[2])
    ys = ys * z
    ys = fma32(ys, xx, xx)
    zero = f32(0)
    ysin2 = np.where(poly_mask, ys, zero)
    ysin1 = np.where(poly_mask, zero, yc)
    s = ysin1 + ysin2
    c = (yc - ysin1) + (ys - ysin2)
    s = (s.view(_U32) ^ sign_sin).view(f32)
    c = (c.view(_U32) ^ sign_cos).view(f32)
    return s, c


# ---------------------------------------------------------------------------
# Fast float32 Box-Muller on blocks of 16 (NormalFill16<float>, AVX2 path)
# ---------------------------------------------------------------------------
#
# The FMAs of the polynomial steps are done as float64 multiply-add followed by
# a cast to float32, without fma32's double-rounding repair: the inputs of
# log256 here are u1 = 1 - k/2**24 and those of sincos256 are
# float32(2*pi)*k/2**24, 2**24 values each, and the tests check this fast
# path against the exact one on all of them. The float64 sums of these
# particular steps turn out to be exact or never to land on a float32
# midpoint, which is what makes the plain cast correct.


class _Work:
    """Scratch buffers for one chunk, reused across chunks and calls."""

    def __init__(self, m):
        self.m = m
        self.i32 = np.empty(m, np.int32)
        self.i32b = np.empty(m, np.int32)
        self.ra = np.empty(m, np.int32)
        self.rb = np.empty(m, np.int32)
        self.a = np.empty(m, f32)
        self.b = np.empty(m, f32)
        self.c = np.empty(m, f32)
        self.d = np.empty(m, f32)
        self.e = np.empty(m, f32)
        self.s = np.empty(m, f32)
        self.co = np.empty(m, f32)
        self.rad = np.empty(m, f32)
        self.x64 = np.empty(m, f64)
        self.z64 = np.empty(m, f64)
        self.t64 = np.empty(m, f64)
        # block indices for de-interleaving [u1 x 8 | u2 x 8] blocks, taken
        # as 32-byte items
        self.even = np.arange(0, m // 4, 2, dtype=np.intp)
        self.odd = self.even + 1


_WORK = threading.local()  # scratch is per thread: kernels of different
                           # generators may run concurrently
_CHUNK_PAIRS = 32768  # (u1, u2) pairs per chunk


def _work(m):
    cache = getattr(_WORK, "by_size", None)
    if cache is None:
        cache = _WORK.by_size = {}
    w = cache.get(m)
    if w is None:
        w = cache[m] = _Work(m)
    return w


def _fma_round(y32, mul64, add, t64):
    """y32 <- float32(y32 * mul64 + add), products and sum in float64."""
    np.multiply(y32, mul64, out=t64)
    np.add(t64, add, out=t64)
    np.copyto(y32, t64, casting="same_kind")


_SQRTHF_BITS = np.int32(_SQRTHF.view(np.int32))


def _log_into(u1, out, w):
    """out <- log256_ps(u1) for float32 u1 in (0, 1]; u1 is clobbered.

    Masks are applied the way the intrinsics do (AND with all-ones/zero,
    then add), which NumPy does far faster than ``where=``."""
    m = u1.size
    bits = u1.view(np.int32)
    e = w.a[:m]
    imm = w.i32[:m]
    np.right_shift(bits, 23, out=imm)
    np.subtract(imm, 126, out=imm)          # (exponent - 127) + 1
    np.copyto(e, imm, casting="unsafe")     # exact: small integers
    np.bitwise_and(bits, np.int32(~0x7F800000), out=bits)
    np.bitwise_or(bits, np.int32(0x3F000000), out=bits)
    xm = u1                                  # mantissa in [0.5, 1)
    # mask = xm < sqrt(1/2): positive floats order like their bit patterns
    msk = w.i32b[:m]
    np.less(bits, _SQRTHF_BITS, out=imm, casting="unsafe")   # 0 / 1
    np.negative(imm, out=msk)                                # 0 / -1
    np.subtract(e, imm, out=e, casting="unsafe")             # e -= 1 & mask
    x = out
    np.subtract(xm, _ONE, out=x)
    np.bitwise_and(bits, msk, out=bits)      # tmp = xm & mask (xm or +0)
    np.add(x, xm, out=x)
    z = w.b[:m]
    np.multiply(x, x, out=z)
    x64 = w.x64[:m]
    np.copyto(x64, x)
    t64 = w.t64[:m]
    y = w.c[:m]
    np.multiply(x64, f64(_LOG_P[0]), out=t64)
    np.add(t64, f64(_LOG_P[1]), out=t64)
    np.copyto(y, t64, casting="same_kind")
    for p in _LOG_P[2:]:
        _fma_round(y, x64, f64(p), t64)
    np.multiply(y, x, out=y)
    eq = w.d[:m]
    np.multiply(e, _LOG_Q1, out=eq)
    np.multiply(y, z, out=t64, dtype=f64)    # fma(y, z, e*q1)
    np.add(t64, eq, out=t64)
    np.copyto(y, t64, casting="same_kind")
    np.multiply(z, _HALF, out=z)
    np.subtract(y, z, out=y)
    np.add(x, y, out=x)
    np.multiply(e, _LOG_Q2, out=e)           # exact: |e| <= 25, q2 has 9 bits
    np.add(x, e, out=x)
    return x


def _sincos_into(theta, s_out, c_out, w):
    """(s_out, c_out) <- sincos256_ps(theta) for float32 theta >= +0
    (so the input sign bit is 0)."""
    m = theta.size
    j = w.i32[:m]
    y = w.a[:m]
    np.multiply(theta, _FOPI, out=y)
    np.copyto(j, y, casting="unsafe")        # truncation, like cvttps
    np.add(j, 1, out=j)
    np.bitwise_and(j, np.int32(~1), out=j)
    np.copyto(y, j, casting="unsafe")
    x = w.b[:m]
    np.multiply(y, _MDP1, out=x)             # exact product
    np.add(x, theta, out=x)
    tmp = w.c[:m]
    np.multiply(y, _MDP2, out=tmp)           # exact product
    np.add(x, tmp, out=x)
    t64 = w.t64[:m]
    np.multiply(y, f64(_MDP3), out=t64, dtype=f64)
    np.add(t64, x, out=t64)
    np.copyto(x, t64, casting="same_kind")
    z = w.d[:m]
    np.multiply(x, x, out=z)
    z64 = w.z64[:m]
    np.copyto(z64, z)
    # cosine polynomial -> yc (in c_out)
    yc = c_out
    np.multiply(z64, f64(_COS_P[0]), out=t64)
    np.add(t64, f64(_COS_P[1]), out=t64)
    np.copyto(yc, t64, casting="same_kind")
    _fma_round(yc, z64, f64(_COS_P[2]), t64)
    np.multiply(yc, z, out=yc)
    np.multiply(yc, z64, out=t64)
    np.multiply(z, _HALF, out=tmp)
    np.subtract(t64, tmp, out=t64)
    np.copyto(yc, t64, casting="same_kind")
    np.add(yc, _ONE, out=yc)
    # sine polynomial -> ys (in s_out)
    ys = s_out
    np.multiply(z64, f64(_SIN_P[0]), out=t64)
    np.add(t64, f64(_SIN_P[1]), out=t64)
    np.copyto(ys, t64, casting="same_kind")
    _fma_round(ys, z64, f64(_SIN_P[2]), t64)
    np.multiply(ys, z, out=ys)
    np.multiply(ys, x, out=t64, dtype=f64)
    np.add(t64, x, out=t64)
    np.copyto(ys, t64, casting="same_kind")
    # poly_mask = (j & 2) == 0 as all-ones/zero: ((j & 2) >> 1) - 1
    pm = w.i32b[:m]
    np.bitwise_and(j, 2, out=pm)
    np.right_shift(pm, 1, out=pm)
    np.subtract(pm, 1, out=pm)
    # ysin2 = pm & ys, ysin1 = ~pm & yc; sin = ysin1 + ysin2,
    # cos = (yc - ysin1) + (ys - ysin2), exactly as the intrinsics do
    ysin2 = w.e[:m]
    np.bitwise_and(ys.view(np.int32), pm, out=ysin2.view(np.int32))
    np.invert(pm, out=pm)
    ysin1 = x                                # x is no longer needed
    np.bitwise_and(yc.view(np.int32), pm, out=ysin1.view(np.int32))
    np.subtract(ys, ysin2, out=ys)
    np.subtract(yc, ysin1, out=yc)
    np.add(yc, ys, out=yc)                   # cos before its sign
    np.add(ysin1, ysin2, out=ys)             # sin before its sign
    # sign bits: sin gets (j & 4) << 29, cos gets (~(j - 2) & 4) << 29
    np.bitwise_and(j, 4, out=pm)
    np.left_shift(pm, 29, out=pm)
    np.bitwise_xor(ys.view(np.int32), pm, out=ys.view(np.int32))
    np.subtract(j, 2, out=j)
    np.invert(j, out=j)
    np.bitwise_and(j, 4, out=j)
    np.left_shift(j, 29, out=j)
    np.bitwise_xor(yc.view(np.int32), j, out=yc.view(np.int32))
    return ys, yc


def libm_log_safe(x):
    """``log`` that returns -inf for 0 like C (``math.log`` raises)."""
    x = np.asarray(x, dtype=f64)
    out = np.full(x.shape, -np.inf)
    pos = x > 0
    if np.all(pos):
        return _map_math(math.log, x)
    out[pos] = _map_math(math.log, x[pos])
    return out
