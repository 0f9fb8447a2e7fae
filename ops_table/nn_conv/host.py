"""Convolution cores on NumPy memory, parameterised by the batched matrix product.

Data movement (padding, the im2col window gather, col2im scatter) is NumPy on the
arrays' memory; the arithmetic is one (batched) matrix product `mm`, which the
MindSpore kernels (ms.py) hand to MindSpore's MatMul and the host kernels to
np.matmul.  MindSpore's own CPU Conv2D runs a plain-NCHW oneDNN kernel that measured
~20-100x slower than this gather + GEMM (bench/conv_kernels.py), and it has no float64.
"""
import itertools
import numpy as np
from numpy.lib.stride_tricks import as_strided


def np_mm(a, b, transpose_b=False):
    return np.matmul(a, np.swapaxes(b, -1, -2) if transpose_b else b)


def resolve_padding(padding, spatial, kernel, dilation):
    """(lo, hi) per spatial dim from an int list or 'same'/'valid'."""
    if isinstance(padding, str):
        if padding == "valid":
            return [0] * len(spatial), [0] * len(spatial)
        lo, hi = [], []
        for k, d in zip(kernel, dilation):
            total = d * (k - 1)
            lo.append(total // 2)
            hi.append(total - total // 2)
        return lo, hi
    return list(padding), list(padding)


def conv_core(x, w, b, stride, pad_lo, pad_hi, dilation, groups, mm):
    """x (N, C, *S), w (O, C/groups, *K) -> (N, O, *out)."""
    n, c = x.shape[:2]
    spatial = x.shape[2:]
    o = w.shape[0]
    kernel = w.shape[2:]
    nd = len(spatial)
    if any(pad_lo) or any(pad_hi):
        x = np.pad(x, [(0, 0), (0, 0)] + list(zip(pad_lo, pad_hi)))
    else:
        x = np.ascontiguousarray(x)
    out = [(x.shape[2 + i] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1 for i in range(nd)]
    g = groups
    cg, og = c // g, o // g
    kp = int(np.prod(kernel)) if nd else 1
    ell = int(np.prod(out)) if nd else 1
    if n * ell * cg * kp == 0 or o == 0:
        res = np.zeros((n, o) + tuple(out), dtype=x.dtype)
    else:
        st = x.strides
        # Rows ordered (group, batch, out positions), columns (channel, kernel offsets):
        # one copy yields the GEMM operand and the batch of groups at once.
        view = as_strided(x, (g, n) + tuple(out) + (cg,) + tuple(kernel),
                          (cg * st[1], st[0]) + tuple(st[2 + i] * stride[i] for i in range(nd)) + (st[1],) +
                          tuple(st[2 + i] * dilation[i] for i in range(nd)), writeable=False)
        cols = np.ascontiguousarray(view).reshape(g, n * ell, cg * kp)
        wm = np.ascontiguousarray(w).reshape(g, og, cg * kp)
        r = mm(cols, wm, transpose_b=True)  # (g, n*ell, og)
        res = np.ascontiguousarray(r.reshape(g, n, ell, og).transpose(1, 0, 3, 2)).reshape((n, o) + tuple(out))
    if b is not None:
        res += b.reshape((1, o) + (1,) * nd)
    return res


def conv_transpose_core(x, w, b, stride, padding, output_padding, groups, dilation, mm):
    """x (N, Cin, *S), w (Cin, O/groups, *K) -> (N, O, *out): the adjoint of conv_core in x."""
    n, cin = x.shape[:2]
    spatial = x.shape[2:]
    nd = len(spatial)
    kernel = w.shape[2:]
    g = groups
    cg, og = cin // g, w.shape[1]
    o = og * g
    full = [(spatial[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1 + output_padding[i] for i in range(nd)]
    out = [full[i] - 2 * padding[i] for i in range(nd)]
    kp = int(np.prod(kernel)) if nd else 1
    ell = int(np.prod(spatial)) if nd else 1
    buf = np.zeros((n, g, og) + tuple(max(f, 0) for f in full), dtype=x.dtype)
    if n * ell * cg * og * kp:
        xm = np.ascontiguousarray(x.reshape(n, g, cg, ell).transpose(1, 0, 3, 2)).reshape(g, n * ell, cg)
        wm = np.ascontiguousarray(w).reshape(g, cg, og * kp)
        cols = np.asarray(mm(xm, wm)).reshape((g, n) + tuple(spatial) + (og,) + tuple(kernel))
        # cols axes: g, n, s_1..s_nd, og, k_1..k_nd  ->  n, g, og, s_1..s_nd, k_1..k_nd
        cols = cols.transpose((1, 0, 2 + nd) + tuple(range(2, 2 + nd)) + tuple(range(3 + nd, 3 + 2 * nd)))
        for kk in itertools.product(*[range(k) for k in kernel]):
            sl = tuple(slice(kk[i] * dilation[i], kk[i] * dilation[i] + (spatial[i] - 1) * stride[i] + 1, stride[i])
                       for i in range(nd))
            buf[(slice(None),) * 3 + sl] += cols[(Ellipsis,) + kk]
    crop = tuple(slice(padding[i], padding[i] + out[i]) for i in range(nd))
    res = np.ascontiguousarray(buf[(slice(None),) * 3 + crop]).reshape((n, o) + tuple(out))
    if b is not None:
        res += b.reshape((1, o) + (1,) * nd)
    return res


def _batched(x, nd):
    """Unbatched inputs (C, *S) run as a batch of one."""
    return (x[None], True) if x.ndim == nd + 1 else (x, False)


def convolution(x, w, b, stride, padding, dilation, groups, mm=np_mm):
    nd = w.ndim - 2
    x, unb = _batched(x, nd)
    lo, hi = resolve_padding(padding, x.shape[2:], w.shape[2:], dilation)
    r = conv_core(x, w, b, stride, lo, hi, dilation, groups, mm)
    return r[0].copy() if unb else r


def convolution_transpose(x, w, b, stride, padding, output_padding, groups, dilation, mm=np_mm):
    nd = w.ndim - 2
    x, unb = _batched(x, nd)
    r = conv_transpose_core(x, w, b, stride, padding, output_padding, groups, dilation, mm)
    return r[0].copy() if unb else r


def conv(x, w, b, stride, padding, dilation, groups):
    return convolution(x, w, b, stride, padding, dilation, groups)


def conv_transpose(x, w, b, stride, padding, output_padding, groups, dilation):
    return convolution_transpose(x, w, b, stride, padding, output_padding, groups, dilation)


_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16"}


_INT_NAMES = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _common(name, x, w, b, stride, dilation, groups, nd):
    if x.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got input "
                           f"of size: {list(x.shape)}")
    if w.dim() != nd + 2:
        raise RuntimeError(f"weight should have at least three dimensions; got weight of size {list(w.shape)}"
                           if w.dim() < 3 else f"Expected {nd + 2}-dimensional weight for {nd + 2}-dimensional input "
                                               f"{list(x.shape)}, but got {w.dim()}-dimensional weight")
    dname = x.dtype.__str__().replace("torch.", "")
    if dname in _INT_NAMES:
        raise RuntimeError(f"\"{name}\" not implemented for '{_INT_NAMES[dname]}'")
    if w.dtype != x.dtype:
        raise RuntimeError(f"Input type ({_TYPE_NAMES.get(dname, dname)}) and weight type "
                           f"({_TYPE_NAMES.get(str(w.dtype).replace('torch.', ''), w.dtype)}) should be the same")
    if b is not None and b.dtype != x.dtype:
        raise RuntimeError(f"Input type ({_TYPE_NAMES.get(dname, dname)}) and bias type should be the same")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("dilation should be greater than zero")
    if len(stride) != nd or len(dilation) != nd:
        raise RuntimeError(f"expected stride to be a single integer value or a list of {nd} values to match the "
                           f"convolution dimensions, but got stride={list(stride)}")


def _check_conv_nd(x, w, b, stride, padding, dilation, groups, nd, name="conv"):
    _common(name, x, w, b, stride, dilation, groups, nd)
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        if padding == "same" and any(s != 1 for s in stride):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        pads = [0] * nd
    else:
        pads = list(padding)
        if any(p < 0 for p in pads):
            raise RuntimeError("negative padding is not supported")
    c = x.shape[1] if x.dim() == nd + 2 else x.shape[0]
    if w.shape[0] % groups != 0:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but "
                           f"got weight of size {list(w.shape)} instead")
    if c != w.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(w.shape)}, expected input{list(x.shape)} to "
                           f"have {w.shape[1] * groups} channels, but got {c} channels instead")
    if b is not None and (b.dim() != 1 or b.shape[0] != w.shape[0]):
        raise RuntimeError(f"Given weight of size {list(w.shape)}, expected bias to be 1-dimensional with "
                           f"{w.shape[0]} elements, but got bias of size {list(b.shape)} instead")
    spatial = x.shape[-nd:]
    for i in range(nd):
        padded = spatial[i] + (2 * pads[i] if not isinstance(padding, str) else
                               (dilation[i] * (w.shape[2 + i] - 1) if padding == "same" else 0))
        if padded < dilation[i] * (w.shape[2 + i] - 1) + 1:
            raise RuntimeError("Calculated padded input size per channel: "
                               f"({' x '.join(str(s) for s in spatial)}). Kernel size: "
                               f"({' x '.join(str(k) for k in w.shape[2:])}). Kernel size can't be greater than "
                               "actual input size")


def _checker(nd, name):
    def check(x, w, b, stride, padding, dilation, groups):
        _check_conv_nd(x, w, b, stride, padding, dilation, groups, nd, name)
    return check


check_conv1d = _checker(1, "conv1d")


check_conv2d = _checker(2, "conv2d")


check_conv3d = _checker(3, "conv3d")


def _tchecker(nd, name):
    def check(x, w, b, stride, padding, output_padding, groups, dilation):
        _common(name, x, w, b, stride, dilation, groups, nd)
        if any(p < 0 for p in padding):
            raise RuntimeError("negative padding is not supported")
        if any(p < 0 for p in output_padding):
            raise RuntimeError("negative output_padding is not supported")
        c = x.shape[1] if x.dim() == nd + 2 else x.shape[0]
        if c != w.shape[0]:
            raise RuntimeError(f"Given transposed=1, weight of size {list(w.shape)}, expected input{list(x.shape)} "
                               f"to have {w.shape[0]} channels, but got {c} channels instead")
        if w.shape[0] % groups != 0:
            raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                               f"but got weight of size {list(w.shape)} instead")
        for i in range(nd):
            if not (output_padding[i] < stride[i] or output_padding[i] < dilation[i]):
                raise RuntimeError("output padding must be smaller than either stride or dilation, but got "
                                   f"output_padding_height: {output_padding[i]} output_padding_width: "
                                   f"{output_padding[i]} stride_height: {stride[i]} stride_width: {stride[i]} "
                                   f"dilation_height: {dilation[i]} dilation_width: {dilation[i]}")
        if b is not None and (b.dim() != 1 or b.shape[0] != w.shape[1] * groups):
            raise RuntimeError(f"Given transposed=1, weight of size {list(w.shape)}, expected bias to be "
                               f"1-dimensional with {w.shape[1] * groups} elements, but got bias of size "
                               f"{list(b.shape)} instead")
        spatial = x.shape[-nd:]
        for i in range(nd):
            size = (spatial[i] - 1) * stride[i] - 2 * padding[i] + dilation[i] * (w.shape[2 + i] - 1) + \
                output_padding[i] + 1
            if size <= 0:
                raise RuntimeError(f"Given input size per channel: ({' x '.join(str(s) for s in spatial)}). "
                                   "Calculated output size per channel is too small")
    return check


check_conv_transpose1d = _tchecker(1, "conv_transpose1d")


check_conv_transpose2d = _tchecker(2, "conv_transpose2d")


check_conv_transpose3d = _tchecker(3, "conv_transpose3d")
