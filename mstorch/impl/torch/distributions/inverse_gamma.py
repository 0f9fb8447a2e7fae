"""torch.distributions.InverseGamma: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["InverseGamma"]

InverseGamma = unserved_distribution("InverseGamma", "inverse_gamma")
