"""torch.distributions.LowRankMultivariateNormal: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["LowRankMultivariateNormal"]

LowRankMultivariateNormal = unserved_distribution("LowRankMultivariateNormal", "lowrank_multivariate_normal")
