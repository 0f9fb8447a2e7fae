"""`torch.version`: the torch API level mstorch follows (see `mstorch.version`).

mstorch is no CUDA, ROCm or XPU build of torch, so those versions are None, as in a
CPU-only PyTorch build; `git_version` names mstorch's own tree, not a PyTorch commit."""
from mstorch.version import SERVED_VERSIONS, TorchVersion

__version__ = TorchVersion(SERVED_VERSIONS["torch"])
cuda = None
hip = None
rocm = None
xpu = None
debug = False
git_version = "Unknown"
__all__ = ["__version__", "cuda", "hip", "rocm", "xpu", "debug", "git_version"]
