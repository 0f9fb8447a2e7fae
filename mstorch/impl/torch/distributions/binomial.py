"""torch.distributions.Binomial: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Binomial"]

Binomial = unserved_distribution("Binomial", "binomial")
