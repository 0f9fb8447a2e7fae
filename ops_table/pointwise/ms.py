"""MindSpore kernels for pointwise ops that need more than one primitive call."""
import numpy as np

from ops_table.pointwise import int_exact as _int
from ops_table.common.nan_aware import nan_aware
from ops_table.common._ms import from_host, host_array, prim, scalar
import math


def add(a, b, alpha):
    if alpha != 1:
        b = prim("Mul")(b, scalar(alpha, b))
    return prim("Add")(a, b)


def sub(a, b, alpha):
    if alpha != 1:
        b = prim("Mul")(b, scalar(alpha, b))
    return prim("Sub")(a, b)


def div(a, b, rounding_mode):
    if rounding_mode is None:
        return true_divide(a, b)
    if rounding_mode == "floor":
        return floor_divide(a, b)
    if rounding_mode == "trunc":
        # MindSpore's TruncateDiv goes through double for int64 and gives INT64_MIN for x / 0
        # and its float x / 0 is +inf whatever the sign of x
        return _int.on_host(_int.trunc_divide if _int.is_int(a) else _float_trunc_divide, a, b)
    raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")


def true_divide(a, b):
    """Float division through the host alias: IEEE division is exactly rounded in NumPy and
    MindSpore alike, and on 1.75M float32 NumPy takes 0.30 ms against RealDiv's 1.29 ms and
    Div's 6.2 ms (measured; Div/RealDiv dominated the Adam step)."""
    if str(a.dtype).startswith(("Float", "BFloat")) and str(a.dtype) != "BFloat16":
        import numpy as np
        from ops_table.common._ms import from_host
        with np.errstate(divide="ignore", invalid="ignore"):  # x/0 is inf/nan silently, as in PyTorch
            return from_host(np.divide(a.asnumpy(), b.asnumpy()))
    return prim("RealDiv" if str(a.dtype).startswith(("Float", "BFloat")) else "Div")(a, b)


def _float_trunc_divide(a, b):
    import numpy as np
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.trunc(np.divide(a, b))


def floor_divide(a, b):
    # MindSpore's FloorDiv computes int64 through double and gives INT64_MAX for x // 0
    return _int.on_host(_int.floor_divide, a, b) if _int.is_int(a) else prim("FloorDiv")(a, b)


def remainder(a, b):
    # MindSpore's FloorMod: int64 through double, INT64_MIN for x % 0
    return _int.on_host(_int.remainder, a, b) if _int.is_int(a) else prim("FloorMod")(a, b)


def pow_(a, b):
    # MindSpore's integer Pow goes through double (3 ** 39 is off by 11, 2**53+1 squared saturates)
    return _int.on_host(_int.power, a, b) if _int.is_int(a) else prim("Pow")(a, b)


def clamp(a, lo, hi):
    if str(a.dtype).startswith(("Float", "Complex")):
        # MindSpore's Maximum/Minimum drop NaN (Maximum(nan, -1) is -1); PyTorch's clamp
        # keeps it, as NumPy's maximum/minimum do
        import numpy as np
        from ops_table.common._ms import from_host
        r = a.asnumpy()
        # The bound first: NumPy answers its second operand on a tie, and PyTorch keeps
        # the input's -0.0 when clamping at 0.0.
        if lo is not None:
            r = np.maximum(lo.asnumpy(), r)
        if hi is not None:
            r = np.minimum(hi.asnumpy(), r)
        return from_host(r if lo is not None or hi is not None else np.array(r, copy=True))
    if lo is not None:
        a = prim("Maximum")(a, lo)
    if hi is not None:
        a = prim("Minimum")(a, hi)
    return a


def where(cond, a, b):
    return prim("Select")(*_bcast3(cond, a, b))


def where_via_host(cond, a, b):
    """Select through the CPU arrays' host alias: NumPy broadcasts the operands in place,
    where Select needs them materialised at the full shape first (a 2708x2708 mask against
    8 heads of attention scores in pytorch/examples gat), and on 8x2708x2708 float32 NumPy
    took 0.7 s against Select's 6.3 s (measured, 2 loaded cores)."""
    if str(a.dtype) == "BFloat16":
        return where(cond, a, b)
    import numpy as np
    from ops_table.common._ms import from_host
    return from_host(np.where(cond.asnumpy(), a.asnumpy(), b.asnumpy()))


def _bcast3(c, a, b):
    shape = _broadcast_shape(_broadcast_shape(c.shape, a.shape), b.shape)
    return tuple(x if tuple(x.shape) == shape else prim("BroadcastTo", shape)(x) for x in (c, a, b))


def _broadcast_shape(s1, s2):
    s1, s2 = tuple(s1), tuple(s2)
    n = max(len(s1), len(s2))
    s1 = (1,) * (n - len(s1)) + s1
    s2 = (1,) * (n - len(s2)) + s2
    return tuple(max(x, y) if min(x, y) != 0 else 0 for x, y in zip(s1, s2))


def relu(x):
    """MindSpore's ReLU maps NaN to 0 and -0.0 to 0.0 (PyTorch keeps both); floating inputs
    take NumPy's maximum over a zero-copy host view, measured no slower than ReLU on CPU."""
    if str(x.dtype) in ("Float16", "Float32", "Float64"):
        from ops_table.pointwise import host
        return from_host(host.relu(host_array(x)))
    return prim("ReLU")(x)


def logical_not(a):
    return prim("LogicalNot")(a if str(a.dtype) == "Bool" else prim("NotEqual")(a, scalar(0, a)))


def sign(a):
    return prim("Sign")(a)


def _integral_identity(pname):
    """floor/ceil/trunc of an integer tensor is a copy of it in PyTorch; MindSpore's Floor and
    Ceil refuse integers and Round goes through double (2**53 + 1 came back even)."""
    def k(a):
        import numpy as np
        return _int.on_host(np.copy, a) if _int.is_int(a) else prim(pname)(a)
    k.__name__ = pname.lower()
    return k


floor = _integral_identity("Floor")
ceil = _integral_identity("Ceil")
trunc = _integral_identity("Trunc")


def round_(a, decimals):
    if _int.is_int(a) and decimals == 0:
        import numpy as np
        return _int.on_host(np.copy, a)
    if decimals == 0:
        return prim("Round")(a)
    f = scalar(10.0 ** decimals, a)
    return prim("Div")(prim("Round")(prim("Mul")(a, f)), f)


def _host_float32(np_fn, a, wide=False):
    """float32 through NumPy: MindSpore's float32 CPU kernels for these functions are tens
    of ulps off PyTorch's (Tanh up to 1e-4 absolute, Exp ~5e-6 relative, Sigmoid ~2e-6;
    measured over [-6, 6]); NumPy's float32 exp/tanh are within ~2 ulp and faster than
    MindSpore's (65k floats: 23 vs 57 us). `wide` computes in float64 and rounds once."""
    import numpy as np
    from ops_table.common._ms import from_host
    host = a.asnumpy()
    # exp(89.0) is inf in float32, as in PyTorch, which says nothing: NumPy's overflow
    # warning would reach the user's stderr.
    with np.errstate(over="ignore"):
        return from_host(np_fn(host.astype(np.float64)).astype(np.float32) if wide else np_fn(host))


def tanh(a):
    if str(a.dtype) == "Float32":
        import numpy as np
        return _host_float32(np.tanh, a)
    return prim("Tanh")(a)


def exp(a):
    if str(a.dtype) == "Float32":
        import numpy as np
        return _host_float32(np.exp, a)
    return prim("Exp")(a)


# The least float32 whose exp overflows: PyTorch's float32 sigmoid is 1 / (1 + exp(-x)) in
# float32, so it is exactly 0 from -this down, where float64 would give a subnormal.
_EXP_OVERFLOW_F32 = 88.72283935546875


def _sigmoid_wide(x):
    import numpy as np
    return np.where(x <= -_EXP_OVERFLOW_F32, 0.0, 1.0 / (1.0 + np.exp(-x)))


def sigmoid(a):
    if str(a.dtype) == "Float32":
        return _host_float32(_sigmoid_wide, a, wide=True)
    return prim("Sigmoid")(a)


def _is(a, *names):
    return str(a.dtype) in names


_FLOATS = ("Float16", "Float32", "Float64", "BFloat16")


def _zeros_bool(a):
    return from_host(np.zeros(tuple(a.shape), bool))


def _host(fn, *args):
    return from_host(np.asarray(fn(*(x.asnumpy() if hasattr(x, "asnumpy") else x for x in args))))


# ---- unary ------------------------------------------------------------------------------
def log2(a):
    return prim("Div")(prim("Log")(a), scalar(math.log(2.0), a))


def log10(a):
    return prim("Div")(prim("Log")(a), scalar(math.log(10.0), a))


def exp2(a):
    return prim("Pow")(scalar(2.0, a), a)


def digamma(a):
    # MindSpore's Digamma computes float64 at float32 precision (measured: 5e-8 off at 3.5)
    if _is(a, "Float64"):
        from scipy import special
        return _host(special.digamma, a)
    return prim("Digamma")(a)


def polygamma(n, a):
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    if n == 0:
        return digamma(a)
    return prim("Polygamma")(from_host(np.array(n, np.int64)), a)


def frac(a):
    _floating_only("frac_cpu", a)
    return prim("Sub")(a, prim("Trunc")(a))


def _floating_only(kernel, a):
    if _int.is_int(a):
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_torch_name(a)}'")


def nan_to_num(a, nan=None, posinf=None, neginf=None):
    if not _is(a, *_FLOATS):
        return _host(np.copy, a)
    info = np.finfo({"Float16": np.float16, "Float32": np.float32, "Float64": np.float64}[str(a.dtype)])
    nan = 0.0 if nan is None else nan
    posinf = float(info.max) if posinf is None else posinf
    neginf = float(info.min) if neginf is None else neginf
    shape = tuple(a.shape)
    out = prim("Select")(prim("IsNan")(a), _full(nan, a, shape), a)
    inf = prim("IsInf")(a)
    pos = prim("LogicalAnd")(inf, prim("Greater")(a, scalar(0, a)))
    neg = prim("LogicalAnd")(inf, prim("Less")(a, scalar(0, a)))
    out = prim("Select")(pos, _full(posinf, a, shape), out)
    return prim("Select")(neg, _full(neginf, a, shape), out)


def _full(v, like, shape):
    s = scalar(v, like)
    return s if not shape else prim("BroadcastTo", shape)(s)


def logit(a, eps=None):
    if eps is not None:
        # NaN-keeping clamp (MindSpore's Maximum/Minimum drop NaN; PyTorch's logit(nan) is nan).
        a = clamp_max(clamp_min(a, eps), 1.0 - eps)
    return prim("Log")(prim("Div")(a, prim("Sub")(scalar(1.0, a), a)))


def deg2rad(a):
    return prim("Mul")(a, scalar(math.pi / 180.0, a))


def rad2deg(a):
    return prim("Mul")(a, scalar(180.0 / math.pi, a))


def angle(a):
    if _is(a, "Complex64", "Complex128"):
        return _host(np.angle, a)  # float32 for complex64, float64 for complex128, as PyTorch
    if not _is(a, *_FLOATS):
        return _host(lambda x: np.where(x < 0, np.pi, 0.0).astype(np.float32), a)
    neg = prim("Less")(a, scalar(0, a))
    z = prim("Mul")(a, scalar(0, a))  # keeps NaN where a is NaN
    return prim("Select")(neg, prim("Add")(z, scalar(math.pi, a)), z)


def sgn(a):
    return prim("Sign")(a)


def signbit(a):
    if _is(a, "Bool"):
        return _zeros_bool(a)
    if not _is(a, *_FLOATS):
        return prim("Less")(a, scalar(0, a))
    # The bit itself, read on the host: MindSpore's Div(1, -0.0) is +inf, so -0.0 (and -nan)
    # cannot be told apart with arithmetic.
    from ops_table.common._ms import host_array
    if _is(a, "BFloat16"):
        import mindspore
        a = prim("Cast")(a, mindspore.float32)
    return from_host(np.signbit(host_array(a)))


def isinf(a):
    if not _is(a, *_FLOATS):
        return _zeros_bool(a)
    return prim("IsInf")(a)


def isposinf(a):
    if not _is(a, *_FLOATS):
        return _zeros_bool(a)
    return prim("Equal")(a, scalar(float("inf"), a))


def isneginf(a):
    if not _is(a, *_FLOATS):
        return _zeros_bool(a)
    return prim("Equal")(a, scalar(float("-inf"), a))


def isnan(a):
    if not _is(a, *_FLOATS):
        return _zeros_bool(a)
    return prim("IsNan")(a)


def isfinite(a):
    if not _is(a, *_FLOATS):
        return from_host(np.ones(tuple(a.shape), bool))
    return prim("IsFinite")(a)


def bitwise_not(a):
    if _is(a, "Bool"):
        return prim("LogicalNot")(a)
    if _is(a, *_FLOATS):
        raise NotImplementedError(f"\"bitwise_not_cpu\" not implemented for '{_torch_name(a)}'")
    return prim("Invert")(a)


def _torch_name(a):
    return {"Float32": "Float", "Float64": "Double", "Float16": "Half", "BFloat16": "BFloat16", "Int64": "Long",
            "Int32": "Int", "Int16": "Short", "Int8": "Char", "UInt8": "Byte"}.get(str(a.dtype), str(a.dtype))


def _bitwise(pname, lname, opname):
    def k(a, b):
        if _is(a, *_FLOATS) or _is(b, *_FLOATS):
            bad = _torch_name(a if _is(a, *_FLOATS) else b)
            raise NotImplementedError(f"\"{opname}_cpu\" not implemented for '{bad}'")
        if _is(a, "Bool"):
            return prim(lname)(a, b)
        return prim(pname)(a, b)
    return k


bitwise_and = _bitwise("BitwiseAnd", "LogicalAnd", "bitwise_and")


bitwise_or = _bitwise("BitwiseOr", "LogicalOr", "bitwise_or")


bitwise_xor = _bitwise("BitwiseXor", "NotEqual", "bitwise_xor")


def _shift(left):
    def k(a, b):
        if _is(a, *_FLOATS) or _is(a, "Bool"):
            kind = "lshift" if left else "rshift"
            raise NotImplementedError(f"\"{kind}_cpu\" not implemented for '{_torch_name(a)}'")
        # MindSpore shifts modulo the bit width (6 << 70 == 576); PyTorch gives 0 (or -1 for
        # negative >> large, and for a negative count), like shifting one bit at a time.
        return _int.on_host(_int.left_shift if left else _int.right_shift, a, b)
    return k


bitwise_left_shift = _shift(True)


bitwise_right_shift = _shift(False)


def logical_xor(a, b):
    a = a if _is(a, "Bool") else prim("NotEqual")(a, scalar(0, a))
    b = b if _is(b, "Bool") else prim("NotEqual")(b, scalar(0, b))
    return prim("LogicalXor")(a, b)


# ---- binary -----------------------------------------------------------------------------
def fmod(a, b):
    # MindSpore's integer Mod goes through double: exact only below 2**53
    return _int.on_host(_int.fmod, a, b) if _int.is_int(a) else prim("Mod")(a, b)


def hypot(a, b):
    _floating_only("hypot_cpu", a)
    return prim("Hypot")(a, b)


def copysign(a, b):
    mag = prim("Abs")(a)
    return prim("Select")(*_bc(signbit(b), prim("Neg")(mag), mag))


def _bc(*xs):
    shape = tuple(np.broadcast_shapes(*(tuple(x.shape) for x in xs)))
    return tuple(x if tuple(x.shape) == shape else prim("BroadcastTo", shape)(x) for x in xs)


def xlogy(a, b):
    r = prim("Xlogy")(a, b)
    # PyTorch: xlogy(0, y) is 0 unless y is NaN; MindSpore's Xlogy(0, 0) is NaN.
    a, b, r = _bc(a, b, r)
    zero = prim("LogicalAnd")(prim("Equal")(a, scalar(0, a)), prim("Equal")(b, b))
    return prim("Select")(zero, prim("ZerosLike")(r), r)


def heaviside(a, b):
    if a.dtype != b.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes")
    return prim("Heaviside")(a, b)


def fmax(a, b):
    return prim("Fmax")(a, b) if _is(a, *_FLOATS) else prim("Maximum")(a, b)


def fmin(a, b):
    if not _is(a, *_FLOATS):
        return prim("Minimum")(a, b)
    a, b = _bc(a, b)
    m = prim("Minimum")(a, b)
    return prim("Select")(prim("IsNan")(a), b, prim("Select")(prim("IsNan")(b), a, m))


def gcd(a, b):
    # MindSpore's Gcd lacks int8/uint8 and answers |INT_MIN| otherwise than PyTorch's Euclid
    return _int.on_host(_int.gcd, a, b)


def lcm(a, b):
    # MindSpore's Lcm takes absolute values first: a product that overflows wraps otherwise than PyTorch's
    return _int.on_host(_int.lcm, a, b)


def lerp(a, end, weight):
    # MindSpore's Lerp lacks float64; a + w * (end - a) matches PyTorch for |w| < 0.5, and
    # PyTorch switches to end - (end - a) * (1 - w) otherwise for accuracy: do the same.
    w = weight if hasattr(weight, "asnumpy") else scalar(weight, a)
    diff = prim("Sub")(end, a)
    lo = prim("Add")(a, prim("Mul")(w, diff))
    hi = prim("Sub")(end, prim("Mul")(diff, prim("Sub")(scalar(1.0, w), w)))
    small = prim("Less")(prim("Abs")(w), scalar(0.5, w))
    return prim("Select")(*_bc(small, lo, hi))


def addcmul(a, t1, t2, value=1):
    p = prim("Mul")(t1, t2)
    if value != 1:
        p = prim("Mul")(p, scalar(value, p))
    return prim("Add")(a, p)


def addcdiv(a, t1, t2, value=1):
    if not _is(t1, *_FLOATS) and not _is(t2, *_FLOATS):
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a future release addcdiv "
                           "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can "
                           "be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
                           "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
                           "addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), "
                           "for all dtypes.")
    from ops_table.pointwise.ms import true_divide
    q = true_divide(t1, t2)
    if value != 1:
        q = prim("Mul")(q, scalar(value, q))
    return prim("Add")(a, q)


def clamp_min_prim(a, lo):
    """MindSpore's Maximum as it is (drops NaN): declared for Ascend, where no NumPy detour is wanted."""
    return prim("Maximum")(a, lo)


def clamp_max_prim(a, hi):
    """MindSpore's Minimum as it is (drops NaN): declared for Ascend."""
    return prim("Minimum")(a, hi)


def float_power(a, b):
    a64 = _to64(a)
    b64 = _to64(b) if hasattr(b, "asnumpy") else scalar(b, a64)
    return prim("Pow")(a64, b64)


def _to64(x):
    return x if _is(x, "Float64") else from_host(x.asnumpy().astype(np.float64))


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    if a.dtype != b.dtype:
        raise RuntimeError(f"{_torch_name(a)} did not match {_torch_name(b)}")
    if _is(a, "Bool"):
        return prim("Equal")(*_bc(a, b))
    if _int.is_int(a):  # the exact distance, as PyTorch (through float64 2**53 + 1 == 2**53)
        return _int.on_host(lambda x, y: _int.isclose(x, y, rtol, atol), a, b)
    a, b = _bc(a, b)
    diff = prim("Abs")(prim("Sub")(a, b))
    tol = prim("Add")(scalar(atol, a), prim("Mul")(scalar(rtol, a), prim("Abs")(b)))
    close = prim("LogicalOr")(prim("Equal")(a, b),
                              prim("LogicalAnd")(prim("LessEqual")(diff, tol), prim("IsFinite")(diff)))
    if equal_nan:
        close = prim("LogicalOr")(close, prim("LogicalAnd")(prim("IsNan")(a), prim("IsNan")(b)))
    return close


def erfinv(a):
    """MindSpore's Erfinv saturates near 2.436; see erfinv_math."""
    from ops_table.common import erfinv_math as erfinv_math
    return from_host(erfinv_math.erfinv(a.asnumpy()))


def _as_bool(a):
    return a if str(a.dtype) == "Bool" else prim("NotEqual")(a, scalar(0, a))


def logical_and(a, b):
    return prim("LogicalAnd")(_as_bool(a), _as_bool(b))


def logical_or(a, b):
    return prim("LogicalOr")(_as_bool(a), _as_bool(b))


def tan(a):
    return prim("Tan")(a)


def i0(a):
    return prim("BesselI0")(a)


def i1(a):
    return prim("BesselI1")(a)


def _binary(pname):
    def kernel(a, b):
        return prim(pname)(a, b)
    return kernel


# torch.maximum / torch.minimum (the dispatcher has promoted both to one dtype).
maximum = nan_aware(_binary("Maximum"), np.maximum)
minimum = nan_aware(_binary("Minimum"), np.minimum)
# clamp_min / clamp_max: the bound first, as NumPy answers its second operand on a tie and
# PyTorch keeps the input's -0.0 at a 0.0 bound.
clamp_min = nan_aware(_binary("Maximum"), lambda a, lo: np.maximum(np.asarray(lo, a.dtype), a))
clamp_max = nan_aware(_binary("Minimum"), lambda a, hi: np.minimum(np.asarray(hi, a.dtype), a))


_COMPLEX = ("Complex64", "Complex128")


def abs(a):  # noqa: A001 - the op's name
    if str(a.dtype) in _COMPLEX:  # MindSpore's Abs of complex64 returns complex64
        return prim("ComplexAbs")(a)
    return prim("Abs")(a)
