"""torch.distributions.Chi2: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Chi2"]

Chi2 = unserved_distribution("Chi2", "chi2")
