"""MindSpore CPU kernels for convolutions.

First candidate: the NumPy gather (im2col / col2im over the tensors' own memory, see
host.py) around MindSpore's MatMul.  Second: MindSpore's Conv2D primitive, which
measured far slower on CPU (bench/conv_kernels.py) and lacks float64; it stays as the
native candidate for conv2d where the gather path cannot run.
"""
from ops_table.nn_conv import host as np_conv
from ops_table.common._ms import from_host, prim


def ms_mm(a, b, transpose_b=False):
    """Batched GEMM on NumPy operands through MindSpore (zero-copy both ways)."""
    ta, tb = from_host(a), from_host(b)
    if a.shape[0] == 1:
        r = prim("MatMul", False, transpose_b)(_squeeze0(ta), _squeeze0(tb))
        return r.asnumpy()[None]
    return prim("BatchMatMul", False, transpose_b)(ta, tb).asnumpy()


def _squeeze0(t):
    return t.reshape(tuple(t.shape[1:]))


def _host(a):
    return None if a is None else a.asnumpy()


def conv(x, w, b, stride, padding, dilation, groups):
    return from_host(np_conv.convolution(_host(x), _host(w), _host(b), stride, padding, dilation, groups, ms_mm))


def conv_transpose(x, w, b, stride, padding, output_padding, groups, dilation):
    return from_host(np_conv.convolution_transpose(_host(x), _host(w), _host(b), stride, padding, output_padding,
                                                   groups, dilation, ms_mm))


def conv2d_native(x, w, b, stride, padding, dilation, groups):
    """MindSpore's Conv2D primitive (float16/float32 only)."""
    if str(x.dtype) not in ("Float32", "Float16"):
        raise NotImplementedError(f"MindSpore Conv2D is not supported on CPU for {x.dtype}")
    unb = len(x.shape) == 3
    if unb:
        x = x.reshape((1,) + tuple(x.shape))
    lo, hi = np_conv.resolve_padding(padding, x.shape[2:], w.shape[2:], dilation)
    op = prim("Conv2D", int(w.shape[0]), tuple(int(k) for k in w.shape[2:]), 1, "pad",
              (lo[0], hi[0], lo[1], hi[1]), tuple(stride), tuple(dilation), groups)
    r = op(x, w)
    if b is not None:
        r = prim("BiasAdd")(r, b)
    if unb:
        r = r.reshape(tuple(r.shape[1:]))
    return r
