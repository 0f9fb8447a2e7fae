"""Backward helpers for pooling (written with table ops, so double backward works)."""


def _T():
    from dispatch.opsns import T
    return T


def pool_gather(grad, indices):
    """Double backward of the pooling scatter: read grad at the argmax positions."""
    g = grad.flatten(-2)
    return _T().gather(g, -1, indices.flatten(-2)).reshape(indices.shape)
