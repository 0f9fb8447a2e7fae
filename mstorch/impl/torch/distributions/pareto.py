"""torch.distributions.Pareto: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["Pareto"]

Pareto = unserved_distribution("Pareto", "pareto")
