"""MindSpore kernels for linear algebra (MatMul is fast on CPU; everything else composes)."""
import numpy as np

from ops_table.kernels._ms import from_host, host_array, prim


def numpy_matmul_wins(a, b, n=None):
    """Whether NumPy's BLAS beats MindSpore's MatMul for a (.., m, k) x (k, n) product
    (`n` defaults to b's last dimension).
    Measured on the 2-core CPU box (bench/rnn_step.py, loadavg ~8): float64 MatMul runs
    2-50x slower than NumPy on RNN shapes; float32 MatMul of up to a few million
    multiply-adds 1.6-4x slower ((64,64)x(64,256): 526 vs 328 us; (20,200)x(200,800):
    2473 vs 561 us), on par from ~100M ((700,200)x(200,800))."""
    dt = str(a.dtype)
    if dt != str(b.dtype) or dt not in ("Float64", "Float32"):
        return False
    if dt == "Float64":
        return True
    macs = 1
    for d in tuple(a.shape) + (b.shape[-1] if n is None else n,):
        macs *= d
    return macs <= 1 << 22


def mm(a, b):
    if numpy_matmul_wins(a, b):
        return from_host(np.matmul(host_array(a), host_array(b)))
    return prim("MatMul")(a, b)


def bmm(a, b):
    return prim("BatchMatMul")(a, b)


def tril(a, diagonal):
    return prim("Tril", int(diagonal))(a)


def triu(a, diagonal):
    return prim("Triu", int(diagonal))(a)


def linalg_svd(a, full_matrices, compute_uv, driver):
    # MindSpore's CPU Svd is Eigen's Jacobi SVD; PyTorch's CPU default is LAPACK's gesdd, whose
    # host twin is the kernel of record here (the same singular values to the last ulps).
    from ops_table.kernels import np_linalg
    return tuple(from_host(x) for x in np_linalg.linalg_svd(host_array(a), full_matrices, compute_uv, driver))
