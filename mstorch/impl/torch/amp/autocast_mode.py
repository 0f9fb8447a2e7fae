"""torch.autocast / torch.amp.autocast and the torch-level autocast state functions.

The state and the per-op policy live in dispatch/autocast.py (the dispatcher consults
them); this module is the Python API scripts use.
"""
import collections.abc
import functools
import warnings

import numpy as np

from dispatch import autocast as _ac
from dispatch import dtypes as _dt
from dispatch.device import device as _device

__all__ = ["autocast", "custom_fwd", "custom_bwd", "is_autocast_available"]

# Device types with an autocast policy here; others are refused as PyTorch refuses
# device types it has no autocast backend for.
_AVAILABLE = ("cpu", "cuda")


def is_autocast_available(device_type):
    _device(device_type)  # PyTorch's error for an unknown device string
    return device_type in _AVAILABLE or device_type in ("mps", "xpu", "hpu", "xla", "mtia", "maia", "ipu")


def _check_type(device_type):
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")


def is_autocast_enabled(device_type=None):
    # torch.is_autocast_enabled() without an argument asks about CUDA (PyTorch's legacy form).
    return _ac.is_enabled("cuda" if device_type is None else device_type)


def set_autocast_enabled(device_type, enabled=None):
    if enabled is None:  # legacy set_autocast_enabled(bool) means CUDA
        device_type, enabled = "cuda", device_type
    _ac.set_enabled(device_type, enabled)


def get_autocast_dtype(device_type):
    return _ac.get_dtype(device_type)


def set_autocast_dtype(device_type, dtype):
    _ac.set_dtype(device_type, dtype)


def get_autocast_gpu_dtype():
    return _ac.get_dtype("cuda")


def get_autocast_cpu_dtype():
    return _ac.get_dtype("cpu")


def is_autocast_cpu_enabled():
    return _ac.is_enabled("cpu")


def is_autocast_cache_enabled():
    return _ac.is_cache_enabled()


def set_autocast_cache_enabled(enabled):
    _ac.set_cache_enabled(enabled)


def clear_autocast_cache():
    _ac.clear_cache()


def autocast_increment_nesting():
    return _ac.increment_nesting()


def autocast_decrement_nesting():
    return _ac.decrement_nesting()


class autocast:
    """Context manager / decorator: ops inside run in PyTorch's per-op autocast dtypes."""

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        _check_type(device_type)
        self.fast_dtype = _ac.get_dtype(device_type) if dtype is None else dtype
        self.device = device_type
        if not is_autocast_available(device_type):
            raise RuntimeError(f"User specified an unsupported autocast device_type '{device_type}'")
        if device_type not in _AVAILABLE and enabled:
            raise NotImplementedError(f"mstorch: torch.autocast(device_type='{device_type}') is not supported")
        self._cache_enabled = _ac.is_cache_enabled() if cache_enabled is None else cache_enabled
        if enabled:
            if device_type == "cuda":
                from dispatch import devices
                if not devices.cuda_available():
                    warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.",
                                  stacklevel=2)
                    enabled = False
            elif self.fast_dtype not in (_dt.bfloat16, _dt.float16):
                name = device_type.upper()
                warnings.warn(f"In {name} autocast, but the target dtype is not supported. Disabling autocast.\n"
                              f"{name} Autocast only supports dtypes of torch.bfloat16, torch.float16 currently.",
                              stacklevel=2)
                enabled = False
        self._enabled = enabled

    def __enter__(self):
        self.prev_cache_enabled = _ac.is_cache_enabled()
        self.prev = _ac.is_enabled(self.device)
        self.prev_fastdtype = _ac.get_dtype(self.device)
        _ac.set_enabled(self.device, self._enabled)
        _ac.set_dtype(self.device, self.fast_dtype)
        _ac.increment_nesting()
        _ac.set_cache_enabled(self._cache_enabled)
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        if _ac.decrement_nesting() == 0:
            _ac.clear_cache()
        _ac.set_enabled(self.device, self.prev)
        _ac.set_dtype(self.device, self.prev_fastdtype)
        _ac.set_cache_enabled(self.prev_cache_enabled)
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def decorate_autocast(*args, **kwargs):
            with self:
                return func(*args, **kwargs)
        return decorate_autocast


def _cast(value, device_type, dtype):
    from dispatch.tensor import Tensor
    if isinstance(value, Tensor):
        ok = value.is_floating_point() and value.device.type in (device_type, "cpu") and value.dtype is not _dt.float64
        return value.to(dtype) if ok else value
    if isinstance(value, (str, bytes, np.ndarray)):
        return value
    if isinstance(value, collections.abc.Mapping):
        return {_cast(k, device_type, dtype): _cast(v, device_type, dtype) for k, v in value.items()}
    if isinstance(value, collections.abc.Iterable):
        it = (_cast(v, device_type, dtype) for v in value)
        return type(value)(it) if isinstance(value, (list, tuple)) else it
    return value


def custom_fwd(fwd=None, *, device_type, cast_inputs=None):
    """Decorator for a custom Function's forward: records the autocast state for backward;
    with `cast_inputs`, casts floating inputs and runs forward with autocast off."""
    _check_type(device_type)
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type, cast_inputs=cast_inputs)

    @functools.wraps(fwd)
    def decorate_fwd(*args, **kwargs):
        ctx = args[0]
        ctx._dtype = _ac.get_dtype(device_type)
        if cast_inputs is None:
            ctx._fwd_used_autocast = _ac.is_enabled(device_type)
            return fwd(*args, **kwargs)
        on = _ac.is_enabled(device_type)
        ctx._fwd_used_autocast = False
        if not on:
            return fwd(*args, **kwargs)
        with autocast(device_type=device_type, enabled=False):
            return fwd(*_cast(args, device_type, cast_inputs), **_cast(kwargs, device_type, cast_inputs))
    return decorate_fwd


def custom_bwd(bwd=None, *, device_type):
    """Decorator for a custom Function's backward: runs it under forward's autocast state."""
    _check_type(device_type)
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)

    @functools.wraps(bwd)
    def decorate_bwd(*args, **kwargs):
        ctx = args[0]
        with autocast(device_type=device_type, enabled=ctx._fwd_used_autocast, dtype=ctx._dtype):
            return bwd(*args, **kwargs)
    return decorate_bwd
