"""torch.distributed.optim.zero_redundancy_optimizer: see torch.distributed.optim."""
from mstorch.impl.torch.distributed.optim import ZeroRedundancyOptimizer  # noqa: F401
