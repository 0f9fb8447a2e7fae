"""Complex gradients follow PyTorch's convention (the conjugate Wirtinger derivative):
a product's gradient multiplies by the conjugate of the other factor."""


def conj_if_complex(x):
    if getattr(x, "is_complex", None) is not None and x.is_complex():
        from dispatch.opsns import T
        return T.conj_physical(x)
    if isinstance(x, complex):
        return x.conjugate()
    return x
