"""Backward helpers of pointwise ops. Complex gradients follow PyTorch's convention (the conjugate
Wirtinger derivative): a product's gradient multiplies by the conjugate of the other factor."""
from ops_table.common.provided import get as _get


def conj_if_complex(x):
    if getattr(x, "is_complex", None) is not None and x.is_complex():
        T = _get("T")
        return T.conj_physical(x)
    if isinstance(x, complex):
        return x.conjugate()
    return x


def angle_backward(grad, z):
    """d angle: zero for real inputs; for complex z, grad * i*z/|z|^2 (zero at z == 0), as PyTorch."""
    if not z.is_complex():
        return grad * 0
    T = _get("T")
    re, im = T.real(z), T.imag(z)
    mag2 = re * re + im * im
    scale = T.where(mag2 == 0, T.zeros_like(mag2), grad / T.where(mag2 == 0, T.ones_like(mag2), mag2))
    return T.complex(-im * scale, re * scale)


def _T():
    T = _get("T")
    return T


# ---- trigonometric and special functions ---------------------------------------------------
def logit_backward(grad, self, eps):
    T = _T()
    d = grad / (self * (1 - self))
    if eps is None:
        return d
    inside = T.logical_and(self >= eps, self <= 1 - eps)
    return T.where(inside, d, grad * 0)


def sinc_backward(grad, self):
    T = _T()
    px = self * 3.141592653589793
    safe = T.where(self == 0, T.ones_like(self), self)
    d = (T.cos(px) * px - T.sin(px)) / (px * safe)
    return grad * T.where(self == 0, T.zeros_like(self), d)


def copysign_self_grad(grad, self, result):
    T = _T()
    safe = T.where(self == 0, T.ones_like(self), self)
    return T.where(self == 0, grad * 0, grad * (result / safe))
