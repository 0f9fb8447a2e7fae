"""torch.distributions.LKJCholesky: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["LKJCholesky"]

LKJCholesky = unserved_distribution("LKJCholesky", "lkj_cholesky")
