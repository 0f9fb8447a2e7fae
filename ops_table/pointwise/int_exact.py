"""Integer arithmetic with PyTorch's semantics, in NumPy.

MindSpore's CPU kernels compute several integer ops through double (FloorDiv, FloorMod,
Mod, TruncateDiv, Pow, ReduceSum on int64): exact only below 2**53, and a zero divisor
gives INT64_MAX or INT64_MIN where PyTorch raises.  NumPy's integer ufuncs are exact and
wrap modulo 2**bits as PyTorch's CPU kernels do, so integer inputs of those ops come here
(MindSpore kernels pass their arrays through `on_host`; host kernels call these directly).
"""
import numpy as np

from ops_table.common.worded import worded

# dtype names of integral arrays, MindSpore's and NumPy's spellings
_INTEGRAL = {"Bool", "UInt8", "Int8", "Int16", "Int32", "Int64", "bool", "uint8", "int8", "int16", "int32", "int64"}


def is_int(a):
    """Whether an array (NumPy or MindSpore) holds integers or bools: PyTorch's integral path."""
    return str(a.dtype) in _INTEGRAL


def on_host(fn, *arrays):
    """fn over NumPy views of MindSpore CPU arrays, its result back as a MindSpore array."""
    from ops_table.common._ms import from_host, host_array
    return from_host(np.asarray(fn(*[host_array(a) if hasattr(a, "asnumpy") else a for a in arrays])))


def _refuse_bool(kernel, *arrays):
    for a in arrays:
        if a.dtype == np.bool_:
            raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _check_divisor(a, b):
    # PyTorch's integer kernels raise on the first zero divisor they meet: any, unless the
    # broadcast result is empty.
    if b.size and not np.all(b) and np.broadcast(a, b).size:
        raise worded(RuntimeError("ZeroDivisionError"))


def floor_divide(a, b):
    _refuse_bool("div_floor_cpu", a, b)
    _check_divisor(a, b)
    with np.errstate(over="ignore", divide="ignore"):  # INT_MIN // -1 wraps to INT_MIN, as in PyTorch
        return np.floor_divide(a, b)


def trunc_divide(a, b):
    _refuse_bool("div_trunc_cpu", a, b)
    _check_divisor(a, b)
    with np.errstate(over="ignore", divide="ignore"):
        q = np.floor_divide(a, b)
        # floor and trunc differ where the division is inexact and the signs differ
        fix = (np.remainder(a, b) != 0) & ((a < 0) != (b < 0))
        return np.where(fix, q + 1, q).astype(q.dtype)


def remainder(a, b):
    _refuse_bool("remainder_cpu", a, b)
    _check_divisor(a, b)
    with np.errstate(over="ignore", divide="ignore"):
        return np.remainder(a, b)


def fmod(a, b):
    _refuse_bool("fmod_cpu", a, b)
    _check_divisor(a, b)
    with np.errstate(over="ignore", divide="ignore"):
        return np.fmod(a, b)


def power(a, b):
    """Integer a ** b by repeated squaring, wrapping; a negative exponent gives 1 for a == 1,
    +-1 for a == -1 and 0 otherwise (PyTorch's powi)."""
    _refuse_bool("pow", a, b)
    a, b = np.broadcast_arrays(a, b)
    dtype = np.result_type(a, b)
    with np.errstate(over="ignore"):
        out = np.power(a.astype(dtype), np.maximum(b, 0).astype(dtype))
    neg = b < 0
    if np.any(neg):
        odd = (b % 2) != 0
        at_neg = np.where(a == 1, 1, np.where(a == -1, np.where(odd, -1, 1), 0)).astype(dtype)
        out = np.where(neg, at_neg, out).astype(dtype)
    return out


def gcd(a, b):
    """PyTorch's Euclid in the dtype: |INT_MIN| wraps to INT_MIN, so gcd(-32768, 4) is -4
    in int16 (NumPy's gcd answers 4)."""
    with np.errstate(over="ignore"):
        a, b = np.broadcast_arrays(np.abs(a), np.abs(b))
    a, b = a.copy(), b.copy()
    while True:
        live = a != 0
        if not live.any():
            return b
        c = a
        a = np.where(live, np.fmod(b, np.where(live, a, 1)), 0).astype(c.dtype)  # C's %: truncating
        b = np.where(live, c, b)


def lcm(a, b):
    """|a / gcd * b| computed in the dtype, wrapping as PyTorch does (NumPy's lcm takes the
    absolute values first and so answers differently once the product overflows)."""
    g = np.gcd(a, b)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        q = np.floor_divide(a, np.where(g == 0, 1, g))  # exact: g divides a
        return np.where(g == 0, 0, np.abs(q * b)).astype(g.dtype)


def left_shift(a, b):
    """a << b; a shift count that is negative or at least the bit width gives 0."""
    bits = a.dtype.itemsize * 8
    b = np.asarray(b)
    ok = (b >= 0) & (b < bits)
    with np.errstate(over="ignore"):
        return np.where(ok, np.left_shift(a, np.where(ok, b, 0).astype(a.dtype)), 0).astype(np.result_type(a, b))


def right_shift(a, b):
    """a >> b; a count that is negative or at least the bit width shifts out every bit
    (0, or -1 for a negative signed a)."""
    bits = a.dtype.itemsize * 8
    b = np.asarray(b)
    ok = (b >= 0) & (b < bits)
    if a.dtype.kind == "u":
        return np.where(ok, np.right_shift(a, np.where(ok, b, 0).astype(a.dtype)), 0).astype(np.result_type(a, b))
    count = np.where(ok, b, bits - 1).astype(a.dtype)
    return np.right_shift(a, count).astype(np.result_type(a, b))


def isclose(a, b, rtol, atol):
    """PyTorch's isclose of integer tensors: equal, or the exact distance |a - b| (no wrapping:
    int8 -128 and 127 are 255 apart; 2**53 + 1 and 2**53 are 1 apart) within atol + rtol * |b|."""
    a, b = np.broadcast_arrays(a.astype(np.int64), b.astype(np.int64))
    ua, ub = a.astype(np.uint64), b.astype(np.uint64)
    with np.errstate(over="ignore"):
        distance = np.where(a >= b, ua - ub, ub - ua)  # modulo 2**64: exact, as the distance is < 2**64
    allowed = atol + rtol * np.abs(b.astype(np.float64))
    return (a == b) | (distance.astype(np.float64) <= allowed)
