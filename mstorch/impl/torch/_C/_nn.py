"""`torch._C._nn`: the argument parser behind `nn.Module.to`."""
from dispatch.conversion import _parse_to as _parse_to_args
from dispatch.device import device as _device


def _parse_to(*args, **kwargs):
    """(device, dtype, non_blocking, memory_format), as `Tensor.to` would read its arguments."""
    if "copy" in kwargs:
        raise RuntimeError(".to() does not accept copy argument")
    dtype, dev, non_blocking, _copy, memory_format = _parse_to_args(args, dict(kwargs))
    if isinstance(dev, int) and not isinstance(dev, bool):
        from dispatch import devices
        if not devices.cuda_available():
            raise RuntimeError("Cannot access accelerator device when none is available.")
        dev = _device("cuda", dev)
    elif dev is not None and not isinstance(dev, _device):
        dev = _device(dev)
    return dev, dtype, non_blocking, memory_format
