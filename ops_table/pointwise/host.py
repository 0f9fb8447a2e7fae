"""Host (NumPy) kernels for pointwise ops, used in forked DataLoader workers."""
import numpy as np

from ops_table.pointwise import int_exact as _int


def add(a, b, alpha):
    return np.add(a, b * alpha if alpha != 1 else b)


def sub(a, b, alpha):
    return np.subtract(a, b * alpha if alpha != 1 else b)


def div(a, b, rounding_mode):
    if rounding_mode is None:
        return np.true_divide(a, b).astype(np.result_type(a, b) if a.dtype.kind == "f" else np.float32)
    if rounding_mode == "floor":
        return floor_divide(a, b)
    if _int.is_int(a):
        return _int.trunc_divide(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):  # x / 0.0 is inf/nan silently, as in PyTorch
        return np.trunc(np.true_divide(a, b)).astype(np.result_type(a, b))


def clamp(a, lo, hi):
    # The bound first: NumPy answers its second operand on a tie (PyTorch keeps the input's -0.0).
    if lo is not None:
        a = np.maximum(lo, a)
    if hi is not None:
        a = np.minimum(hi, a)
    return a


def where(cond, a, b):
    return np.where(cond, a, b)


def relu(x):
    # 0 first: NumPy's maximum answers its second operand on a tie, so -0.0 stays -0.0 and
    # NaN stays NaN, as in PyTorch.
    return np.maximum(np.zeros((), x.dtype), x)


def sigmoid(a):
    return (1 / (1 + np.exp(-a))).astype(a.dtype)


def rsqrt(a):
    with np.errstate(divide="ignore", invalid="ignore"):
        return (1 / np.sqrt(a)).astype(a.dtype)


def round_(a, decimals):
    return np.round(a, decimals)


def floor_divide(a, b):
    if _int.is_int(a):
        return _int.floor_divide(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):  # x // 0.0 is inf/nan silently, as in PyTorch
        return np.floor_divide(a, b)


def remainder(a, b):
    if _int.is_int(a):
        return _int.remainder(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.mod(a, b)


def pow_(a, b):
    return _int.power(a, b) if _int.is_int(a) else np.power(a, b)


def _integral_identity(fn):
    def k(a):
        return a.copy() if _int.is_int(a) else fn(a)  # NumPy's floor of an int64 is a float64
    return k


floor = _integral_identity(np.floor)
ceil = _integral_identity(np.ceil)
trunc = _integral_identity(np.trunc)


def _silent(fn):
    def k(a):
        with np.errstate(divide="ignore", invalid="ignore"):  # log(0), sqrt(-1), 1/0: inf/nan silently, as PyTorch
            return fn(a)
    k.__name__ = fn.__name__
    return k


log = _silent(np.log)
sqrt = _silent(np.sqrt)
reciprocal = _silent(np.reciprocal)


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


def i0(a):
    return np.i0(a).astype(a.dtype, copy=False)


def polygamma(n, a):
    from scipy import special
    return special.polygamma(n, a).astype(a.dtype)


def tan(a):
    return np.tan(a)


def i1(a):
    # Power series sum (x/2)^(2k+1) / (k! (k+1)!) in float64: the host kernel serves forked
    # workers and empty inputs, where a few dozen terms are exact to double precision for |x| < 40.
    x = np.asarray(a, np.float64) / 2
    term = x.copy()
    out = term.copy()
    x2 = x * x
    for k in range(1, 80):
        term = term * x2 / (k * (k + 1))
        out = out + term
    return out.astype(a.dtype, copy=False)


def abs(a):  # noqa: A001 - the op's name
    return np.abs(a)
