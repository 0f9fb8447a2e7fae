"""MindSpore logical ops: torch accepts any dtype and treats nonzero as True."""
from ops_table.kernels._ms import prim, scalar


def _as_bool(a):
    return a if str(a.dtype) == "Bool" else prim("NotEqual")(a, scalar(0, a))


def logical_and(a, b):
    return prim("LogicalAnd")(_as_bool(a), _as_bool(b))


def logical_or(a, b):
    return prim("LogicalOr")(_as_bool(a), _as_bool(b))
