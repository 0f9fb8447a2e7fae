"""Backward helpers for convolutions, written with table ops (conv / conv_transpose /
shape ops) so that double backward differentiates through them again."""


def _T():
    from dispatch.opsns import T
    return T


def pool_gather(grad, indices):
    """Double backward of the pooling scatter: read grad at the argmax positions."""
    g = grad.flatten(-2)
    return _T().gather(g, -1, indices.flatten(-2)).reshape(indices.shape)
