"""Decompositions into table ops for ops_table/nn_functional/entries.py.

Indices, tap positions and masks that depend only on integer inputs (targets, lengths, sizes)
are computed on the host with NumPy; everything that carries a gradient goes through table ops,
so autograd (and double backward) comes from the ops these functions call."""
import math

import numpy as np


def _host(t):
    return t.detach().cpu().numpy()


def _const(T, array, like, dtype=None):
    return T.tensor(array, dtype=dtype if dtype is not None else like.dtype, device=like.device)


# ---- embedding ---------------------------------------------------------------------------------

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


# ---- normalisation -----------------------------------------------------------------------------

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


# ---- losses ------------------------------------------------------------------------------------

def _legacy_reduction(size_average, reduce, reduction):
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return "none" if not reduce else ("mean" if size_average else "sum")


def _reduce(loss, reduction):
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(f"{reduction} is not a valid value for reduction")


def multi_margin_loss(T, input, target, p, margin, weight, size_average, reduce, reduction):
    """sum over i != y of max(0, margin - x[y] + x[i])^p (times weight[y]), divided by the class count."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError(f"weight must be one-dimensional but got {weight.dim()}")
    squeeze = input.dim() <= 1
    x = input.reshape(1, -1) if squeeze else input
    y = target.reshape(-1, 1)
    c = x.size(1)
    x_y = x.gather(1, y)
    z = margin - x_y + x
    h = z * z if p == 2 else z
    if weight is not None:
        h = h * weight.index_select(0, y.reshape(-1)).unsqueeze(1)
    # PyTorch's kernel adds a term only where z > 0 and i != y, so a NaN term is skipped, not summed.
    not_y = T.ones_like(x, dtype=T.bool).scatter(1, y, T.zeros_like(x_y, dtype=T.bool))
    loss = T.where(not_y & (z > 0), h, T.zeros_like(h)).sum(1) / c
    if squeeze and reduction == "none":
        loss = loss.reshape(target.shape)
    return _reduce(loss, reduction)


def multilabel_margin_loss(T, input, target, size_average, reduce, reduction):
    """For each label j listed in target (up to the first -1) and each class i not listed:
    max(0, 1 - (x[j] - x[i])), summed and divided by the class count. The label/non-label pairing
    comes from the integer target, so it is built on the host."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    squeeze = input.dim() <= 1
    x = input.reshape(1, -1) if squeeze else input
    t = _host(target).reshape(x.shape).astype(np.int64)
    n, c = x.shape
    pairs = np.zeros((n, c, c), dtype=np.float64)
    for row in range(n):
        labels = []
        for v in t[row]:
            if v < 0:
                break
            labels.append(v)
        is_target = np.zeros(c, bool)
        is_target[labels] = True
        for j in labels:
            pairs[row, j] += ~is_target
    counts, mask = _const(T, pairs, x), _const(T, pairs > 0, x, T.bool)
    z = 1 - (x.unsqueeze(2) - x.unsqueeze(1))
    # As PyTorch's kernel: a pair's term counts only where it is > 0 (a NaN term is skipped); a label listed
    # twice counts twice.
    loss = T.where(mask & (z > 0), z * counts, T.zeros_like(z)).sum((1, 2)) / c
    if squeeze:
        loss = loss.reshape(())
    return _reduce(loss, reduction)


# finite stand-in for log(0): keeps logsumexp's gradient finite on unreachable CTC paths (exp(-1e30) is 0)
_CTC_NEG = -1e30


def _lengths(v):
    return np.asarray(v.tolist() if hasattr(v, "tolist") else v, dtype=np.int64).reshape(-1)


def ctc_loss(T, log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity):
    """The CTC forward (alpha) recursion over blank-extended labels, vectorised over batch and label
    positions; its gradient is autograd's through logsumexp (PyTorch's analytic gradient is the same
    once chained through log_softmax)."""
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    unbatched = log_probs.dim() == 2
    lp = log_probs.unsqueeze(1) if unbatched else log_probs
    steps, n, _ = lp.shape
    in_len, tg_len = _lengths(input_lengths), _lengths(target_lengths)
    tg = _host(targets).astype(np.int64)
    if unbatched:
        tg = tg.reshape(1, -1)
    if tg.ndim == 1:
        starts = np.concatenate([[0], np.cumsum(tg_len)[:-1]]).astype(np.int64)
        rows = [tg[s:s + k] for s, k in zip(starts, tg_len)]
    else:
        rows = [tg[i, :k] for i, k in enumerate(tg_len)]
    width = 2 * int(tg_len.max(initial=0)) + 1
    ext = np.full((n, width), blank, dtype=np.int64)
    skip = np.zeros((n, width), dtype=bool)
    for i, row in enumerate(rows):
        ext[i, 1:2 * len(row):2] = row
        for s in range(3, 2 * len(row), 2):
            skip[i, s] = ext[i, s] != ext[i, s - 2]
    dt = lp.dtype
    ext_t, skip_t = _const(T, ext, lp, T.int64), _const(T, skip, lp, T.bool)
    neg = T.full((n, width), _CTC_NEG, dtype=dt, device=lp.device)
    pos = _const(T, np.arange(width), lp, T.int64).unsqueeze(0)
    alpha = T.where(pos < 2, lp[0].gather(1, ext_t), neg)
    pad1 = T.full((n, 1), _CTC_NEG, dtype=dt, device=lp.device)
    pad2 = T.full((n, 2), _CTC_NEG, dtype=dt, device=lp.device)
    in_len_t = _const(T, in_len, lp, T.int64).unsqueeze(1)
    for t in range(1, steps):
        # alpha shifted right by one and two label positions (width may be 1: no labels at all)
        prev1 = T.cat([pad1, alpha], 1)[:, :width]
        prev2 = T.where(skip_t, T.cat([pad2, alpha], 1)[:, :width], neg)
        new = T.logsumexp(T.stack([alpha, prev1, prev2]), 0) + lp[t].gather(1, ext_t)
        alpha = T.where(in_len_t > t, new, alpha)
    last = _const(T, 2 * tg_len, lp, T.int64).unsqueeze(1)
    end = alpha.gather(1, T.cat([last, T.clamp_min(last - 1, 0)], 1))
    end = T.where(T.cat([last >= 0, last >= 1], 1), end, T.full_like(end, _CTC_NEG))
    nll = -T.logsumexp(end, 1)
    impossible = nll > -_CTC_NEG / 10
    nll = T.where(impossible, T.zeros_like(nll) if zero_infinity else T.full_like(nll, math.inf), nll)
    if reduction == "mean":
        return (nll / _const(T, np.maximum(tg_len, 1), lp)).mean()
    if reduction == "sum":
        return nll.sum()
    return nll.squeeze(0) if unbatched else nll


# ---- attention ---------------------------------------------------------------------------------

def scaled_dot_product_attention(T, query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa):
    """PyTorch's math formulation (MindSpore has no CPU fused attention kernel), with bool/float masks,
    is_causal, scale, dropout and grouped-query heads."""
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError("scaled_dot_product_attention: query, key and value must have at least 2 dimensions")
    if not (query.dtype == key.dtype == value.dtype):
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got query.dtype: "
                           f"{query.dtype} key.dtype: {key.dtype} and value.dtype: {value.dtype} instead.")
    L, S = query.size(-2), key.size(-2)
    if enable_gqa and key.size(-3) != query.size(-3):
        groups = query.size(-3) // key.size(-3)
        key = key.repeat_interleave(groups, -3)
        value = value.repeat_interleave(groups, -3)
    s = 1.0 / math.sqrt(query.size(-1)) if scale is None else scale
    # Scaling both operands by sqrt(scale) is what PyTorch's math kernel does (it keeps
    # float16 products in range); the result is the same to rounding.
    root = math.sqrt(s)
    attn = T.matmul(query * root, key.transpose(-2, -1) * root)
    bias = None
    if is_causal:
        keep = T.ones(L, S, dtype=T.bool, device=query.device).tril()
        bias = T.zeros(L, S, dtype=query.dtype, device=query.device).masked_fill(keep.logical_not(), -math.inf)
    elif attn_mask is not None:
        if attn_mask.dtype == T.bool:
            bias = T.zeros(attn_mask.shape, dtype=query.dtype, device=query.device).masked_fill(
                attn_mask.logical_not(), -math.inf)
        else:
            bias = attn_mask
    if bias is None:
        attn = T.softmax(attn, -1)
    else:
        attn = attn + bias
        # Rows with nothing to attend to give zeros, as PyTorch's CPU kernel does.
        dead = (attn == -math.inf).all(-1, keepdim=True)
        attn = T.softmax(attn.masked_fill(dead, 0.0), -1).masked_fill(dead, 0.0)
    if dropout_p > 0.0:
        attn = T.dropout(attn, dropout_p, True, False)
    return T.matmul(attn, value)


# ---- upsampling (the kernels behind F.interpolate) ---------------------------------------------
# Along each spatial axis (last axis first, the order PyTorch's CPU kernels accumulate in) gather
# the source taps with index_select and blend them with weights. Indices and weights are computed
# on the host with PyTorch's formulas and float types, so the sampled positions agree bit for bit.

def _area_scale(in_size, out_size, align_corners, scale, f):
    if align_corners:
        return f((in_size - 1) / (out_size - 1)) if out_size > 1 else f(0)
    if scale is not None and scale > 0:
        return f(1.0 / scale)
    return f(in_size) / f(out_size)


def _nearest_taps(in_size, out_size, scale, exact):
    # PyTorch's nearest kernels index in float32 whatever the input dtype.
    f = np.float32
    s = f(1.0 / scale) if scale is not None and scale > 0 else f(in_size) / f(out_size)
    dst = np.arange(out_size, dtype=f)
    if exact:
        dst = dst + f(0.5)
    src = np.floor(dst * s).astype(np.int64)
    return [np.minimum(src, in_size - 1)], None


def _linear_taps(in_size, out_size, align_corners, scale, f):
    s = _area_scale(in_size, out_size, align_corners, scale, f)
    dst = np.arange(out_size, dtype=f)
    src = s * dst if align_corners else np.maximum(s * (dst + f(0.5)) - f(0.5), f(0))
    i0 = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    i1 = np.minimum(i0 + 1, in_size - 1)
    w1 = (src - i0.astype(f)).astype(f)
    return [i0, i1], [f(1) - w1, w1]


def _cubic_taps(in_size, out_size, align_corners, scale, f):
    s = _area_scale(in_size, out_size, align_corners, scale, f)
    dst = np.arange(out_size, dtype=f)
    src = s * dst if align_corners else s * (dst + f(0.5)) - f(0.5)
    base = np.floor(src)
    t = (src - base).astype(f)
    a = f(-0.75)

    def near(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    base = base.astype(np.int64)
    idx = [np.clip(base + k, 0, in_size - 1) for k in (-1, 0, 1, 2)]
    one = f(1)
    return idx, [far(t + one), near(t), near(one - t), far(f(2) - t)]


def _resample_axis(T, x, axis, idx, weights):
    taps = [x.index_select(axis, _const(T, i, x, T.int64)) for i in idx]
    if weights is None:
        return taps[0]
    shape = [1] * x.dim()
    shape[axis] = -1
    out = None
    for tap, w in zip(taps, weights):
        term = tap * _const(T, w, x, T.float64 if w.dtype == np.float64 else T.float32).to(x.dtype).reshape(shape)
        out = term if out is None else out + term
    return out


def _check_upsample(x, out_size, nd):
    out_size = [int(s) for s in out_size]
    if len(out_size) != nd:
        raise RuntimeError(f"It is expected output_size equals to {nd}, but got size {len(out_size)}")
    if x.dim() != nd + 2:
        raise RuntimeError(f"It is expected input_size equals to {nd + 2}, but got size {x.dim()}")
    spatial = list(x.shape[2:])
    if any(n <= 0 for n in out_size) or any(n <= 0 for n in spatial):
        axes = "DHW"[3 - nd:]
        ins = ", ".join(f"{a}: {n}" for a, n in zip(axes, spatial))
        outs = ", ".join(f"{a}: {n}" for a, n in zip(axes, out_size))
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input ({ins})"
                           f"{' and' if nd == 1 else ''} output ({outs})")
    if x.numel() == 0 and math.prod(x.shape[1:]) == 0:
        raise RuntimeError(f"Non-empty {nd + 2}D data tensor expected but got a tensor with sizes {list(x.shape)}")
    return out_size


def _upsample(T, x, out_size, scales, kind, align_corners=False):
    nd = len(scales)
    out_size = _check_upsample(x, out_size, nd)
    # Linear and cubic weights are computed in the input's compute type (double for float64), as PyTorch does.
    f = np.float64 if x.dtype == T.float64 else np.float32
    for d in reversed(range(nd)):
        in_size = x.size(d + 2)
        if kind in ("nearest", "nearest-exact"):
            idx, w = _nearest_taps(in_size, out_size[d], scales[d], kind == "nearest-exact")
        elif kind == "cubic":
            idx, w = _cubic_taps(in_size, out_size[d], align_corners, scales[d], f)
        else:
            idx, w = _linear_taps(in_size, out_size[d], align_corners, scales[d], f)
        x = _resample_axis(T, x, d + 2, idx, w)
    return x


def upsample_nearest1d(T, self, output_size, scales):
    return _upsample(T, self, output_size, [scales], "nearest")


def upsample_nearest2d(T, self, output_size, scales_h, scales_w):
    return _upsample(T, self, output_size, [scales_h, scales_w], "nearest")


def upsample_nearest3d(T, self, output_size, scales_d, scales_h, scales_w):
    return _upsample(T, self, output_size, [scales_d, scales_h, scales_w], "nearest")


def _upsample_nearest_exact1d(T, self, output_size, scales):
    return _upsample(T, self, output_size, [scales], "nearest-exact")


def _upsample_nearest_exact2d(T, self, output_size, scales_h, scales_w):
    return _upsample(T, self, output_size, [scales_h, scales_w], "nearest-exact")


def _upsample_nearest_exact3d(T, self, output_size, scales_d, scales_h, scales_w):
    return _upsample(T, self, output_size, [scales_d, scales_h, scales_w], "nearest-exact")


def upsample_linear1d(T, self, output_size, align_corners, scales):
    return _upsample(T, self, output_size, [scales], "linear", align_corners)


def upsample_bilinear2d(T, self, output_size, align_corners, scales_h, scales_w):
    return _upsample(T, self, output_size, [scales_h, scales_w], "linear", align_corners)


def upsample_bicubic2d(T, self, output_size, align_corners, scales_h, scales_w):
    return _upsample(T, self, output_size, [scales_h, scales_w], "cubic", align_corners)


def upsample_trilinear3d(T, self, output_size, align_corners, scales_d, scales_h, scales_w):
    return _upsample(T, self, output_size, [scales_d, scales_h, scales_w], "linear", align_corners)


# ---- max_unpool (the kernels behind F.max_unpool1d/2d/3d) ----------------------------------------

def _max_unpool(T, x, indices, out, nd):
    out = [int(s) for s in out]
    if len(out) != nd:
        names = "two elements (height, width)" if nd == 2 else "three elements (depth, height, width)"
        raise RuntimeError(f"There should be exactly {names} in output_size, but got {len(out)} elements.")
    if indices.dtype != T.int64:
        raise RuntimeError(f"elements in indices should be type int64 but got: {indices.type()[6:-6]}")
    if x.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"Input to max_unpooling{nd}d should be a {nd + 1}d or {nd + 2}d Tensor, but got a tensor "
                           f"with {x.dim()} dimensions.")
    if list(indices.shape) != list(x.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor ({list(x.shape)}) but "
                           f"got indices tensor with shape: {list(indices.shape)}")
    lead = list(x.shape[:-nd])
    n_out = math.prod(out)
    flat_idx = indices.reshape(lead + [-1])
    idx = _host(flat_idx)
    bad = idx[(idx < 0) | (idx >= n_out)]
    if bad.size:
        raise RuntimeError(f"Found an invalid max index: {bad[0]} (output volumes are of size "
                           f"{'x'.join(str(s) for s in out)}")
    zeros = T.zeros(lead + [n_out], dtype=x.dtype, device=x.device)
    return zeros.scatter(-1, flat_idx, x.reshape(lead + [-1])).reshape(lead + out)


def max_unpool2d(T, self, indices, output_size):
    return _max_unpool(T, self, indices, output_size, 2)


def max_unpool3d(T, self, indices, output_size, stride, padding):
    return _max_unpool(T, self, indices, output_size, 3)
