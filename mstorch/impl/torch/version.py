"""`torch.version`: the torch API level mstorch follows (see `mstorch.version`)."""
from mstorch.version import SERVED_VERSIONS, TorchVersion

__version__ = TorchVersion(SERVED_VERSIONS["torch"])
__all__ = ["__version__"]
