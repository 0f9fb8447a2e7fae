"""torch.nn.functional losses written with other table ops (autograd comes for free)."""
import math
import warnings

import numpy as np


def _legacy(dtype):
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}.get(str(dtype).replace("torch.", ""), str(dtype))


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
    d_ap = T.pairwise_distance(anchor, positive, p, eps, False)
    d_an = T.pairwise_distance(anchor, negative, p, eps, False)
    if swap:
        d_an = T.minimum(d_an, T.pairwise_distance(positive, negative, p, eps, False))
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


# ---- margin losses and ctc_loss: integer targets are read on the host ---------------------------

def _host(t):
    return t.detach().cpu().numpy()


def _const(T, array, like, dtype=None):
    return T.tensor(array, dtype=dtype if dtype is not None else like.dtype, device=like.device)


def multi_margin_loss(T, input, target, p, margin, weight, size_average, reduce, reduction):
    """sum over i != y of max(0, margin - x[y] + x[i])^p (times weight[y]), divided by the class count."""
    reduction = _reduction(size_average, reduce, reduction)
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
    reduction = _reduction(size_average, reduce, reduction)
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
