"""torch.distributions.Laplace: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Laplace"]

Laplace = unserved_distribution("Laplace", "laplace")
