"""torch.distributions: the Distribution interface and Normal (more families are not served yet:
their names raise AttributeError naming them)."""
from mstorch.impl.torch.distributions import constraints  # noqa: F401
from mstorch.impl.torch.distributions.distribution import Distribution
from mstorch.impl.torch.distributions.normal import Normal

__all__ = ["Distribution", "Normal", "constraints"]
