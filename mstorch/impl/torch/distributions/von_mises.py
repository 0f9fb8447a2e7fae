"""torch.distributions.VonMises: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["VonMises"]

VonMises = unserved_distribution("VonMises", "von_mises")
