"""torch.distributions.GeneralizedPareto: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["GeneralizedPareto"]

GeneralizedPareto = unserved_distribution("GeneralizedPareto", "generalized_pareto")
