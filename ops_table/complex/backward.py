"""Complex gradients follow PyTorch's convention (the conjugate Wirtinger derivative):
a product's gradient multiplies by the conjugate of the other factor."""


def conj_if_complex(x):
    if getattr(x, "is_complex", None) is not None and x.is_complex():
        from dispatch.opsns import T
        return T.conj_physical(x)
    if isinstance(x, complex):
        return x.conjugate()
    return x


def angle_backward(grad, z):
    """d angle: zero for real inputs; for complex z, grad * i*z/|z|^2 (zero at z == 0), as PyTorch."""
    if not z.is_complex():
        return grad * 0
    from dispatch.opsns import T
    re, im = T.real(z), T.imag(z)
    mag2 = re * re + im * im
    scale = T.where(mag2 == 0, T.zeros_like(mag2), grad / T.where(mag2 == 0, T.ones_like(mag2), mag2))
    return T.complex(-im * scale, re * scale)
