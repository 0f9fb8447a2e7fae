"""torch.distributed.constants."""
from mstorch.impl.torch.distributed.distributed_c10d import default_pg_timeout  # noqa: F401
