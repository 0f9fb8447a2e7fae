"""NumPy pooling kernels: max pooling with PyTorch's indices, adaptive windows, the scatter of
their backward, and the argument checks with PyTorch's messages."""
import numpy as np
from numpy.lib.stride_tricks import as_strided


_INT_NAMES = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


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
