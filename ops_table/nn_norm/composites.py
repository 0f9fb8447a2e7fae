"""torch.nn.functional normalizations written with other table ops (autograd comes for free)."""
import numpy as np


def _channel_view(t, ndim):
    return t.reshape([1, -1] + [1] * (ndim - 2)) if ndim >= 2 else t


def _affine(y, weight, bias, ndim):
    if weight is not None:
        y = y * _channel_view(weight, ndim)
    if bias is not None:
        y = y + _channel_view(bias, ndim)
    return y


def _verify_batch_size(size):
    prod = size[0]
    for s in size[2:]:
        prod *= s
    if prod == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {list(size)}")


def batch_norm(T, x, running_mean, running_var, weight, bias, training, momentum, eps):
    if training:
        _verify_batch_size(tuple(x.shape))
    if x.dim() < 2:
        raise RuntimeError(f"batch_norm: expected 2D or more input (got {x.dim()}D input)")
    c = x.shape[1]
    for name, t in (("weight", weight), ("bias", bias), ("running_mean", running_mean),
                    ("running_var", running_var)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"running_mean should contain {c} elements not {t.numel()}" if name.startswith("r")
                               else f"{name} should contain {c} elements not {t.numel()}")
    dims = [0] + list(range(2, x.dim()))
    if training:
        mean = x.mean(dims, keepdim=True)
        centred = x - mean
        var = (centred * centred).mean(dims, keepdim=True)
        if running_mean is not None or running_var is not None:
            n = x.numel() // c
            # Buffers are written through detached aliases: the update is never part of the graph
            # (PyTorch's kernel writes them outside autograd too).
            if running_mean is not None:
                running_mean.detach().mul_(1 - momentum).add_(mean.detach().reshape(-1).to(running_mean.dtype) * momentum)
            if running_var is not None:
                unbiased = var.detach().reshape(-1) * (n / max(n - 1, 1))
                running_var.detach().mul_(1 - momentum).add_(unbiased.to(running_var.dtype) * momentum)
    else:
        if running_mean is None or running_var is None:
            raise RuntimeError("running_mean and running_var must be defined in evaluation mode")
        mean = _channel_view(running_mean, x.dim())
        var = _channel_view(running_var, x.dim())
        centred = x - mean
    y = centred * T.rsqrt(var + eps)
    return _affine(y, weight, bias, x.dim())


def instance_norm(T, x, running_mean, running_var, weight, bias, use_input_stats, momentum, eps):
    if use_input_stats:
        size = tuple(x.shape)
        prod = 1
        for s in size[2:]:
            prod *= s
        if prod == 1:
            raise ValueError(f"Expected more than 1 spatial element when training, got input size {list(size)}")
    if x.dim() < 3:
        raise RuntimeError(f"instance_norm: expected 3D or more input (got {x.dim()}D input)")
    if not use_input_stats:
        return batch_norm(T, x, running_mean, running_var, weight, bias, False, momentum, eps)
    dims = list(range(2, x.dim()))
    mean = x.mean(dims, keepdim=True)
    centred = x - mean
    var = (centred * centred).mean(dims, keepdim=True)
    if running_mean is not None or running_var is not None:
        n = 1
        for s in x.shape[2:]:
            n *= s
        if running_mean is not None:
            m = mean.detach().reshape(x.shape[0], x.shape[1]).mean(0)
            running_mean.detach().mul_(1 - momentum).add_(m.to(running_mean.dtype) * momentum)
        if running_var is not None:
            v = (var.detach().reshape(x.shape[0], x.shape[1]) * (n / max(n - 1, 1))).mean(0)
            running_var.detach().mul_(1 - momentum).add_(v.to(running_var.dtype) * momentum)
    y = centred * T.rsqrt(var + eps)
    return _affine(y, weight, bias, x.dim())


def layer_norm(T, x, normalized_shape, weight, bias, eps):
    shape = tuple(normalized_shape)
    k = len(shape)
    if k == 0 or x.dim() < k or tuple(x.shape[x.dim() - k:]) != shape:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape [*, "
                           f"{', '.join(map(str, shape))}], but got input of size{list(x.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                               f"{list(t.shape)} and normalized_shape = {list(shape)}")
    dims = list(range(x.dim() - k, x.dim()))
    mean = x.mean(dims, keepdim=True)
    centred = x - mean
    var = (centred * centred).mean(dims, keepdim=True)
    y = centred * T.rsqrt(var + eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def group_norm(T, x, num_groups, weight, bias, eps):
    if x.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {x.dim()}")
    n, c = x.shape[0], x.shape[1]
    if num_groups <= 0 or c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {list(x.shape)} and num_groups={num_groups}")
    _verify_batch_size([n * c // num_groups, num_groups] + list(x.shape[2:]))
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in input, "
                               f"but got {name} of shape {list(t.shape)} and input of shape {list(x.shape)}")
    g = x.reshape(n, num_groups, -1)
    mean = g.mean(-1, keepdim=True)
    centred = g - mean
    var = (centred * centred).mean(-1, keepdim=True)
    y = (centred * T.rsqrt(var + eps)).reshape(x.shape)
    return _affine(y, weight, bias, x.dim())


def local_response_norm(T, x, size, alpha, beta, k):
    if x.dim() < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {x.dim()} dimensions)")
    if x.numel() == 0:
        return x.clone()
    sq = x * x
    c = x.shape[1]
    before, after = size // 2, (size - 1) // 2
    parts = []
    if before:
        parts.append(T.zeros_like(sq.narrow(1, 0, 1)).expand([x.shape[0], before] + list(x.shape[2:])))
    parts.append(sq)
    if after:
        parts.append(T.zeros_like(sq.narrow(1, 0, 1)).expand([x.shape[0], after] + list(x.shape[2:])))
    padded = T.cat(parts, 1) if len(parts) > 1 else sq
    total = padded.narrow(1, 0, c)
    for s in range(1, size):
        total = total + padded.narrow(1, s, c)
    div = T.pow(total * (alpha / size) + k, beta)
    return x / div


def rms_norm(T, input, normalized_shape, weight, eps):
    """x * rsqrt(mean(x^2 over the normalised dims) + eps) * weight, computed in float32 for half inputs
    and returned in the input's dtype; eps=None is the compute dtype's machine epsilon (PyTorch's default)."""
    shape = [int(s) for s in normalized_shape]
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                           "element, but got normalized_shape = []")
    if weight is not None and list(weight.shape) != shape:
        raise RuntimeError(f"Expected weight to be of same shape as normalized_shape, but got weight of shape "
                           f"{list(weight.shape)} and normalized_shape = {shape}")
    if input.dim() < len(shape) or list(input.shape[input.dim() - len(shape):]) != shape:
        raise RuntimeError(f"Given normalized_shape={shape}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in shape)}], but got input of size{list(input.shape)}")
    compute = T.float32 if input.dtype in (T.float16, T.bfloat16) else input.dtype
    x = input.to(compute)
    if eps is None:
        eps = float(np.finfo(np.float64 if compute == T.float64 else np.float32).eps)
    dims = tuple(range(-len(shape), 0))
    out = x * T.rsqrt(x.pow(2).mean(dims, keepdim=True) + eps)
    if weight is not None:
        out = out * weight
    return out.to(input.dtype)  # PyTorch's result always has the input's dtype
