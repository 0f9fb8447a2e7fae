"""NumPy (host backend) kernels for torch.nn.functional ops; also what empty inputs run on."""
import math

import numpy as np

from ops_table.nn_activation.ms import _dim, _float_only, _one_hot_classes, softmax_dim


def _erf(x):
    # NumPy has no erf; math.erf per element is fine for the host backend's small tensors.
    return np.vectorize(math.erf, otypes=[x.dtype])(x) if x.size else x.copy()


def softmax(x, dim, *rest):
    _float_only(x, "softmax_lastdim_kernel_impl")
    d = _dim(softmax_dim(dim, x.ndim), x.ndim)
    x1 = x.reshape(1) if x.ndim == 0 else x
    e = np.exp(x1 - (np.max(x1, axis=d, keepdims=True) if x1.size else 0))
    r = e / np.sum(e, axis=d, keepdims=True)
    return r.reshape(x.shape).astype(x.dtype, copy=False)


def log_softmax(x, dim, *rest):
    _float_only(x, "log_softmax_lastdim_kernel_impl")
    d = _dim(softmax_dim(dim, x.ndim), x.ndim)
    x1 = x.reshape(1) if x.ndim == 0 else x
    s = x1 - (np.max(x1, axis=d, keepdims=True) if x1.size else 0)
    r = s - np.log(np.sum(np.exp(s), axis=d, keepdims=True))
    return r.reshape(x.shape).astype(x.dtype, copy=False)


def softplus(x, beta, threshold):
    _float_only(x, "softplus_cpu")
    bx = x * x.dtype.type(beta)
    sp = (np.maximum(bx, 0) + np.log1p(np.exp(-np.abs(bx)))) / x.dtype.type(beta)
    return np.where(bx > threshold, x, sp).astype(x.dtype, copy=False)


def logsigmoid(x):
    _float_only(x, "log_sigmoid_cpu")
    return (np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))).astype(x.dtype, copy=False)


def gelu(x, approximate):
    _float_only(x, "GeluKernelImpl")
    if approximate == "none":
        return (0.5 * x * (1 + _erf(x / math.sqrt(2.0)))).astype(x.dtype, copy=False)
    if approximate == "tanh":
        u = math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)
        return (0.5 * x * (1 + np.tanh(u))).astype(x.dtype, copy=False)
    raise RuntimeError("approximate argument must be either none or tanh.")


def gelu_backward(grad, x, approximate):
    if approximate == "none":
        d = 0.5 * (1 + _erf(x / math.sqrt(2.0))) + x * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    elif approximate == "tanh":
        k = math.sqrt(2 / math.pi)
        t = np.tanh(k * (x + 0.044715 * x ** 3))
        d = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x)
    else:
        raise RuntimeError("approximate argument must be either none or tanh.")
    return (grad * d).astype(x.dtype, copy=False)


def linear(x, w, b):
    if w.ndim == 2 and (x.ndim == 0 or x.shape[-1] != w.shape[1]):
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied")
    r = np.matmul(x, w.T if w.ndim == 2 else w)
    if b is not None:
        r = r + b
    return np.asarray(r, dtype=np.result_type(x, w))


def embedding(weight, indices, padding_idx, scale_grad_by_freq, sparse):
    if sparse:
        raise NotImplementedError("mstorch: embedding(sparse=True) (sparse gradients) is not supported; "
                                  "use sparse=False")
    if indices.dtype not in (np.int64, np.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {indices.dtype} instead (while checking arguments for embedding)")
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    if indices.size and (indices.min() < 0 or indices.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")
    return weight[indices]


def embedding_dense_backward(grad, indices, num_weights, padding_idx, scale_grad_by_freq):
    dim = grad.shape[-1]
    idx = indices.reshape(-1)
    g2 = grad.reshape(-1, dim).copy()
    if scale_grad_by_freq:
        counts = np.bincount(idx, minlength=num_weights)
        g2 = g2 / counts[idx].reshape(-1, 1).astype(g2.dtype)
    if padding_idx is not None and padding_idx >= 0:
        g2[idx == padding_idx] = 0
    out = np.zeros((num_weights, dim), dtype=grad.dtype)
    np.add.at(out, idx, g2)
    return out


def one_hot(x, num_classes):
    if x.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    n = _one_hot_classes(x, num_classes)
    return (x[..., None] == np.arange(n)).astype(np.int64)
