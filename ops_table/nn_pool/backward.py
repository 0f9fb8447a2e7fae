"""Backward helpers for pooling (written with table ops, so double backward works)."""
from ops_table.common.provided import get as _get


def _T():
    T = _get("T")
    return T


def pool_gather(grad, indices):
    """Double backward of the pooling scatter: read grad at the argmax positions."""
    g = grad.flatten(-2)
    return _T().gather(g, -1, indices.flatten(-2)).reshape(indices.shape)
