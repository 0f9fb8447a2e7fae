"""Convolution cores on NumPy memory, parameterised by the batched matrix product.

Data movement (padding, the im2col window gather, col2im scatter) is NumPy on the
arrays' memory; the arithmetic is one (batched) matrix product `mm`, which the
MindSpore kernels (ms_conv.py) hand to MindSpore's MatMul and the host kernels to
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


# ---- argument checks (metadata only; PyTorch's error types) -------------------------

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


# ---- constant padding ---------------------------------------------------------------

def constant_pad_nd(x, pad, value):
    """Pads the last len(pad)//2 dims (pairs from the last dim backwards); negative pads crop."""
    nd = len(pad) // 2
    crop = [slice(None)] * x.ndim
    widths = [(0, 0)] * x.ndim
    for i in range(nd):
        d = x.ndim - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        n = x.shape[d]
        crop[d] = slice(max(-lo, 0), n - max(-hi, 0))
        widths[d] = (max(lo, 0), max(hi, 0))
    x = x[tuple(crop)]
    if x.ndim == 0:
        return x.copy()
    v = value.item() if hasattr(value, "item") else value
    return np.pad(x, widths, constant_values=np.array(v).astype(x.dtype))


def check_constant_pad_nd(x, pad, value=0):
    if len(pad) % 2:
        raise RuntimeError("Length of pad must be even but instead it equals " + str(len(pad)))
    if len(pad) // 2 > x.dim():
        raise RuntimeError("Length of pad should be no more than twice the number of dimensions of the input. "
                           f"Pad length is {len(pad)} while the input has {x.dim()} dimensions.")
    for i in range(len(pad) // 2):
        d = x.dim() - 1 - i
        if x.shape[d] + pad[2 * i] + pad[2 * i + 1] < 0:
            raise RuntimeError(f"The input size {x.shape[d]}, plus negative padding {pad[2 * i]} and "
                               f"{pad[2 * i + 1]} resulted in a negative output size, which is invalid. Check "
                               f"dimension {d} of your input.")


# ---- max pooling ---------------------------------------------------------------------

def pool_out_size(size, k, s, p, d, ceil_mode):
    eff = d * (k - 1) + 1
    num = size + 2 * p - eff
    o = (-(-num // s) if ceil_mode else num // s) + 1
    if ceil_mode and (o - 1) * s >= size + p:
        o -= 1
    return o


def max_pool2d_with_indices(x, kernel_size, stride, padding, dilation, ceil_mode):
    """Values and flat (h * W + w) indices of the maxima, NaN winning as in PyTorch."""
    kernel_size, stride, padding, dilation = _pool_args(kernel_size, stride, padding, dilation)
    unb = x.ndim == 3
    if unb:
        x = x[None]
    n, c, h, w = x.shape
    oh = pool_out_size(h, kernel_size[0], stride[0], padding[0], dilation[0], ceil_mode)
    ow = pool_out_size(w, kernel_size[1], stride[1], padding[1], dilation[1], ceil_mode)
    need_h = (oh - 1) * stride[0] + dilation[0] * (kernel_size[0] - 1) + 1
    need_w = (ow - 1) * stride[1] + dilation[1] * (kernel_size[1] - 1) + 1
    ph_hi, pw_hi = max(need_h - h - padding[0], 0), max(need_w - w - padding[1], 0)
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    xp = np.pad(x, [(0, 0), (0, 0), (padding[0], ph_hi), (padding[1], pw_hi)], constant_values=fill)
    pos = np.arange(xp.shape[2] * xp.shape[3], dtype=np.int64).reshape(xp.shape[2:])
    hh, ww = np.divmod(pos, xp.shape[3])
    flat = (hh - padding[0]) * w + (ww - padding[1])
    if n * c * oh * ow == 0:
        vals = np.zeros((n, c, oh, ow), x.dtype)
        idx = np.zeros((n, c, oh, ow), np.int64)
    else:
        st = xp.strides
        shape = (n, c, oh, ow, kernel_size[0], kernel_size[1])
        win = as_strided(xp, shape, (st[0], st[1], st[2] * stride[0], st[3] * stride[1], st[2] * dilation[0],
                                     st[3] * dilation[1]), writeable=False).reshape(n, c, oh, ow, -1)
        arg = _window_argmax(win)
        vals = np.take_along_axis(win, arg[..., None], -1)[..., 0]
        fst = flat.strides
        fwin = as_strided(flat, (oh, ow, kernel_size[0], kernel_size[1]),
                          (fst[0] * stride[0], fst[1] * stride[1], fst[0] * dilation[0], fst[1] * dilation[1]),
                          writeable=False).reshape(oh, ow, -1)
        idx = np.take_along_axis(np.broadcast_to(fwin, (n, c) + fwin.shape), arg[..., None], -1)[..., 0]
        # A window with nothing above -inf keeps PyTorch's initial index: its first in-bounds
        # corner (start moved past the padding in steps of the dilation), even if out of range.
        starts = []
        for i, o in ((0, oh), (1, ow)):
            st0 = np.arange(o) * stride[i] - padding[i]
            st0 = np.where(st0 < 0, st0 + (-st0 + dilation[i] - 1) // dilation[i] * dilation[i], st0)
            starts.append(st0)
        default = starts[0][:, None] * w + starts[1][None, :]
        idx = np.where(vals == -np.inf, default, idx) if x.dtype.kind == "f" else idx
        vals, idx = np.ascontiguousarray(vals), np.ascontiguousarray(idx)
    if unb:
        return vals[0].copy(), idx[0].copy()
    return vals, idx


def _pool_args(kernel_size, stride, padding, dilation):
    k = list(kernel_size) * (2 if len(kernel_size) == 1 else 1)
    s = list(stride) if stride else k
    s = s * (2 if len(s) == 1 else 1)
    p = list(padding) * (2 if len(padding) == 1 else 1)
    d = list(dilation) * (2 if len(dilation) == 1 else 1)
    return k, s, p, d


def scatter_indices(grad, x, indices):
    """grad_input[..., indices[j]] += grad[..., j] over the last two dims (pooling backward)."""
    spatial = x.shape[-2:]
    hw = int(np.prod(spatial))
    lead = grad.shape[:-2]
    rows = int(np.prod(lead)) if lead else 1
    m = int(np.prod(grad.shape[-2:]))
    g = np.ascontiguousarray(grad).reshape(rows, m)
    ix = np.ascontiguousarray(indices).reshape(rows, m)
    if g.size == 0 or hw == 0:
        return np.zeros(tuple(lead) + tuple(spatial), grad.dtype)
    # Windows lying wholly in the padding point past the input (PyTorch's initial index); drop them.
    keep = ((ix >= 0) & (ix < hw)).reshape(-1)
    flat = (ix + np.arange(rows, dtype=np.int64)[:, None] * hw).reshape(-1)[keep]
    out = np.bincount(flat, weights=g.reshape(-1)[keep].astype(np.float64), minlength=rows * hw)
    return out.astype(grad.dtype).reshape(tuple(lead) + tuple(spatial))


def max_pool2d_with_indices_backward(grad, x, kernel_size, stride, padding, dilation, ceil_mode, indices):
    return scatter_indices(grad, x, indices)


def adaptive_max_pool2d_backward(grad, x, indices):
    return scatter_indices(grad, x, indices)


def adaptive_ranges(size, out):
    return [((i * size) // out, -(-((i + 1) * size) // out)) for i in range(out)]


def _window_argmax(win):
    """PyTorch's pick in a pooling window (last axis): the first largest element, or the
    last NaN when there is one (its kernels take `val > max || isnan(val)`)."""
    arg = np.argmax(win, axis=-1)  # NumPy's pick is the first NaN when there is one
    if win.dtype.kind == "f":
        has_nan = np.isnan(np.take_along_axis(win, arg[..., None], -1)[..., 0])
        if has_nan.any():  # only then scan the windows themselves (pooling's hot path stays one argmax)
            last_nan = win.shape[-1] - 1 - np.argmax(np.isnan(win[..., ::-1]), axis=-1)
            arg = np.where(has_nan, last_nan, arg)
    return arg


def adaptive_max_pool2d(x, output_size):
    unb = x.ndim == 3
    if unb:
        x = x[None]
    n, c, h, w = x.shape
    oh, ow = _adaptive_sizes(output_size, (h, w))
    vals = np.zeros((n, c, oh, ow), x.dtype)
    idx = np.zeros((n, c, oh, ow), np.int64)
    for i, (h0, h1) in enumerate(adaptive_ranges(h, oh)):
        for j, (w0, w1) in enumerate(adaptive_ranges(w, ow)):
            win = x[:, :, h0:h1, w0:w1].reshape(n, c, -1)
            if win.shape[-1] == 0:
                continue
            a = _window_argmax(win)
            vals[:, :, i, j] = np.take_along_axis(win, a[..., None], -1)[..., 0]
            idx[:, :, i, j] = (h0 + a // (w1 - w0)) * w + w0 + a % (w1 - w0)
    if unb:
        return vals[0].copy(), idx[0].copy()
    return vals, idx


def check_max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode):
    k, s, p, d = _pool_args(kernel_size, stride, padding, dilation)
    if x.dim() not in (3, 4):
        raise RuntimeError(f"non-empty 3D or 4D (batch mode) tensor expected for input, got {list(x.shape)}")
    if any(v <= 0 for v in k):
        raise RuntimeError("kernel size should be greater than zero")
    if any(v <= 0 for v in s):
        raise RuntimeError("stride should be greater than zero")
    if any(v <= 0 for v in d):
        raise RuntimeError("dilation should be greater than zero")
    if any(pp > kk // 2 for pp, kk in zip(p, k)) or any(pp < 0 for pp in p):
        raise RuntimeError("pad should be at most half of effective kernel size")
    if str(x.dtype).replace("torch.", "") in _INT_NAMES and str(x.dtype) != "torch.int64":
        raise RuntimeError(f"\"max_pool2d\" not implemented for '{_INT_NAMES[str(x.dtype).replace('torch.', '')]}'")
    for i in range(2):
        o = pool_out_size(x.shape[-2 + i], k[i], s[i], p[i], d[i], ceil_mode)
        if o <= 0:
            raise RuntimeError(f"Given input size: ({'x'.join(str(v) for v in x.shape[-3:])}). Calculated output "
                               "size is too small")


def _adaptive_sizes(output_size, spatial):
    sizes = list(output_size) if isinstance(output_size, (list, tuple)) else [output_size] * 2
    return [spatial[i] if v is None else int(v) for i, v in enumerate(sizes)]


def check_adaptive_max_pool2d(x, output_size):
    if x.dim() < 3:
        raise ValueError("Input dimension should be at least 3")
    if x.dim() not in (3, 4) or any(v == 0 for v in x.shape[-2:]):
        raise RuntimeError(f"adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: {list(x.shape)}")
    if isinstance(output_size, (list, tuple)) and len(output_size) != 2:
        raise ValueError("adaptive_max_pool2d(): output_size must be 2")
