"""torch.distributions.MixtureSameFamily: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["MixtureSameFamily"]

MixtureSameFamily = unserved_distribution("MixtureSameFamily", "mixture_same_family")
