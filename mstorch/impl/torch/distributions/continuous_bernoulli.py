"""torch.distributions.ContinuousBernoulli: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["ContinuousBernoulli"]

ContinuousBernoulli = unserved_distribution("ContinuousBernoulli", "continuous_bernoulli")
