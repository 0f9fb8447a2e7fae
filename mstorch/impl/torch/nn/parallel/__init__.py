"""torch.nn.parallel."""
from mstorch.impl.torch.nn.parallel.data_parallel import DataParallel, data_parallel  # noqa: F401
from mstorch.impl.torch.nn.parallel.distributed import DistributedDataParallel  # noqa: F401
