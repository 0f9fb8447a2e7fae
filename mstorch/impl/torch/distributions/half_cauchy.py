"""torch.distributions.HalfCauchy: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["HalfCauchy"]

HalfCauchy = unserved_distribution("HalfCauchy", "half_cauchy")
