"""torch.testing: assert_close (PyTorch's default tolerances, error types and messages) and make_tensor."""
from mstorch.impl.torch.testing._comparison import assert_close  # noqa: F401
from mstorch.impl.torch.testing._creation import make_tensor  # noqa: F401

__all__ = ["assert_close", "make_tensor"]
