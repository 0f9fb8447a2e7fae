"""MindSpore kernels for pointwise ops that need more than one primitive call."""
from ops_table.kernels import np_int_exact as _int
from ops_table.kernels._ms import prim, scalar


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
        from ops_table.kernels._ms import from_host
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
        from ops_table.kernels._ms import from_host
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
    from ops_table.kernels._ms import from_host
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


def relu(a):
    return prim("ReLU")(a)


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
    from ops_table.kernels._ms import from_host
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
