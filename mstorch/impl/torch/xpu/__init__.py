"""torch.xpu: Intel GPUs.  mstorch has none (MindSpore has no XPU backend), so the queries
answer as a PyTorch build without XPU support does, and what needs a device raises
PyTorch's own error for that build."""

_NOT_COMPILED = "Torch not compiled with XPU enabled"


def is_available():
    return False


def device_count():
    return 0


def is_initialized():
    return False


def _no_device(*args, **kwargs):
    raise AssertionError(_NOT_COMPILED)


current_device = synchronize = set_device = get_device_name = get_device_properties = get_device_capability = \
    init = _lazy_init = _no_device


def empty_cache():
    """No XPU caching allocator exists, so there is nothing to release (as in PyTorch)."""
