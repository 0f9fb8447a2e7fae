"""torch.distributions.StudentT: not served by mstorch yet (constructing one raises NotImplementedError)."""
from mstorch.impl.torch.distributions._unserved import unserved_distribution

__all__ = ["StudentT"]

StudentT = unserved_distribution("StudentT", "studentT")
