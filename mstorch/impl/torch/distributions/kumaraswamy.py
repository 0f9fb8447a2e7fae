"""torch.distributions.Kumaraswamy: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Kumaraswamy"]

Kumaraswamy = unserved_distribution("Kumaraswamy", "kumaraswamy")
