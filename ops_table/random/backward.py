"""Formula helpers for random ops."""


def derivative_not_implemented(op, *_):
    """torch records a node that fails at backward time for some random overloads
    (bernoulli with a float p): the forward works, backward raises."""
    raise RuntimeError(f"derivative for {op} is not implemented")
