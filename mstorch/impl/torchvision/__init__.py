"""torchvision as mstorch serves it: transforms (v1), datasets in their on-disk formats, and utils.

`torchvision.__version__` is preset on the proxy module from mstorch.version; the same value is kept here for
code that imports this package directly."""
from mstorch.version import SERVED_VERSIONS, TorchVersion

__version__ = TorchVersion(SERVED_VERSIONS["torchvision"])

_image_backend = "PIL"


def set_image_backend(backend):
    global _image_backend
    if backend not in ("PIL", "accimage"):
        raise ValueError(f"Invalid backend '{backend}'. Options are 'PIL' and 'accimage'")
    if backend == "accimage":
        raise NotImplementedError("mstorch: torchvision.set_image_backend('accimage') is not supported")
    _image_backend = backend


def get_image_backend():
    return _image_backend
