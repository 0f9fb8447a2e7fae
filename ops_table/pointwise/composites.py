"""torch.where: the three-argument select, or the one-argument nonzero form."""
import math


def where(T, condition, self=None, other=None):
    if self is None and other is None:
        return T.nonzero(condition, as_tuple=True)
    if condition.dtype is not T.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{str(condition.dtype).replace('torch.', '').capitalize()}")
    dtype = T.result_type(self, other)
    return T._where(condition, _as(T, self, dtype), _as(T, other, dtype))


def _as(T, v, dtype):
    if isinstance(v, T.Tensor):
        return v if v.dtype is dtype else v.to(dtype)
    return T.tensor(v, dtype=dtype)


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


def logaddexp(T, a, b):
    m = T.maximum(a, b)
    # Where both are the same infinity, a - b is nan; the answer is that infinity.
    same_inf = (a == b) & T.isinf(a)
    out = m + T.log1p(T.exp(-T.abs(a - b)))
    return T.where(same_inf, a, out)


def logaddexp2(T, a, b):
    ln2 = 0.6931471805599453
    return logaddexp(T, a * ln2, b * ln2) / ln2
