"""torch.distributions.Beta: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Beta"]

Beta = unserved_distribution("Beta", "beta")
