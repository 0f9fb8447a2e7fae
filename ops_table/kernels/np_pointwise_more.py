"""Host (NumPy) kernels for entries/pointwise_more.py, used in forked DataLoader workers."""
import numpy as np

from ops_table.kernels import np_int_exact as _int


def _f(a):
    return a.dtype.kind == "f"


def log2(a):
    return np.log2(a)


def exp2(a):
    return np.exp2(a)


def frac(a):
    if _int.is_int(a):
        raise NotImplementedError(f"\"frac_cpu\" not implemented for '{a.dtype}'")
    return a - np.trunc(a)


def nan_to_num(a, nan=None, posinf=None, neginf=None):
    if not _f(a):
        return a.copy()
    return np.nan_to_num(a, nan=0.0 if nan is None else nan, posinf=posinf, neginf=neginf)


def logit(a, eps=None):
    if eps is not None:
        a = np.clip(a, eps, 1 - eps)
    return np.log(a / (1 - a))


def deg2rad(a):
    return (a * (np.pi / 180)).astype(a.dtype)


def rad2deg(a):
    return (a * (180 / np.pi)).astype(a.dtype)


def signbit(a):
    return np.signbit(a) if a.dtype != np.bool_ else np.zeros(a.shape, bool)


def isinf(a):
    return np.isinf(a) if _f(a) else np.zeros(a.shape, bool)


def isposinf(a):
    return np.isposinf(a) if _f(a) else np.zeros(a.shape, bool)


def isneginf(a):
    return np.isneginf(a) if _f(a) else np.zeros(a.shape, bool)


def isnan(a):
    return np.isnan(a) if _f(a) else np.zeros(a.shape, bool)


def isfinite(a):
    return np.isfinite(a) if _f(a) else np.ones(a.shape, bool)


def bitwise_not(a):
    if _f(a):
        raise NotImplementedError("\"bitwise_not_cpu\" not implemented for floating types")
    return np.logical_not(a) if a.dtype == np.bool_ else np.invert(a)


def _bitwise(fn):
    def k(a, b):
        if _f(a) or _f(b):
            raise NotImplementedError(f"\"{fn.__name__}_cpu\" not implemented for floating types")
        return fn(a, b)
    return k


bitwise_and = _bitwise(np.bitwise_and)
bitwise_or = _bitwise(np.bitwise_or)
bitwise_xor = _bitwise(np.bitwise_xor)


def bitwise_left_shift(a, b):
    if _f(a) or a.dtype == np.bool_:
        raise NotImplementedError(f"\"lshift_cpu\" not implemented for '{a.dtype}'")
    return _int.left_shift(a, b)


def bitwise_right_shift(a, b):
    if _f(a) or a.dtype == np.bool_:
        raise NotImplementedError(f"\"rshift_cpu\" not implemented for '{a.dtype}'")
    return _int.right_shift(a, b)


def logical_xor(a, b):
    return np.logical_xor(a, b)


def fmod(a, b):
    if _int.is_int(a):
        return _int.fmod(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):  # fmod(x, 0.0) is nan silently, as in PyTorch
        return np.fmod(a, b)


def copysign(a, b):
    return np.copysign(a, b)


def heaviside(a, b):
    if a.dtype != b.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes")
    return np.heaviside(a, b).astype(a.dtype)


def lerp(a, end, weight):
    w = np.asarray(weight, dtype=a.dtype)
    return np.where(np.abs(w) < 0.5, a + w * (end - a), end - (end - a) * (1 - w)).astype(a.dtype)


def addcmul(a, t1, t2, value=1):
    return (a + np.asarray(value).astype(a.dtype) * t1 * t2).astype(a.dtype)


def addcdiv(a, t1, t2, value=1):
    return (a + np.asarray(value).astype(a.dtype) * (t1 / t2)).astype(a.dtype)


def clamp_min(a, lo):
    return np.maximum(lo, a)  # the bound first: NumPy answers its second operand on a tie (-0.0 kept)


def clamp_max(a, hi):
    return np.minimum(hi, a)


def float_power(a, b):
    return np.power(a.astype(np.float64), np.asarray(b, dtype=np.float64))


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    if a.dtype != b.dtype:
        raise RuntimeError(f"{a.dtype} did not match {b.dtype}")
    if a.dtype == np.bool_:
        return np.equal(a, b)
    if _int.is_int(a):
        return _int.isclose(a, b, rtol, atol)
    return np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


def gcd(a, b):
    return _int.gcd(a, b)


def lcm(a, b):
    return _int.lcm(a, b)


def sgn(a):
    return np.sign(a)


def angle(a):
    if np.iscomplexobj(a):
        return np.angle(a)
    out = np.where(a < 0, np.pi, 0.0)
    return (out + a * 0).astype(a.dtype) if _f(a) else out.astype(np.float32)


def xlogy(a, b):
    return np.where(a == 0, np.where(np.isnan(b), np.nan, 0.0), a * np.log(b)).astype(np.result_type(a, b))


def atan2(a, b):
    return np.arctan2(a, b)


def hypot(a, b):
    if _int.is_int(a):
        raise NotImplementedError(f"\"hypot_cpu\" not implemented for '{a.dtype}'")
    return np.hypot(a, b)


def fmax(a, b):
    return np.fmax(a, b)


def fmin(a, b):
    return np.fmin(a, b)


def _special(name):
    def k(a, *rest):
        from scipy import special
        return getattr(special, name)(*rest, a).astype(a.dtype) if rest else getattr(special, name)(a).astype(a.dtype)
    return k


erf = _special("erf")
erfc = _special("erfc")
lgamma = _special("gammaln")
digamma = _special("digamma")
i0 = _special("i0")


def polygamma(n, a):
    from scipy import special
    return special.polygamma(n, a).astype(a.dtype)
