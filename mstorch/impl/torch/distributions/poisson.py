"""torch.distributions.Poisson: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Poisson"]

Poisson = unserved_distribution("Poisson", "poisson")
