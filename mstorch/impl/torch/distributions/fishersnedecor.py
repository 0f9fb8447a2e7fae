"""torch.distributions.FisherSnedecor: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["FisherSnedecor"]

FisherSnedecor = unserved_distribution("FisherSnedecor", "fishersnedecor")
