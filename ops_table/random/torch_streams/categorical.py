"""multinomial: PyTorch's exponential race (without replacement, or one
sample) and its cumulative-sum binary search (with replacement)."""

import operator

import numpy as np

from . import bits as B
from . import layout as L
from .stl_sort import topk_largest_indices
from .transforms import exponential_

f32 = np.float32
f64 = np.float64


def multinomial(gen, probs, num_samples, replacement=False):
    """``torch.multinomial(probs, num_samples, replacement)`` (1-D or 2-D).

    Without replacement, and for a single sample, PyTorch ranks
    ``probs / Exp(1)`` (``exponential_`` on an ``empty_like(probs)``) with
    ``argmax``/``topk``; with replacement it binary-searches a float
    cumulative sum per row with one 53-bit uniform per sample.
    """
    B.check_array(probs)
    if not (1 <= probs.ndim <= 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if probs.dtype.kind != "f":
        raise RuntimeError("multinomial only supports floating-point dtypes "
                           "for input, got: " + L.scalar_name(probs.dtype.name))
    n_sample = operator.index(num_samples)
    if n_sample <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n_cat = probs.shape[-1]
    if not (replacement or n_sample <= n_cat):
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) "
                           "samples without replacement")
    if n_cat > (1 << 24):
        raise RuntimeError("number of categories cannot exceed 2^24")
    n_dist = probs.shape[0] if probs.ndim == 2 else 1
    res_shape = (n_sample,) if probs.ndim == 1 else (n_dist, n_sample)
    if n_dist * n_sample == 0:
        return np.empty(res_shape, np.int64)
    g = B.stream(gen)
    if not replacement or n_sample == 1:
        return _multinomial_race(g, probs, n_sample, res_shape)
    return _multinomial_cdf(g, probs, n_sample, res_shape)


def _multinomial_race(g, probs, k, res_shape):
    if probs.size:
        if not (np.all(np.isfinite(probs)) and np.min(probs) >= 0):
            raise RuntimeError("probability tensor contains either `inf`, "
                               "`nan` or element < 0")
    p2 = probs.reshape(-1, probs.shape[-1]) if probs.ndim == 2 else probs[None]
    sums = p2.sum(axis=1, dtype=f64 if probs.dtype == f64 else f32)
    if np.any(sums == 0):
        raise RuntimeError("invalid multinomial distribution (sum of "
                           "probabilities <= 0)")
    q = L.empty_like(probs)
    exponential_(g, q, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = probs / q
    r2 = ratio.reshape(-1, ratio.shape[-1]) if ratio.ndim == 2 else ratio[None]
    if k == 1:
        idx = np.argmax(r2, axis=1)[:, None]
    else:
        idx = np.empty((r2.shape[0], k), np.int64)
        for row in range(r2.shape[0]):
            idx[row] = _topk_row(r2[row], k)
    return idx.reshape(res_shape).astype(np.int64)


def _topk_row(vals, k):
    """``topk(vals, k).indices`` for one row: a stable NumPy sort unless
    equal values decide the selection or order, then libstdc++ itself."""
    v = vals.astype(f64)
    if not np.any(np.isnan(v)):
        order = np.argsort(-v, kind="stable")
        sv = v[order]
        lim = min(k + 1, sv.size)
        head = sv[:lim]
        if not np.any(head[1:] == head[:-1]):
            return order[:k]
    return np.array(topk_largest_indices(v, k), np.int64)


def _multinomial_cdf(g, probs, n_sample, res_shape):
    acc = f64 if probs.dtype == f64 else f32  # Half/BFloat16 sum in float
    p2 = probs.reshape(-1, probs.shape[-1]) if probs.ndim == 2 else probs[None]
    n_dist, n_cat = p2.shape
    out = np.empty((n_dist, n_sample), np.int64)
    with g.lock:
        for row in range(n_dist):
            vals = p2[row].astype(acc)
            # the kernel checks entries while accumulating, row by row, after
            # earlier rows have drawn their samples; the first bad entry
            # decides the message, and NaN fails the "< 0" test first
            bad = ~(vals >= 0) | ~np.isfinite(vals)
            if np.any(bad):
                first = vals[np.argmax(bad)]
                if not first >= 0:
                    raise RuntimeError("invalid multinomial distribution "
                                       "(encountering probability entry < 0)")
                raise RuntimeError("invalid multinomial distribution "
                                   "(encountering probability entry = "
                                   "infinity or NaN)")
            cum = np.cumsum(vals, dtype=acc)     # sequential, like the loop
            total = cum[-1]
            if not total > 0:
                raise RuntimeError("invalid multinomial distribution (sum of "
                                   "probabilities <= 0)")
            cum = cum / total
            cum[-1] = 1
            u = B.u53(g.random64(n_sample))
            out[row] = _lower_bound(cum.astype(f64), u)
    return out.reshape(res_shape)


def _lower_bound(cum, u):
    """The kernel's binary search (first index with cum >= u), vectorised
    over the samples; identical to it even if cum were not sorted."""
    left = np.zeros(u.size, np.int64)
    right = np.full(u.size, cum.size, np.int64)
    while True:
        active = right > left
        if not np.any(active):
            return left
        mid = left + (right - left) // 2
        midc = np.minimum(mid, cum.size - 1)
        go_right = active & (cum[midc] < u)
        go_left = active & ~go_right
        left = np.where(go_right, mid + 1, left)
        right = np.where(go_left, mid, right)
