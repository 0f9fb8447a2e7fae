"""torch.distributions.Gamma: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Gamma"]

Gamma = unserved_distribution("Gamma", "gamma")
