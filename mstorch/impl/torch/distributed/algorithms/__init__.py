"""torch.distributed.algorithms (accelerate imports `Join` from here whenever distributed is available)."""
from mstorch.impl.torch.distributed.algorithms.join import Join, JoinHook, Joinable  # noqa: F401
