"""MindSpore CPU kernels for convolutions.

First candidate: the NumPy gather (im2col / col2im over the tensors' own memory, see
np_conv.py) around MindSpore's MatMul.  Second: MindSpore's Conv2D primitive, which
measured far slower on CPU (bench/conv_kernels.py) and lacks float64; it stays as the
native candidate for conv2d where the gather path cannot run.
"""
from ops_table.nn_resample import host as np_conv
from ops_table.common._ms import from_host


def constant_pad_nd(x, pad, value):
    return from_host(np_conv.constant_pad_nd(x.asnumpy(), pad, value))
