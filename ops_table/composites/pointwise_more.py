"""Pointwise ops that are compositions of other table ops (no kernel of their own)."""
import math


def positive(T, self):
    if self.dtype.name == "bool":
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return self


def allclose(T, self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(T.logical_not(T.isclose(self, other, rtol, atol, equal_nan)).sum().item() == 0)


def equal(T, self, other):
    if tuple(self.shape) != tuple(other.shape):
        return False
    return bool(T.logical_not(T.eq(self, other)).sum().item() == 0)


def mvlgamma(T, self, p):
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    if not self.is_floating_point():
        self = self.to(T.get_default_dtype())
    out = T.lgamma(self) if p == 1 else sum((T.lgamma(self - j / 2) for j in range(1, p)), T.lgamma(self))
    return out + p * (p - 1) / 4 * math.log(math.pi)
