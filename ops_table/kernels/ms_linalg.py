"""MindSpore kernels for linear algebra (MatMul is fast on CPU; everything else composes)."""
from ops_table.kernels._ms import prim


def mm(a, b):
    return prim("MatMul")(a, b)


def bmm(a, b):
    return prim("BatchMatMul")(a, b)


def tril(a, diagonal):
    return prim("Tril", int(diagonal))(a)


def triu(a, diagonal):
    return prim("Triu", int(diagonal))(a)
