"""torch.distributions.NegativeBinomial: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["NegativeBinomial"]

NegativeBinomial = unserved_distribution("NegativeBinomial", "negative_binomial")
