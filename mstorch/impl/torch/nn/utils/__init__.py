"""torch.nn.utils."""
from mstorch.impl.torch.nn.utils import rnn  # noqa: F401
