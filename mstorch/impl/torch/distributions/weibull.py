"""torch.distributions.Weibull: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Weibull"]

Weibull = unserved_distribution("Weibull", "weibull")
