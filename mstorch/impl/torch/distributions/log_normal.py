"""torch.distributions.LogNormal: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["LogNormal"]

LogNormal = unserved_distribution("LogNormal", "log_normal")
