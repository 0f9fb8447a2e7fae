"""torch.distributions.LogisticNormal: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["LogisticNormal"]

LogisticNormal = unserved_distribution("LogisticNormal", "logistic_normal")
