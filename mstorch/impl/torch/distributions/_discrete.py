"""What Bernoulli and Categorical share: exactly one of probs/logits, the other derived lazily."""

__all__ = ["one_of_probs_logits", "expand_params"]


def one_of_probs_logits(probs, logits):
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")


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


