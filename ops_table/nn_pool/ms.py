"""MindSpore CPU kernels for convolutions.

First candidate: the NumPy gather (im2col / col2im over the tensors' own memory, see
np_conv.py) around MindSpore's MatMul.  Second: MindSpore's Conv2D primitive, which
measured far slower on CPU (bench/conv_kernels.py) and lacks float64; it stays as the
native candidate for conv2d where the gather path cannot run.
"""
from ops_table.nn_pool import host as np_conv
from ops_table.common._ms import from_host


def max_pool2d_with_indices(x, kernel_size, stride, padding, dilation, ceil_mode):
    v, i = np_conv.max_pool2d_with_indices(x.asnumpy(), kernel_size, stride, padding, dilation, ceil_mode)
    return from_host(v), from_host(i)


def adaptive_max_pool2d(x, output_size):
    v, i = np_conv.adaptive_max_pool2d(x.asnumpy(), output_size)
    return from_host(v), from_host(i)


def max_pool2d_with_indices_backward(grad, x, kernel_size, stride, padding, dilation, ceil_mode, indices):
    return from_host(np_conv.scatter_indices(grad.asnumpy(), x.asnumpy(), indices.asnumpy()))


def adaptive_max_pool2d_backward(grad, x, indices):
    return from_host(np_conv.scatter_indices(grad.asnumpy(), x.asnumpy(), indices.asnumpy()))
