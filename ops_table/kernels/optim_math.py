"""Optimizer updates (Adam/AdamW, SGD) in PyTorch's order of operations, on arrays of either backend.

`lib` supplies what plain arithmetic operators do not: `sqrt`, `maximum` and
`scalar(value, like)` (a 0-d array of `like`'s dtype, so float64 arrays are not combined
with float32-rounded Python floats). Arrays come in the dtype the update is computed in."""


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
