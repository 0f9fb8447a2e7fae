"""Host (NumPy) kernels for pointwise ops, used in forked DataLoader workers."""
import numpy as np


def add(a, b, alpha):
    return np.add(a, b * alpha if alpha != 1 else b)


def sub(a, b, alpha):
    return np.subtract(a, b * alpha if alpha != 1 else b)


def div(a, b, rounding_mode):
    if rounding_mode is None:
        return np.true_divide(a, b).astype(np.result_type(a, b) if a.dtype.kind == "f" else np.float32)
    if rounding_mode == "floor":
        return np.floor_divide(a, b)
    q = np.true_divide(a, b)
    return np.trunc(q).astype(np.result_type(a, b))


def clamp(a, lo, hi):
    if lo is not None:
        a = np.maximum(a, lo)
    if hi is not None:
        a = np.minimum(a, hi)
    return a


def where(cond, a, b):
    return np.where(cond, a, b)


def relu(a):
    return np.maximum(a, np.zeros((), a.dtype))


def sigmoid(a):
    return (1 / (1 + np.exp(-a))).astype(a.dtype)


def rsqrt(a):
    return (1 / np.sqrt(a)).astype(a.dtype)


def round_(a, decimals):
    return np.round(a, decimals)


def pow_(a, b):
    return np.power(a, b)
