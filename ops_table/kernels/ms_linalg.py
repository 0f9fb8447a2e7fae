"""MindSpore kernels for linear algebra (MatMul is fast on CPU; everything else composes)."""
import numpy as np

from ops_table.kernels._ms import from_host, host_array, prim


def mm(a, b):
    if str(a.dtype) == "Float64" and str(b.dtype) == "Float64":
        # MindSpore's CPU float64 MatMul runs 10-50x slower than NumPy's BLAS on
        # recurrent-layer shapes (bench/rnn_step.py); float32 MatMul is fine.
        return from_host(np.matmul(host_array(a), host_array(b)))
    return prim("MatMul")(a, b)


def bmm(a, b):
    return prim("BatchMatMul")(a, b)


def tril(a, diagonal):
    return prim("Tril", int(diagonal))(a)


def triu(a, diagonal):
    return prim("Triu", int(diagonal))(a)
