"""torch.distributions.Cauchy: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Cauchy"]

Cauchy = unserved_distribution("Cauchy", "cauchy")
