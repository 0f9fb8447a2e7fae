"""torch.distributions.Geometric: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Geometric"]

Geometric = unserved_distribution("Geometric", "geometric")
