"""Host (NumPy) kernels for pointwise ops, used in forked DataLoader workers."""
import numpy as np

from ops_table.kernels import np_int_exact as _int


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


def relu(a):
    return np.maximum(a, np.zeros((), a.dtype))


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
