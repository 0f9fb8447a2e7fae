"""torch.nn.functional ops written with other table ops (autograd comes for free).

Activations that take `inplace=`: one table entry cannot both run a kernel and honour
the flag (the dispatcher writes back only for the `inplace` variant), so these are
composites; `inplace=True` computes on a clone (so no tensor saved for backward is
the one being overwritten) and writes the result back with `copy_`, which bumps the
version counter and rebases autograd history as PyTorch's in-place kernels do.
"""
import math

import numpy as np


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


# ---- embedding_renorm_ (F.embedding's max_norm) ----------------------------------------------

def _host(t):
    return t.detach().cpu().numpy()


def _const(T, array, like, dtype=None):
    return T.tensor(array, dtype=dtype if dtype is not None else like.dtype, device=like.device)


def embedding_renorm_(T, self, indices, max_norm, norm_type):
    """PyTorch's embedding_renorm_: each distinct referenced row whose p-norm exceeds max_norm is scaled
    in place by max_norm / (norm + 1e-7); the norm is taken in the weight's dtype and the scale in
    double, as PyTorch's CPU kernel does."""
    if indices.dtype not in (T.int64, T.int32):
        raise RuntimeError("Expected tensor for argument #2 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {indices.type()} instead (while checking arguments for "
                           "embedding_renorm_)")
    if self.dim() != 2:
        raise RuntimeError(f"Expected 2-dimensional tensor, but got {self.dim()}-dimensional tensor for argument #1 "
                           "'self' (while checking arguments for embedding_renorm_)")
    n = self.shape[0]
    rows = np.unique(_host(indices).reshape(-1))
    bad = rows[(rows < -n) | (rows >= n)]
    if bad.size:
        raise IndexError(f"select(): index {bad[0]} out of range for tensor of size {list(self.shape)} at "
                         "dimension 0")
    rows = np.unique(rows % n) if n else rows  # PyTorch's row select wraps negative indices
    if rows.size == 0:
        return self
    idx = _const(T, rows.astype(np.int64), self, T.int64)
    sel = self.index_select(0, idx)
    norms = T.vector_norm(sel, norm_type, (1,), True).to(T.float64)
    scale = T.where(norms > max_norm, max_norm / (norms + 1e-7), T.ones_like(norms))
    return self.index_copy_(0, idx, sel * scale.to(self.dtype))
