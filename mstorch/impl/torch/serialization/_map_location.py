"""map_location: the device each loaded storage is restored onto, by PyTorch's rules (None, a dict,
a device or string, or a callable given a storage handle it may move)."""


class _StorageHandle:
    """What a callable `map_location(storage, location)` receives: a CPU storage it may move."""
    __slots__ = ("nbytes_", "device")

    def __init__(self, nbytes, device):
        self.nbytes_ = nbytes
        self.device = device

    def nbytes(self):
        return self.nbytes_

    def size(self):
        return self.nbytes_

    def cpu(self):
        return _StorageHandle(self.nbytes_, _device("cpu"))

    def cuda(self, device=None, non_blocking=False):
        d = _device("cuda") if device is None else _device(device if not isinstance(device, int) else f"cuda:{device}")
        if d.type != "cuda":
            raise RuntimeError("Invalid device, must be cuda device")
        return _StorageHandle(self.nbytes_, d)

    def to(self, device=None, non_blocking=False):
        return _StorageHandle(self.nbytes_, _device(device))


def _device(d):
    from dispatch.device import as_device
    return as_device(d)


def _restore_device(location, map_location, nbytes):
    """The device a storage saved at `location` is loaded onto (PyTorch's map_location rules)."""
    from dispatch.device import device as device_cls
    if map_location is None:
        target = location
    elif isinstance(map_location, dict):
        target = map_location.get(location, location)
    elif isinstance(map_location, (str, bytes)):
        target = map_location.decode() if isinstance(map_location, bytes) else map_location
    elif isinstance(map_location, device_cls):
        target = str(map_location)
    elif callable(map_location):
        result = map_location(_StorageHandle(nbytes, _device(location) if location == "cpu" else None), location)
        if result is None:
            target = location
        elif isinstance(result, _StorageHandle):
            target = "cpu" if result.device is None else str(result.device)
        else:
            raise NotImplementedError("mstorch: a map_location callable must return the storage it was given, "
                                      f"a moved copy of it (.cpu()/.cuda()/.to()), or None; got {type(result)}")
    else:
        raise TypeError(f"map_location should be a str, torch.device, dict or callable, not {type(map_location)}")
    return _validated_device(target)


def _validated_device(target):
    from dispatch.devices import cuda_to_cpu
    d = _device(target)
    if d.type == "cpu":
        return None
    if d.type == "cuda" and not cuda_to_cpu():
        raise RuntimeError("Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. "
                           "If you are running on a CPU-only machine, please use torch.load with "
                           "map_location=torch.device('cpu') to map your storages to the CPU.")
    if d.type == "meta":
        raise NotImplementedError("mstorch: torch.load with map_location='meta' is not supported")
    if d.type not in ("cuda", "npu"):
        raise RuntimeError(f"don't know how to restore data location of {target}")
    return d
