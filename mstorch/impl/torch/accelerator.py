"""torch.accelerator: the device-generic view of dispatch/devices.py ('cuda' is the
accelerator when MindSpore has Ascend/GPU, or under --cuda-to-cpu; none otherwise)."""
import contextlib

from dispatch import devices as _devices
from dispatch.device import device as _device

__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index", "current_device_idx",
           "set_device_index", "set_device_idx", "synchronize", "device_index"]

_NONE_MSG = "Cannot access accelerator device when none is available."


def is_available():
    return _devices.cuda_available()


def current_accelerator(check_available=False):
    return _device("cuda") if _devices.cuda_available() else None


def device_count():
    return _devices.device_count()


def _require():
    if not _devices.cuda_available():
        raise RuntimeError(_NONE_MSG)


def current_device_index():
    _require()
    return 0


current_device_idx = current_device_index


def set_device_index(device):
    _require()


set_device_idx = set_device_index


def synchronize(device=None):
    # Kernels launch synchronously (dispatch/backend.py): nothing is pending.
    _require()


@contextlib.contextmanager
def device_index(device):
    if device is not None:
        _require()
    yield
