"""torch.distributions.MultivariateNormal: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["MultivariateNormal"]

MultivariateNormal = unserved_distribution("MultivariateNormal", "multivariate_normal")
