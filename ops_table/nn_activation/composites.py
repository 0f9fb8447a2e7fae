"""torch.nn.functional ops written with other table ops (autograd comes for free).

Activations that take `inplace=`: one table entry cannot both run a kernel and honour
the flag (the dispatcher writes back only for the `inplace` variant), so these are
composites; `inplace=True` computes on a clone (so no tensor saved for backward is
the one being overwritten) and writes the result back with `copy_`, which bumps the
version counter and rebases autograd history as PyTorch's in-place kernels do.
"""
import math
import warnings

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _float_only(x, name):
    if not x.is_floating_point():
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{_legacy(x.dtype)}'")


def _legacy(dtype):
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}.get(str(dtype).replace("torch.", ""), str(dtype))


def _apply(x, fn, inplace):
    if not inplace:
        return fn(x)
    return x.copy_(fn(x.clone()))


# ---- activations -----------------------------------------------------------------

def leaky_relu(T, x, negative_slope, inplace):
    _float_only(x, "leaky_relu")
    return _apply(x, lambda v: T.where(v > 0, v, v * negative_slope), inplace)


def _elu(T, x, alpha, scale, input_scale, inplace, name):
    _float_only(x, name)

    def f(v):
        # The negative branch reads x where x <= 0 and 0 elsewhere (positive side and NaN), so
        # exp stays finite there and the unselected branch's zero gradient stays zero (not 0 * inf
        # or 0 * NaN).
        vn = T.where(v <= 0, v, T.zeros_like(v))
        neg = (T.exp(vn if input_scale == 1 else vn * input_scale) - 1) * (alpha * scale)
        # PyTorch takes the negative branch where x <= 0, so a NaN takes the positive one
        # (its gradient passes through).
        return T.where(v <= 0, neg, v if scale == 1 else v * scale)
    return _apply(x, f, inplace)


def elu(T, x, alpha, inplace):
    return _elu(T, x, alpha, 1.0, 1.0, inplace, "elu")


def selu(T, x, inplace):
    return _elu(T, x, _SELU_ALPHA, _SELU_SCALE, 1.0, inplace, "selu")


def celu(T, x, alpha, inplace):
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    return _elu(T, x, alpha, 1.0, 1.0 / alpha, inplace, "celu")


def hardtanh(T, x, min_val, max_val, inplace):
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if str(x.dtype) == "torch.bool":
        raise RuntimeError("Bool inputs not supported for hardtanh")
    return _apply(x, lambda v: _hardtanh(T, v, min_val, max_val), inplace)


def _hardtanh(T, v, lo, hi):
    """clamp's values with PyTorch's hardtanh gradient: zero where x <= lo or x >= hi (clamp's
    passes at the bounds), so a NaN passes its gradient."""
    inside = T.logical_not((v <= lo) | (v >= hi))
    return T.where(inside, v, T.clamp(v, lo, hi).detach())


def relu6(T, x, inplace):
    return hardtanh(T, x, 0.0, 6.0, inplace)


def threshold(T, x, threshold, value, inplace):
    # PyTorch replaces where x <= threshold, so a NaN passes through.
    return _apply(x, lambda v: T.where(v <= threshold, T.full_like(v, value), v), inplace)


def silu(T, x, inplace):
    _float_only(x, "silu")
    return _apply(x, lambda v: v * T.sigmoid(v), inplace)


def mish(T, x, inplace):
    _float_only(x, "mish")
    return _apply(x, lambda v: v * T.tanh(T.softplus(v)), inplace)


def hardsigmoid(T, x, inplace):
    _float_only(x, "hardsigmoid")
    # The gradient is 1/6 strictly inside (-3, 3) only, zero at the bounds and at NaN (PyTorch's).
    return _apply(x, lambda v: T.where((v > -3) & (v < 3), (v + 3) / 6, (T.clamp(v + 3, 0, 6) / 6).detach()),
                  inplace)


def hardswish(T, x, inplace):
    _float_only(x, "hardswish")
    return _apply(x, lambda v: _hardswish(T, v), inplace)


def _hardswish(T, v):
    """PyTorch's values (x * clamp(x + 3, 0, 6) / 6, so hardswish(-inf) is NaN) with its
    gradient's branches: 0 for x <= -3, x / 3 + 1/2 inside, 1 from 3 on and at NaN. The
    middle branch reads a NaN-free, bounded copy of x, so where it is not selected its
    gradient stays 0 (not 0 * NaN)."""
    tame = T.clamp(T.where(v != v, T.zeros_like(v), v), -3, 3)
    low = (v * T.clamp(v + 3, 0, 6) / 6).detach()
    return T.where(v <= -3, low, T.where(v < 3, tame * (tame + 3) / 6, v))


def rrelu(T, x, lower, upper, training, inplace):
    if training:
        raise NotImplementedError("mstorch: F.rrelu(training=True) draws random slopes and is not supported yet")
    return leaky_relu(T, x, (lower + upper) / 2, inplace)


def leaky_relu_(T, x, negative_slope):
    return leaky_relu(T, x, negative_slope, True)


def elu_(T, x, alpha):
    return elu(T, x, alpha, True)


def selu_(T, x):
    return selu(T, x, True)


def celu_(T, x, alpha):
    return celu(T, x, alpha, True)


def hardtanh_(T, x, min_val, max_val):
    return hardtanh(T, x, min_val, max_val, True)


def threshold_(T, x, threshold_, value):
    return threshold(T, x, threshold_, value, True)


def rrelu_(T, x, lower, upper, training):
    return rrelu(T, x, lower, upper, training, True)


def softsign(T, x):
    return x / (T.abs(x) + 1)


def softshrink(T, x, lambd):
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")
    _float_only(x, "softshrink_check")
    # x - clamp(x, -l, l) is x -/+ l outside [-l, l] and 0 inside, with slope 1 / 0 to match;
    # inside, PyTorch answers x * 0 (a -0.0 stays -0.0).
    out = x - T.clamp(x, -lambd, lambd)
    return T.where(out == 0, x * 0, out)


def hardshrink(T, x, lambd):
    _float_only(x, "hardshrink")
    # PyTorch zeroes where -lambd <= x <= lambd, so a NaN passes through.
    return T.where(T.abs(x) <= lambd, T.zeros_like(x), x)


def tanhshrink(T, x):
    return x - T.tanh(x)


def glu(T, x, dim):
    if x.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    n = x.shape[dim]
    if n % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {dim % x.dim()} is size {n}")
    half = n // 2
    return x.narrow(dim, 0, half) * T.sigmoid(x.narrow(dim, half, half))


def prelu(T, x, weight):
    _float_only(x, "prelu")
    n = weight.numel()
    if weight.dim() > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.dim()}")
    if n != 1:
        channels = x.shape[1] if x.dim() >= 2 else (x.shape[0] if x.dim() == 1 else 1)
        if x.dim() == 0 or n != channels:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                               f"{n} and channel size = {channels}.")
        if x.dim() >= 2:
            weight = weight.reshape([n] + [1] * (x.dim() - 2))
    elif weight.dim() == 1:
        weight = weight.reshape(())
    return T.where(x > 0, x, x * weight)


def softmin(T, x, dim, _stacklevel, dtype):
    if dtype is not None:
        x = x.to(dtype)
    return T.softmax(-x, dim)


# ---- linear / distances ----------------------------------------------------------

def bilinear(T, x1, x2, weight, bias):
    if weight.dim() != 3:
        raise RuntimeError(f"bilinear(): weight must be 3-dimensional, got {weight.dim()}")
    if x1.shape[:-1] != x2.shape[:-1]:
        raise RuntimeError("bilinear(): input batch dimensions do not match")
    o, i, j = weight.shape
    if x1.shape[-1] != i or x2.shape[-1] != j:
        raise RuntimeError("bilinear(): input size does not match weight size")
    lead = tuple(x1.shape[:-1])
    t = T.linear(x2.reshape(-1, j), weight.reshape(o * i, j)).reshape(-1, o, i)
    y = (t * x1.reshape(-1, 1, i)).sum(-1).reshape(lead + (o,))
    return y if bias is None else y + bias


def _norm(T, x, p, dim, keepdim):
    if p == 2:
        return T.sqrt((x * x).sum(dim, keepdim=keepdim))
    if p == 1:
        return T.abs(x).sum(dim, keepdim=keepdim)
    if p == math.inf:
        return _amax_abs(T, x, dim, keepdim)
    if p == 0:
        return (x != 0).to(x.dtype).sum(dim, keepdim=keepdim)
    return T.pow(T.pow(T.abs(x), p).sum(dim, keepdim=keepdim), 1.0 / p)


def _amax_abs(T, x, dim, keepdim):
    a = T.abs(x)
    n = x.shape[dim]
    if n == 0:
        raise RuntimeError("max(): Expected reduction dim to be specified for input.numel() == 0.")
    m = a.select(dim, 0)
    for k in range(1, n):
        m = T.maximum(m, a.select(dim, k))
    return m.unsqueeze(dim) if keepdim else m


def normalize(T, x, p, dim, eps, out=None):
    _float_only(x, "normalize")
    if x.dim() == 0:
        raise IndexError(f"Dimension out of range (expected to be in range of [-1, 0], but got {dim})")
    denom = T.clamp(_norm(T, x, p, dim, True), eps, None).expand_as(x)
    r = x / denom
    if out is not None:
        return out.copy_(r)
    return r


def cosine_similarity(T, x1, x2, dim, eps):
    n = max(x1.dim(), x2.dim())
    if not -max(n, 1) <= dim < max(n, 1):
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(n, 1)}, {max(n, 1) - 1}], "
                         f"but got {dim})")
    a, b = x1, x2
    if tuple(a.shape) != tuple(b.shape):
        shape = _broadcast_shape(tuple(a.shape), tuple(b.shape))
        a, b = a.expand(shape), b.expand(shape)
    if not a.is_floating_point():
        a, b = a.to(T.get_default_dtype()), b.to(T.get_default_dtype())
    na = T.clamp(_norm(T, a, 2, dim, True), eps, None)
    nb = T.clamp(_norm(T, b, 2, dim, True), eps, None)
    return ((a / na) * (b / nb)).sum(dim)


def _broadcast_shape(s1, s2):
    n = max(len(s1), len(s2))
    s1, s2 = (1,) * (n - len(s1)) + s1, (1,) * (n - len(s2)) + s2
    out = []
    for a, b in zip(s1, s2):
        if a != b and 1 not in (a, b):
            raise RuntimeError(f"The size of tensor a ({a}) must match the size of tensor b ({b}) at non-singleton "
                               "dimension")
        out.append(b if a == 1 else a)
    return tuple(out)


def pairwise_distance(T, x1, x2, p, eps, keepdim):
    n = max(x1.dim(), x2.dim())
    diff = x1 - x2 + eps
    if n == 0:
        diff = diff.reshape(1)
        r = _norm(T, diff, p, 0, keepdim)
        return r if keepdim else r.reshape(())
    return _norm(T, diff, p, n - 1, keepdim)


# ---- normalization ---------------------------------------------------------------

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


# ---- losses ----------------------------------------------------------------------

def _reduction(size_average, reduce, reduction):
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if not reduce:
        return "none"
    return "mean" if size_average else "sum"


def _check_reduction(reduction):
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _reduce(loss, reduction):
    _check_reduction(reduction)
    if reduction == "none":
        return loss
    return loss.mean() if reduction == "mean" else loss.sum()


def _warn_size(x, t):
    if tuple(x.shape) != tuple(t.shape):
        warnings.warn(f"Using a target size ({t.shape}) that is different to the input size ({x.shape}). This will "
                      "likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
                      stacklevel=4)


def _weighted(loss, weight, reduction, x, mean_by_weight):
    if weight is None:
        return _reduce(loss, reduction)
    if tuple(weight.shape) != tuple(x.shape):
        raise ValueError("Weights and input must have the same size.")
    loss = loss * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.sum() / weight.sum() if mean_by_weight else loss.mean()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def mse_loss(T, x, t, size_average, reduce, reduction, weight):
    _warn_size(x, t)
    reduction = _reduction(size_average, reduce, reduction)
    d = x - t
    if weight is None:
        _check_reduction(reduction)
    return _weighted(d * d, weight, reduction, x, True)


def l1_loss(T, x, t, size_average, reduce, reduction, weight):
    _warn_size(x, t)
    reduction = _reduction(size_average, reduce, reduction)
    if weight is None:
        _check_reduction(reduction)
    return _weighted(T.abs(x - t), weight, reduction, x, True)


def smooth_l1_loss(T, x, t, size_average, reduce, reduction, beta):
    _warn_size(x, t)
    reduction = _reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    d = T.abs(x - t)
    if beta == 0:
        return _reduce(d, reduction)
    return _reduce(T.where(d < beta, d * d * (0.5 / beta), d - 0.5 * beta), reduction)


def huber_loss(T, x, t, reduction, delta, weight):
    _warn_size(x, t)
    if weight is None:
        _check_reduction(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    d = T.abs(x - t)
    loss = T.where(d < delta, d * d * 0.5, (d - 0.5 * delta) * delta)
    return _weighted(loss, weight, reduction, x, False)


def _check_class_targets(T, x, target, weight, ignore_index):
    """PyTorch's errors for class-index targets of nll_loss/cross_entropy."""
    if x.dim() < 1:
        raise IndexError("Dimension specified as 1 but tensor has no dimensions")
    if target.dtype not in (T.int64, T.uint8) and target.is_floating_point() is False and target.dtype != T.int32:
        raise RuntimeError(f"expected scalar type Long but found {_legacy(target.dtype)}")
    if target.is_floating_point():
        raise RuntimeError(f"expected scalar type Long but found {str(target.dtype).replace('torch.', '').title()}")
    c = x.shape[1] if x.dim() >= 2 else x.shape[0]
    if x.dim() >= 2 and (target.dim() != x.dim() - 1 or x.shape[0] != target.shape[0]):
        if target.dim() >= 1 and x.shape[0] != target.shape[0]:
            raise ValueError(f"Expected input batch_size ({x.shape[0]}) to match target batch_size "
                             f"({target.shape[0]}).")
        raise RuntimeError(f"expected target of shape {list(x.shape[:1]) + list(x.shape[2:])} but got "
                           f"{list(target.shape)}")
    if x.dim() >= 2 and tuple(target.shape[1:]) != tuple(x.shape[2:]):
        raise RuntimeError(f"size mismatch (got input: {list(x.shape)} , target: {list(target.shape)}")
    if x.dim() == 1 and target.dim() != 0:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if weight is not None and weight.numel() != c:
        raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no classes but got "
                           f"weight tensor of shape: {list(weight.shape)}")
    tn = target.detach().numpy()
    keep = tn != ignore_index
    if keep.any():
        bad = tn[keep][(tn[keep] < 0) | (tn[keep] >= c)]
        if bad.size:
            raise IndexError(f"Target {int(bad[0])} is out of bounds.")


def _class_targets(T, x, target, weight, ignore_index):
    """(per-element -log p[target], per-element weight incl. the ignore mask) for nll_loss."""
    _check_class_targets(T, x, target, weight, ignore_index)
    c = x.shape[1] if x.dim() >= 2 else x.shape[0]
    target = target.to(T.int64)
    valid = target != ignore_index
    safe = T.where(valid, target, T.zeros_like(target))
    xl = x.movedim(1, -1) if x.dim() >= 2 else x
    onehot = T.one_hot(safe, c).to(x.dtype) if c else T.zeros_like(xl)
    picked = (xl * onehot).sum(-1)
    w = valid.to(x.dtype)
    if weight is not None:
        w = w * (onehot * weight.to(x.dtype)).sum(-1)
    return -picked, w, valid


def _weighted_mean(T, total, wsum):
    # All targets ignored: the loss is 0/0 = NaN as in PyTorch, but its gradient is zero there, not NaN.
    empty = wsum == 0
    return T.where(empty, T.full_like(total, math.nan), total / T.where(empty, T.ones_like(wsum), wsum))


_REDUCTION_CODES = {"none": 0, "mean": 1, "sum": 2}


def _nll_kernel(T, x, target, weight, ignore_index, reduction):
    """nll_loss through ATen's nll_loss_forward (one kernel, and one for its backward) where
    it applies: float32/float64 inputs of at most two dims with at least one class; None
    elsewhere (half precision keeps the composite, whose sums PyTorch's match)."""
    if x.dim() > 2 or x.dim() < 1 or x.shape[-1] == 0 or target.is_floating_point() \
            or x.dtype not in (T.float32, T.float64):
        return None
    _check_class_targets(T, x, target, weight, ignore_index)
    if weight is not None:
        weight = weight.to(x.dtype)
    return T.nll_loss_forward(x, target.to(T.int64), weight, _REDUCTION_CODES[reduction], ignore_index)[0]


def nll_loss(T, x, target, weight, size_average, ignore_index, reduce, reduction):
    reduction = _reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    fast = _nll_kernel(T, x, target, weight, ignore_index, reduction)
    if fast is not None:
        return fast
    nll, w, _ = _class_targets(T, x, target, weight, ignore_index)
    loss = nll * w
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return _weighted_mean(T, loss.sum(), w.sum())


def cross_entropy(T, x, target, weight, size_average, ignore_index, reduce, reduction, label_smoothing):
    reduction = _reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if x.dim() == 0:
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    cdim = 1 if x.dim() >= 2 else 0
    c = x.shape[cdim]
    lsm = T.log_softmax(x, cdim)
    wview = None
    if weight is not None:
        if weight.numel() != c:
            raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no classes but got "
                               f"weight tensor of shape: {list(weight.shape)}")
        wview = weight.reshape([c] + [1] * (x.dim() - cdim - 1)) if cdim == 1 else weight
    if target.is_floating_point():
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        if tuple(target.shape) != tuple(x.shape):
            raise RuntimeError(f"Expected floating point type target to have the same shape as input, got input "
                               f"{list(x.shape)} and target {list(target.shape)}")
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / c
        prod = lsm * target
        if wview is not None:
            prod = prod * wview
        loss = -prod.sum(cdim)
        if reduction == "none":
            return loss
        if reduction == "sum":
            return loss.sum()
        return loss.sum() / (x.numel() // c if c else 0) if x.numel() else loss.sum() / 0.0
    if label_smoothing <= 0:
        fast = _nll_kernel(T, lsm, target, weight, ignore_index, reduction)
        if fast is not None:
            return fast
    nll, w, valid = _class_targets(T, lsm, target, weight, ignore_index)
    loss = nll * w
    if reduction == "none":
        main = loss
    elif reduction == "sum":
        main = loss.sum()
    else:
        main = _weighted_mean(T, loss.sum(), w.sum())
    if label_smoothing <= 0:
        return main
    smooth = -(lsm * wview).sum(cdim) if wview is not None else -lsm.sum(cdim)
    smooth = smooth * valid.to(x.dtype)
    if reduction == "none":
        extra = smooth
    elif reduction == "sum":
        extra = smooth.sum()
    else:
        extra = _weighted_mean(T, smooth.sum(), w.sum() if weight is not None else valid.to(x.dtype).sum())
    return main * (1 - label_smoothing) + extra * (label_smoothing / c)


def binary_cross_entropy(T, x, t, weight, size_average, reduce, reduction):
    reduction = _reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if tuple(t.shape) != tuple(x.shape):
        raise ValueError(f"Using a target size ({t.shape}) that is different to the input size ({x.shape}) is "
                         "deprecated. Please ensure they have the same size.")
    xn = x.detach().numpy()
    if xn.size and not ((xn >= 0) & (xn <= 1)).all():
        raise RuntimeError("all elements of input should be between 0 and 1")
    # PyTorch clamps each log at -100 so that x = 0 or 1 gives a finite loss.
    loss = -(t * T.clamp(T.log(x), -100, None) + (1 - t) * T.clamp(T.log(1 - x), -100, None))
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(T, x, t, weight, size_average, reduce, reduction, pos_weight):
    reduction = _reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if tuple(t.shape) != tuple(x.shape):
        raise ValueError(f"Target size ({t.shape}) must be the same as input size ({x.shape})")
    ls = T.logsigmoid(x)
    if pos_weight is not None:
        loss = (1 - t) * x - ((pos_weight - 1) * t + 1) * ls
    else:
        loss = (1 - t) * x - ls
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def kl_div(T, x, t, size_average, reduce, reduction, log_target):
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      stacklevel=3)
    if reduction not in ("none", "mean", "sum", "batchmean"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if log_target:
        loss = T.exp(t) * (t - x)
    else:
        positive = t > 0
        # xlogy(t, t): 0 where t == 0; the guard keeps log's gradient finite there.
        loss = T.where(positive, t * T.log(T.where(positive, t, T.ones_like(t))), T.zeros_like(t)) - t * x
    if reduction == "batchmean":
        s = loss.sum()
        return s / x.shape[0] if x.dim() != 0 else s
    return _reduce(loss, reduction)


def soft_margin_loss(T, x, t, size_average, reduce, reduction):
    reduction = _reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    return _reduce(T.softplus(-t * x), reduction)


def margin_ranking_loss(T, x1, x2, t, margin, size_average, reduce, reduction):
    reduction = _reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if x1.dim() != x2.dim() or x1.dim() != t.dim():
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {x1.shape}, input2: {x2.shape}, target: {t.shape} ")
    return _reduce(T.clamp(-t * (x1 - x2) + margin, 0, None), reduction)


def hinge_embedding_loss(T, x, t, margin, size_average, reduce, reduction):
    reduction = _reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    zeros = T.zeros_like(x)
    margin_part = T.where(t != 1, T.clamp(margin - x, 0, None), zeros)
    self_part = T.where(t != -1, x, zeros)
    return _reduce(margin_part + self_part, reduction)


def cosine_embedding_loss(T, x1, x2, t, margin, size_average, reduce, reduction):
    reduction = _reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if x1.dim() not in (1, 2) or x1.shape != x2.shape:
        raise RuntimeError(f"cosine_embedding_loss: expected 1D or 2D input tensors of equal shape, got "
                           f"{list(x1.shape)} and {list(x2.shape)}")
    if t.dim() != x1.dim() - 1:
        raise RuntimeError(f"{x1.dim()}D target tensor expects {x1.dim() - 1}D input tensors, but found inputs "
                           f"with sizes {list(x1.shape)} and {list(x2.shape)}.")
    d = x1.dim() - 1
    eps = 1e-12
    prod = (x1 * x2).sum(d)
    m1 = (x1 * x1).sum(d) + eps
    m2 = (x2 * x2).sum(d) + eps
    cos = prod / T.sqrt(m1 * m2)
    zeros = T.zeros_like(cos)
    pos = T.where(t == 1, 1 - cos, zeros)
    neg = T.where(t == -1, T.clamp(cos - margin, 0, None), zeros)
    return _reduce(pos + neg, reduction)


def poisson_nll_loss(T, x, t, log_input, full, size_average, eps, reduce, reduction):
    reduction = _reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if log_input:
        loss = T.exp(x) - t * x
    else:
        loss = x - t * T.log(x + eps)
    if full:
        big = t > 1
        tt = T.where(big, t, T.ones_like(t))
        stirling = tt * T.log(tt) - tt + 0.5 * T.log(2 * math.pi * tt)
        loss = loss + T.where(big, stirling, T.zeros_like(stirling))
    return _reduce(loss, reduction)


def gaussian_nll_loss(T, x, t, var, full, eps, reduction):
    if not isinstance(var, type(x)):
        var = T.full_like(x, float(var))
    if tuple(var.shape) != tuple(x.shape):
        if tuple(x.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif tuple(x.shape[:-1]) == tuple(var.shape[:-1]) and var.shape[-1] == 1:
            pass
        else:
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    if (var.detach().numpy() < 0).any():
        raise ValueError("var has negative entry/entries")
    # PyTorch clamps a detached copy, so the gradient passes to var unchanged where it is clamped.
    v = var.detach()
    var = var + (T.clamp(v, eps, None) - v)
    d = x - t
    loss = 0.5 * (T.log(var) + d * d / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def triplet_margin_loss(T, anchor, positive, negative, margin, p, eps, swap, size_average, reduce, reduction):
    reduction = _reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    a, pd, nd = anchor.dim(), positive.dim(), negative.dim()
    if not (a == pd == nd):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a}D, positive {pd}D, and negative {nd}D inputs")
    if margin <= 0:
        raise ValueError(f"TripletMarginLoss: expected margin to be greater than 0, got {margin} instead")
    d_ap = pairwise_distance(T, anchor, positive, p, eps, False)
    d_an = pairwise_distance(T, anchor, negative, p, eps, False)
    if swap:
        d_an = T.minimum(d_an, pairwise_distance(T, positive, negative, p, eps, False))
    return _reduce(T.clamp(d_ap - d_an + margin, 0, None), reduction)


def multilabel_soft_margin_loss(T, x, t, weight, size_average, reduce, reduction):
    reduction = _reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    loss = -(t * T.logsigmoid(x) + (1 - t) * T.logsigmoid(-x))
    if weight is not None:
        loss = loss * weight
    c = x.shape[1] if x.dim() >= 2 else (x.shape[0] if x.dim() == 1 else 1)
    loss = loss.sum(1 if x.dim() >= 2 else 0) / c if x.dim() >= 1 else loss
    return _reduce(loss, reduction)
