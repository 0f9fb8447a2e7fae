"""torch.distributions.Wishart: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Wishart"]

Wishart = unserved_distribution("Wishart", "wishart")
