"""torch.distributions.Multinomial: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Multinomial"]

Multinomial = unserved_distribution("Multinomial", "multinomial")
