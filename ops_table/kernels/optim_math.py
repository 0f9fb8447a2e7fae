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


# Elements per block of the in-place NumPy steps below: small enough that a block's
# temporaries stay in cache, large enough that the per-call overhead stays negligible.
_BLOCK = 1 << 16


def _fma(x, y, z, wide):
    """x * y + z rounded once, as ATen's vectorized kernels compute it with fused multiply-add
    (add with alpha, lerp, addcmul): float32 products are exact in float64."""
    return (x.astype(wide) * y + z).astype(z.dtype)


def adam_step_exact(p, g, m, v, vmax, *, step, lr, beta1, beta2, weight_decay, eps, maximize, decoupled):
    """PyTorch's single-tensor Adam/AdamW step, in place on NumPy arrays (one dtype, float32 or
    float64), with ATen's rounding: every op rounds to the dtype, scalars are the dtype's
    rounding of PyTorch's double hyperparameters, and add(alpha)/lerp/addcmul fuse their
    multiply-add (measured against torch 2.13: bit-equal but for torch's vectorized sqrt,
    which is not always correctly rounded, so a parameter can be 1 ulp off)."""
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
    for s in range(0, pf.size, _BLOCK):
        blk = slice(s, s + _BLOCK)
        pc, mc, vc = pf[blk], mf[blk], vf[blk]
        gc = -gf[blk] if maximize else gf[blk]
        if weight_decay != 0:
            if decoupled:
                np.multiply(pc, decay, out=pc)
            else:
                gc = _fma(pc, decay, gc, wide)
        diff = gc - mc
        if near_start:
            mc[...] = _fma(diff, w, mc, wide)
        else:
            mc[...] = _fma(-diff, dt(1) - w, gc, wide)
        np.multiply(vc, b2, out=vc)
        vc[...] = _fma(one_minus_b2 * gc, gc, vc, wide)
        base = vc
        if vmf is not None:
            base = np.maximum(vmf[blk], vc, out=vmf[blk])
        denom = np.sqrt(base)
        np.divide(denom, bc2, out=denom)
        np.add(denom, eps_, out=denom)
        upd = neg_step * mc
        np.divide(upd, denom, out=upd)
        np.add(pc, upd, out=pc)
