"""torch.distributions.Dirichlet: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Dirichlet"]

Dirichlet = unserved_distribution("Dirichlet", "dirichlet")
