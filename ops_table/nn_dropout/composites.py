"""The dropout family as PyTorch builds it from other ops: `x * noise` with `noise = bernoulli_(1 - p) / (1 - p)`
drawn from the default generator."""
import math
import warnings
import numpy as np


_ALPHA = 1.7580993408473766  # SELU's alpha * lambda, as in ATen's Dropout.cpp


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _noise_scale(noise, p):
    """noise.div_(1 - p) as ATen computes it.  For Half/BFloat16 ATen multiplies by the
    float reciprocal of the float scalar; dividing here would first round 1 - p to the
    tensor's dtype, so the scale is formed in float32 and multiplied in (exact on 0/1)."""
    if noise.dtype.name in ("float16", "bfloat16"):
        return noise.mul_(float(np.float32(1.0) / np.float32(1.0 - p)))
    return noise.div_(1.0 - p)


def _dropout_impl(T, input, p, train, inplace, feature=False, alpha=False):
    """ATen's `_dropout_impl`: returns `input` itself when nothing is dropped."""
    if p == 0 or not train or input.numel() == 0:
        return input
    if p == 1:
        zero = T.zeros((), dtype=input.dtype, device=input.device)
        return input.mul_(zero) if inplace else input * zero
    if feature:
        if input.dim() < 2:
            raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
        shape = tuple(input.shape[:2]) + (1,) * (input.dim() - 2)
        noise = T.empty(shape, dtype=input.dtype, device=input.device)
    else:
        noise = T.empty_like(input)
    noise.bernoulli_(1 - p)
    if alpha:
        a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
        b = noise.add(-1).mul_(_ALPHA * a).add_(_ALPHA * a * p)
        noise.mul_(a)
        out = input.mul_(noise) if inplace else input * noise
        return out.add_(b)
    _noise_scale(noise, p)
    return input.mul_(noise) if inplace else input * noise


def _unbatched(T, input, p, training, inplace, **kw):
    """dropout1d/3d on an input without batch dimension: torch unsqueezes, drops, squeezes."""
    view = input.unsqueeze(0)
    out = _dropout_impl(T, view, p, training, inplace, **kw)
    return input if inplace else out.squeeze(0)


def dropout(T, input, p, training, inplace):
    _check_p(p)
    return _dropout_impl(T, input, p, training, inplace)


def alpha_dropout(T, input, p, training, inplace):
    _check_p(p)
    return _dropout_impl(T, input, p, training, inplace, alpha=True)


def feature_alpha_dropout(T, input, p, training, inplace):
    _check_p(p)
    return _dropout_impl(T, input, p, training, inplace, feature=True, alpha=True)


def dropout1d(T, input, p, training, inplace):
    _check_p(p)
    nd = input.dim()
    if nd not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {nd}D input. Note that dropout1d exists to "
            "provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an "
            "optional batch dimension (i.e. 2D or 3D inputs).")
    if nd == 2:
        return _unbatched(T, input, p, training, inplace, feature=True)
    return _dropout_impl(T, input, p, training, inplace, feature=True)


def dropout2d(T, input, p, training, inplace):
    _check_p(p)
    nd = input.dim()
    if nd not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {nd}-D input to dropout2d, which is deprecated and will result in an error "
            "in a future release. To retain the behavior and silence this warning, please use dropout instead. "
            "Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a "
            "channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).", stacklevel=3)
    if nd == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is "
            "desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will "
            "change in a future release to interpret the input as one without a batch dimension, i.e. shape "
            "(C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d "
            "instead.", stacklevel=3)
    return _dropout_impl(T, input, p, training, inplace, feature=True)


def dropout3d(T, input, p, training, inplace):
    _check_p(p)
    nd = input.dim()
    if nd not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {nd}-D input to dropout3d, which is deprecated and will result in an error "
            "in a future release. To retain the behavior and silence this warning, please use dropout instead. "
            "Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial dimensions, a "
            "channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).", stacklevel=3)
    if nd != 5:
        return _unbatched(T, input, p, training, inplace, feature=True)
    return _dropout_impl(T, input, p, training, inplace, feature=True)
