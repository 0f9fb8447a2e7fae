"""What Bernoulli and Categorical share: exactly one of probs/logits, the other derived lazily."""

__all__ = ["one_of_probs_logits", "expand_params"]


def one_of_probs_logits(probs, logits):
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")


def elementwise_probs_or_logits(dist, probs, logits):
    """Set `dist.probs` or `dist.logits` (one value per element, as Bernoulli's) and its
    `_param`; returns the batch shape: empty for a Python number, else the tensor's."""
    from numbers import Number
    from mstorch.impl.torch._ns import torch
    from mstorch.impl.torch.distributions.utils import broadcast_all
    one_of_probs_logits(probs, logits)
    given = probs if probs is not None else logits
    (value,) = broadcast_all(given)
    if probs is not None:
        dist.probs = value
    else:
        dist.logits = value
    dist._param = value
    return torch.Size() if isinstance(given, Number) else value.size()


def expand_params(new, old, param_shape):
    """Copy whichever of probs/logits `old` holds onto `new`, expanded to `param_shape`."""
    if "probs" in old.__dict__:
        new.probs = old.probs.expand(param_shape)
        new._param = new.probs
    if "logits" in old.__dict__:
        new.logits = old.logits.expand(param_shape)
        new._param = new.logits


def enumerate_values(values, batch_shape, expand):
    values = values.view((-1,) + (1,) * len(batch_shape))
    return values.expand((-1,) + batch_shape) if expand else values


