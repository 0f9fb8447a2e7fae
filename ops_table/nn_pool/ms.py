"""MindSpore-backend pooling kernels: the NumPy kernels of host.py run on host copies of the arrays."""
from ops_table.nn_pool import host as _np
from ops_table.common._ms import from_host


def max_pool2d_with_indices(x, kernel_size, stride, padding, dilation, ceil_mode):
    v, i = _np.max_pool2d_with_indices(x.asnumpy(), kernel_size, stride, padding, dilation, ceil_mode)
    return from_host(v), from_host(i)


def adaptive_max_pool2d(x, output_size):
    v, i = _np.adaptive_max_pool2d(x.asnumpy(), output_size)
    return from_host(v), from_host(i)


def max_pool2d_with_indices_backward(grad, x, kernel_size, stride, padding, dilation, ceil_mode, indices):
    return from_host(_np.scatter_indices(grad.asnumpy(), x.asnumpy(), indices.asnumpy()))


def adaptive_max_pool2d_backward(grad, x, indices):
    return from_host(_np.scatter_indices(grad.asnumpy(), x.asnumpy(), indices.asnumpy()))
