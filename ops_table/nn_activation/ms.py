"""MindSpore kernels for torch.nn.functional ops (activations, softmax, linear, embedding).

Measured on MindSpore 2.10 CPU: the float64 kernels of `Softplus`, `LogSoftmax` and
`GeLU` compute at float32 precision (GeLU is even the tanh approximation), so those
ops are composed here from primitives that are exact in float64 (Exp, Log1p, Erf,
ReduceMax, ReduceSum)."""
import math

import numpy as np

from ops_table.common._ms import from_host, host_array, numpy_matmul_wins, prim, scalar


_FLOATS = ("Float32", "Float64", "Float16", "BFloat16", "float32", "float64", "float16")


def _float_only(x, name):
    if str(x.dtype) not in _FLOATS:
        raise NotImplementedError(f"\"{name}\" not implemented for '{x.dtype}'")


def _dim(dim, ndim):
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


def softmax_dim(dim, ndim):
    """PyTorch's implicit softmax dim (F.softmax(x) without dim)."""
    if dim is not None:
        return dim
    return 0 if ndim in (0, 1, 3) else 1


def _as_1d_if_scalar(x):
    # MindSpore's reductions and Softmax reject axis 0 on 0-d tensors; torch accepts dim 0/-1.
    return (prim("Reshape")(x, (1,)), True) if len(x.shape) == 0 else (x, False)


def softmax(x, dim, *rest):
    _float_only(x, "softmax_lastdim_kernel_impl")
    d = _dim(softmax_dim(dim, len(x.shape)), len(x.shape))
    x1, was0 = _as_1d_if_scalar(x)
    # Composed rather than MindSpore's Softmax, which zeroes the whole tensor when one row
    # is all -inf (PyTorch gives NaN for that row only); Exp(LogSoftmax) was measured to lose
    # ~1e-5 relative precision in attention (float32), so the reduction is spelled out.
    e = prim("Exp")(prim("Sub")(x1, prim("ReduceMax", True)(x1, (d,))))
    r = prim("RealDiv")(e, prim("ReduceSum", True)(e, (d,)))
    return prim("Reshape")(r, ()) if was0 else r


def log_softmax(x, dim, *rest):
    _float_only(x, "log_softmax_lastdim_kernel_impl")
    d = _dim(softmax_dim(dim, len(x.shape)), len(x.shape))
    x1, was0 = _as_1d_if_scalar(x)
    shifted = prim("Sub")(x1, prim("ReduceMax", True)(x1, (d,)))
    lse = prim("Log")(prim("ReduceSum", True)(prim("Exp")(shifted), (d,)))
    r = prim("Sub")(shifted, lse)
    return prim("Reshape")(r, ()) if was0 else r


def softplus(x, beta, threshold):
    _float_only(x, "softplus_cpu")
    bx = prim("Mul")(x, scalar(beta, x)) if beta != 1 else x
    # max(z, 0) + log1p(exp(-|z|)) never overflows and keeps float64 precision.
    sp = prim("Add")(prim("Maximum")(bx, scalar(0, x)), prim("Log1p")(prim("Exp")(prim("Neg")(prim("Abs")(bx)))))
    if beta != 1:
        sp = prim("Div")(sp, scalar(beta, x))
    return prim("Select")(prim("Greater")(bx, scalar(threshold, x)), x, sp)


def logsigmoid(x):
    _float_only(x, "log_sigmoid_cpu")
    # log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|))
    return prim("Sub")(prim("Minimum")(x, scalar(0, x)), prim("Log1p")(prim("Exp")(prim("Neg")(prim("Abs")(x)))))


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def _tanh(u):
    # MindSpore's float32 Tanh is off by up to 1e-4 (|u| = 5); expm1 of -2|u| is exact and cannot overflow.
    e = prim("Expm1")(prim("Mul")(prim("Abs")(u), scalar(-2, u)))
    t = prim("Div")(prim("Neg")(e), prim("Add")(e, scalar(2, u)))
    return prim("Mul")(t, prim("Sign")(u))


def gelu(x, approximate):
    _float_only(x, "GeluKernelImpl")
    half = prim("Mul")(x, scalar(0.5, x))
    if approximate == "none":
        inner = prim("Erf")(prim("Mul")(x, scalar(1 / math.sqrt(2.0), x)))
    elif approximate == "tanh":
        cube = prim("Mul")(prim("Mul")(x, x), x)
        u = prim("Mul")(prim("Add")(x, prim("Mul")(cube, scalar(0.044715, x))), scalar(_SQRT_2_OVER_PI, x))
        inner = _tanh(u)
    else:
        raise RuntimeError(f"approximate argument must be either none or tanh.")
    return prim("Mul")(half, prim("Add")(inner, scalar(1, x)))


def gelu_backward(grad, x, approximate):
    one = scalar(1, x)
    if approximate == "none":
        cdf = prim("Mul")(prim("Add")(prim("Erf")(prim("Mul")(x, scalar(1 / math.sqrt(2.0), x))), one),
                          scalar(0.5, x))
        pdf = prim("Mul")(prim("Exp")(prim("Mul")(prim("Mul")(x, x), scalar(-0.5, x))),
                          scalar(1 / math.sqrt(2 * math.pi), x))
        d = prim("Add")(cdf, prim("Mul")(x, pdf))
    elif approximate == "tanh":
        x2 = prim("Mul")(x, x)
        u = prim("Mul")(prim("Mul")(x, prim("Add")(one, prim("Mul")(x2, scalar(0.044715, x)))),
                        scalar(_SQRT_2_OVER_PI, x))
        t = _tanh(u)
        du = prim("Mul")(prim("Add")(one, prim("Mul")(x2, scalar(3 * 0.044715, x))), scalar(_SQRT_2_OVER_PI, x))
        sech2 = prim("Sub")(one, prim("Mul")(t, t))
        d = prim("Mul")(prim("Add")(prim("Add")(one, t), prim("Mul")(prim("Mul")(x, sech2), du)), scalar(0.5, x))
    else:
        raise RuntimeError("approximate argument must be either none or tanh.")
    return prim("Mul")(grad, d)


def linear(x, w, b):
    if len(w.shape) == 1:
        r = prim("ReduceSum", False)(prim("Mul")(x, w), (len(x.shape) - 1,))
        return r if b is None else prim("Add")(r, b)
    if len(x.shape) == 0 or len(w.shape) != 2 or x.shape[-1] != w.shape[1]:
        lead = tuple(x.shape[:-1]) if len(x.shape) else ()
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({int(np.prod(lead)) if lead else 1}x"
                           f"{x.shape[-1] if len(x.shape) else 1} and {tuple(w.shape)[::-1]})")
    lead = tuple(x.shape[:-1])
    if numpy_matmul_wins(x, w, w.shape[0]):
        # Small and float64 products run faster in NumPy's BLAS (see common/_ms.numpy_matmul_wins).
        r = np.matmul(host_array(x), host_array(w).T)
        return from_host(r if b is None else host_array(b) + r)
    x2 = prim("Reshape")(x, (-1, x.shape[-1])) if len(x.shape) != 2 else x
    r = prim("MatMul", False, True)(x2, w)
    if b is not None:
        r = prim("Add")(r, b)
    return prim("Reshape")(r, lead + (w.shape[0],)) if len(x.shape) != 2 else r


def embedding(weight, indices, padding_idx, scale_grad_by_freq, sparse):
    """aten::embedding: rows of `weight` picked by `indices` (padding_idx only shapes the gradient)."""
    if sparse:
        raise NotImplementedError("mstorch: embedding(sparse=True) (sparse gradients) is not supported; "
                                  "use sparse=False")
    if str(indices.dtype) not in ("Int64", "Int32"):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {indices.dtype} instead (while checking arguments for embedding)")
    if len(weight.shape) != 2:
        raise RuntimeError("'weight' must be 2-D")
    idx = indices.asnumpy()
    if idx.size and (idx.min() < 0 or idx.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")
    return prim("Gather")(weight, indices, 0)


def embedding_dense_backward(grad, indices, num_weights, padding_idx, scale_grad_by_freq):
    dim = grad.shape[-1] if len(grad.shape) else 1
    flat_idx = prim("Reshape")(indices, (-1,))
    g2 = prim("Reshape")(grad, (-1, dim))
    idx_np = flat_idx.asnumpy()
    if scale_grad_by_freq:
        counts = np.bincount(idx_np, minlength=num_weights).astype(_np_dtype(grad))
        scale = counts[idx_np]
        g2 = prim("Div")(g2, _ms_array(scale.reshape(-1, 1)))
    if padding_idx is not None and padding_idx >= 0:
        keep = (idx_np != padding_idx).astype(_np_dtype(grad)).reshape(-1, 1)
        g2 = prim("Mul")(g2, _ms_array(keep))
    return prim("UnsortedSegmentSum")(g2, flat_idx, num_weights)


def one_hot(x, num_classes):
    if str(x.dtype) != "Int64":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    n = _one_hot_classes(x.asnumpy(), num_classes)
    on = scalar(1, x)
    off = scalar(0, x)
    return prim("OneHot", -1)(x, n, on, off)


def _one_hot_classes(idx, num_classes):
    if idx.size == 0:
        if num_classes == -1:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        return num_classes
    if idx.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        return int(idx.max()) + 1
    if idx.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return num_classes


def _np_dtype(arr):
    return np.dtype({"Float32": "float32", "Float64": "float64", "Float16": "float16"}.get(str(arr.dtype), "float32"))


def _ms_array(a):
    from mindspore import Tensor
    return Tensor.from_numpy(np.ascontiguousarray(a))
