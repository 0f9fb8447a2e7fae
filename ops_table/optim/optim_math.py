"""Optimizer updates (Adam/AdamW, SGD) in PyTorch's order of operations, on arrays of either backend.

`lib` supplies what plain arithmetic operators do not: `sqrt`, `maximum` and
`scalar(value, like)` (a 0-d array of `like`'s dtype, so float64 arrays are not combined
with float32-rounded Python floats). Arrays come in the dtype the update is computed in.

`adam_step_exact` is the in-place NumPy form the CPU and host kernels run: PyTorch's own
rounding, op by op."""
import numpy as np


def bias_corrections(step, beta1, beta2):
    """(1 - beta1**step, sqrt(1 - beta2**step)), in double like PyTorch's Python-side math."""
    return 1 - beta1 ** step, (1 - beta2 ** step) ** 0.5


def adam_update(lib, p, g, m, v, vmax, *, step, lr, beta1, beta2, weight_decay, eps, maximize, decoupled):
    """New (param, exp_avg, exp_avg_sq, max_exp_avg_sq or None), computed out of place."""
    s = lib.scalar
    if maximize:
        g = -g
    if weight_decay != 0:
        if decoupled:
            p = p * s(1 - lr * weight_decay, p)
        else:
            g = g + p * s(weight_decay, p)
    w = 1 - beta1
    # lerp(m, g, w): PyTorch picks the form by the weight so either end is exact.
    m = m + (g - m) * s(w, m) if abs(w) < 0.5 else g - (g - m) * s(1 - w, m)
    v = v * s(beta2, v) + g * g * s(1 - beta2, v)
    bc1, bc2_sqrt = bias_corrections(step, beta1, beta2)
    if vmax is not None:
        vmax = lib.maximum(vmax, v)
    denom = lib.sqrt(vmax if vmax is not None else v) / s(bc2_sqrt, v) + s(eps, v)
    p = p - (m / denom) * s(lr / bc1, p)
    return p, m, v, vmax


def sgd_update(lib, p, g, buf, *, lr, weight_decay, momentum, dampening, nesterov, maximize, first_step):
    """New (param, momentum_buffer or None), computed out of place."""
    s = lib.scalar
    if maximize:
        g = -g
    if weight_decay != 0:
        g = g + p * s(weight_decay, p)
    if momentum != 0:
        buf = g if first_step else buf * s(momentum, buf) + g * s(1 - dampening, buf)
        g = g + buf * s(momentum, buf) if nesterov else buf
    return p - g * s(lr, p), buf


# Elements per block of the in-place NumPy step below: a block's wide temporaries (128 KB)
# stay in L2 cache. On 10.5M float32 parameters: 4096 -> 97 ms, 16384 -> 62 ms,
# 65536 -> 142 ms a step (measured, one thread).
_BLOCK = 1 << 14


def _fma_into(dst, x, y, z, tmp):
    """dst = x * y + z rounded once, as ATen's vectorized kernels compute it with fused
    multiply-add (add with alpha, lerp, addcmul): float32 products are exact in float64.
    `tmp` is a wide scratch array of dst's size."""
    np.multiply(x, y, out=tmp, dtype=tmp.dtype)
    np.add(tmp, z, out=tmp)
    np.copyto(dst, tmp, casting="same_kind")


def adam_step_exact(p, g, m, v, vmax, *, step, lr, beta1, beta2, weight_decay, eps, maximize, decoupled):
    """PyTorch's Adam/AdamW step, in place on flat-viewable NumPy arrays of one dtype (float32
    or float64), with ATen's rounding: every op rounds to the dtype, scalars are the dtype's
    rounding of PyTorch's double hyperparameters, and add(alpha)/lerp/addcmul fuse their
    multiply-add (measured against torch 2.13: bit-equal to its fused kernel; its single-tensor
    loop takes a vectorized sqrt that is not always correctly rounded, so a parameter can land
    a few ulps off it)."""
    dt = p.dtype.type
    wide = np.float64 if p.dtype == np.float32 else np.longdouble
    bc1, bc2_sqrt = bias_corrections(step, beta1, beta2)
    w = dt(1 - beta1)
    near_start = abs(float(w)) < 0.5
    decay = dt(1 - lr * weight_decay) if decoupled else dt(weight_decay)
    b2, one_minus_b2 = dt(beta2), dt(1 - beta2)
    bc2, eps_, neg_step = dt(bc2_sqrt), dt(eps), dt(-(lr / bc1))
    pf, gf, mf, vf = p.reshape(-1), g.reshape(-1), m.reshape(-1), v.reshape(-1)
    vmf = None if vmax is None else vmax.reshape(-1)
    consts = (dt, wide, w, near_start, decay, b2, one_minus_b2, bc2, eps_, neg_step, maximize, weight_decay, decoupled)
    _adam_range(pf, gf, mf, vf, vmf, 0, pf.size, consts)


def _adam_range(pf, gf, mf, vf, vmf, lo, hi, consts):
    dt, wide, w, near_start, decay, b2, one_minus_b2, bc2, eps_, neg_step, maximize, weight_decay, decoupled = consts
    size = min(hi - lo, _BLOCK)
    wide_buf, a_buf, b_buf = np.empty(size, wide), np.empty(size, dt), np.empty(size, dt)
    for s in range(lo, hi, _BLOCK):
        k = min(_BLOCK, hi - s)
        blk = slice(s, s + k)
        tmp, a, b = wide_buf[:k], a_buf[:k], b_buf[:k]
        pc, mc, vc = pf[blk], mf[blk], vf[blk]
        gc = gf[blk]
        if maximize:
            gc = np.negative(gc, out=b)
        if weight_decay != 0:
            if decoupled:
                np.multiply(pc, decay, out=pc)
            else:
                _fma_into(b, pc, decay, gc, tmp)
                gc = b
        diff = np.subtract(gc, mc, out=a)
        if near_start:
            _fma_into(mc, diff, w, mc, tmp)
        else:
            np.negative(diff, out=diff)
            _fma_into(mc, diff, dt(1) - w, gc, tmp)
        np.multiply(vc, b2, out=vc)
        sg = np.multiply(gc, one_minus_b2, out=a)
        _fma_into(vc, sg, gc, vc, tmp)
        base = vc
        if vmf is not None:
            base = np.maximum(vmf[blk], vc, out=vmf[blk])
        denom = np.sqrt(base, out=a)
        np.divide(denom, bc2, out=denom)
        np.add(denom, eps_, out=denom)
        upd = np.multiply(mc, neg_step, out=b)
        np.divide(upd, denom, out=upd)
        np.add(pc, upd, out=pc)
