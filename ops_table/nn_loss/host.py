"""nll_loss_forward / nll_loss_backward on host arrays, PyTorch's definitions: per element
-weight[t] * x[t] (0 where t == ignore_index); 'mean' divides the sum by the total weight of
the kept targets; the gradient puts -weight[t] (/ total weight) * grad at each target."""
import numpy as np


def _picked(x, target, weight, ignore_index):
    x2 = x.reshape(1, -1) if x.ndim == 1 else x
    t = target.reshape(-1).astype(np.int64)
    keep = t != ignore_index
    safe = np.where(keep, t, 0)
    w = (np.ones(x2.shape[1], x.dtype) if weight is None else weight)[safe] * keep
    return x2, safe, w.astype(x.dtype)


def nll_loss_forward(x, target, weight, reduction, ignore_index):
    x2, safe, w = _picked(x, target, weight, ignore_index)
    losses = -x2[np.arange(x2.shape[0]), safe] * w
    total = np.asarray(w.sum(), x.dtype)
    if reduction == 0:
        return losses.reshape(target.shape), (np.zeros((), x.dtype) if x.ndim == 2 else total)
    if reduction == 2:
        return np.asarray(losses.sum(), x.dtype), total
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(losses.sum() / total, x.dtype), total


def nll_loss_backward(grad_output, x, target, weight, reduction, ignore_index, total_weight):
    x2, safe, w = _picked(x, target, weight, ignore_index)
    g = np.asarray(grad_output, x.dtype).reshape(-1)
    scale = -w * g if reduction == 0 else -w * g[0]
    if reduction == 1:
        tw = np.asarray(total_weight, x.dtype)
        scale = np.where(w != 0, scale / np.where(tw == 0, 1, tw), 0).astype(x.dtype)
    out = np.zeros_like(x2)
    out[np.arange(x2.shape[0]), safe] = scale
    return out.reshape(x.shape)
