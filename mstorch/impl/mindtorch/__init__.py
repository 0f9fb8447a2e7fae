"""`mindtorch`: the import name of the older torch-on-MindSpore adapter, served by mstorch's
import hook so code written for it runs unchanged (`import mindtorch.torch as torch`).
`mindtorch.torch` / `mindtorch.torchvision` are mstorch's own torch / torchvision."""
from mstorch import proxy as _proxy

torch = _proxy.get("torch")
torchvision = _proxy.get("torchvision")
