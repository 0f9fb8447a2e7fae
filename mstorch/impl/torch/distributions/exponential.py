"""torch.distributions.Exponential: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Exponential"]

Exponential = unserved_distribution("Exponential", "exponential")
