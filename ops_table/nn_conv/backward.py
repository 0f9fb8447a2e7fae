"""Backward helpers for convolutions, written with table ops (conv / conv_transpose /
shape ops) so that double backward differentiates through them again."""
from ops_table.common.provided import get as _get


def _T():
    T = _get("T")
    return T


def _conv_fn(nd):
    return getattr(_T(), f"conv{nd}d")


def _convt_fn(nd):
    return getattr(_T(), f"conv_transpose{nd}d")


def _pads(padding, weight, dilation):
    nd = weight.dim() - 2
    if isinstance(padding, str):
        if padding == "valid":
            return [0] * nd, [0] * nd
        lo = [d * (k - 1) // 2 for k, d in zip(weight.shape[2:], dilation)]
        hi = [d * (k - 1) - l for k, d, l in zip(weight.shape[2:], dilation, lo)]
        return lo, hi
    return list(padding), list(padding)


def _batch(t, nd):
    return (t.unsqueeze(0), True) if t.dim() == nd + 1 else (t, False)


def _explicit_pad(x, lo, hi):
    pad = []
    for a, b in zip(reversed(lo), reversed(hi)):
        pad += [a, b]
    return _T().constant_pad_nd(x, pad, 0)


def conv_input_grad(grad, input, weight, stride, padding, dilation, groups):
    """d conv(input) / d input: the transposed convolution of grad."""
    nd = weight.dim() - 2
    lo, hi = _pads(padding, weight, dilation)
    g, unb = _batch(grad, nd)
    spatial = input.shape[-nd:]
    sym = lo == hi
    p = lo if sym else [0] * nd
    ops = []
    for i in range(nd):
        full = spatial[i] + (2 * lo[i] if sym else lo[i] + hi[i])
        used = (g.shape[2 + i] - 1) * stride[i] + dilation[i] * (weight.shape[2 + i] - 1) + 1
        ops.append(full - used)
    # output_padding may reach stride when the input had a ragged tail; split that off as zeros.
    extra = [max(0, o - max(stride[i], dilation[i]) + 1) for i, o in enumerate(ops)]
    ops = [o - e for o, e in zip(ops, extra)]
    r = _convt_fn(nd)(g, weight, None, stride, p, ops, groups, dilation)
    if any(extra):
        r = _explicit_pad(r, [0] * nd, extra)
    if not sym:
        for i in range(nd):
            r = r.narrow(2 + i, lo[i], spatial[i])
    return r.squeeze(0) if unb else r


def conv_weight_grad(grad, input, weight, stride, padding, dilation, groups):
    """d conv / d weight: a convolution of the input (channels as batch) with grad (batch as channels)."""
    nd = weight.dim() - 2
    lo, hi = _pads(padding, weight, dilation)
    x, _ = _batch(input, nd)
    g, _ = _batch(grad, nd)
    if lo != hi:
        x = _explicit_pad(x, lo, hi)
        lo = [0] * nd
    n, c = x.shape[:2]
    o = weight.shape[0]
    cg, og = c // groups, o // groups
    sp = list(range(3, 3 + nd))
    xs = x.reshape([n, groups, cg] + list(x.shape[2:])).permute([2, 1, 0] + sp)
    xs = xs.reshape([cg, groups * n] + list(x.shape[2:]))
    gs = g.reshape([n, groups, og] + list(g.shape[2:])).permute([1, 2, 0] + sp)
    gs = gs.reshape([groups * og, n] + list(g.shape[2:]))
    r = _conv_fn(nd)(xs, gs, None, dilation, lo, stride, groups)
    for i in range(nd):
        if r.shape[2 + i] != weight.shape[2 + i]:
            r = r.narrow(2 + i, 0, weight.shape[2 + i])
    return r.transpose(0, 1)


def conv_bias_grad(grad, weight):
    nd = weight.dim() - 2
    dims = [0] + list(range(2, grad.dim())) if grad.dim() == nd + 2 else list(range(1, grad.dim()))
    return grad.sum(dims)


def convt_input_grad(grad, input, weight, stride, padding, dilation, groups):
    """d conv_transpose / d input: the forward convolution of grad."""
    nd = weight.dim() - 2
    r = _conv_fn(nd)(grad, weight, None, stride, padding, dilation, groups)
    for i in range(nd):
        d = r.dim() - nd + i
        if r.shape[d] != input.shape[input.dim() - nd + i]:
            r = r.narrow(d, 0, input.shape[input.dim() - nd + i])
    return r


def convt_weight_grad(grad, input, weight, stride, padding, dilation, groups):
    """d conv_transpose / d weight: the conv weight grad with the roles of input and output swapped."""
    nd = weight.dim() - 2
    g, _ = _batch(grad, nd)
    x, _ = _batch(input, nd)
    # conv(g, W) maps the transposed conv's output back onto its input shape; its
    # weight gradient w.r.t. grad_output=x is the transposed conv's weight gradient.
    return conv_weight_grad(x, g, weight, stride, padding, dilation, groups)
