"""torch.distributions.HalfNormal: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["HalfNormal"]

HalfNormal = unserved_distribution("HalfNormal", "half_normal")
