"""`torch._C`: the few names of PyTorch's C extension that libraries call directly.

Only what mstorch can answer truthfully is here; anything else stays absent, so
`hasattr(torch._C, name)` probes keep working and a use names itself in its AttributeError.
"""
from dispatch import Tensor as _Tensor

# The metaclass of torch.Tensor.  mstorch's Tensor is a plain Python class, so its
# metaclass is `type`; code that mixes it into its own metaclass or checks
# `isinstance(cls, torch._C._TensorMeta)` sees what mstorch's Tensor really is.
_TensorMeta = type(_Tensor)


def _log_api_usage_once(event):
    """PyTorch reports the event to an optional logging hook of its own; mstorch has no
    such hook, so there is nothing to record."""
    if not isinstance(event, str):
        raise TypeError(f"_log_api_usage_once(): argument 'event' (position 1) must be str, not "
                        f"{type(event).__name__}")


# -- deterministic algorithms ------------------------------------------------------------------
_deterministic = {"mode": False, "warn_only": False}


def _set_deterministic_algorithms(mode, *, warn_only=False):
    if not isinstance(mode, bool):
        raise TypeError(f"_set_deterministic_algorithms(): argument 'mode' (position 1) must be bool, not "
                        f"{type(mode).__name__}")
    if not isinstance(warn_only, bool):
        raise TypeError(f"_set_deterministic_algorithms(): argument 'warn_only' must be bool, not "
                        f"{type(warn_only).__name__}")
    if mode:
        from dispatch.backend import target
        if target() != "cpu":
            # MindSpore's own switch (mindspore.set_deterministic) may be set once per
            # process only, so it cannot follow a flag that programs turn on and off.
            raise NotImplementedError("mstorch: torch.use_deterministic_algorithms(True) on a MindSpore "
                                      f"{target()} target is not supported; call mindspore.set_deterministic(True) "
                                      "once at start-up instead")
    _deterministic["mode"] = mode
    _deterministic["warn_only"] = mode and warn_only


def _get_deterministic_algorithms():
    return _deterministic["mode"]


def _get_deterministic_algorithms_warn_only():
    return _deterministic["warn_only"]


def _get_privateuse1_backend_name():
    return "privateuseone"


# -- the __torch_function__ protocol (dispatch/torch_function.py) ----------------------------------
from dispatch import torch_function as _tf  # noqa: E402

DisableTorchFunction = _tf.DisableTorchFunction
DisableTorchFunctionSubclass = _tf.DisableTorchFunctionSubclass
_disabled_torch_function_impl = _tf._disabled_torch_function_impl
_is_torch_function_enabled = _tf.is_torch_function_enabled
_is_torch_function_mode_enabled = _tf.is_torch_function_mode_enabled
_push_on_torch_function_stack = _tf.push_mode
_pop_torch_function_stack = _tf.pop_mode
_len_torch_function_stack = _tf.stack_len
_get_function_stack_at = _tf.stack_at


def _has_torch_function(relevant_args):
    return _tf.has_torch_function(relevant_args)


def _has_torch_function_unary(obj):
    return _tf.has_torch_function((obj,))


def _has_torch_function_variadic(*args):
    return _tf.has_torch_function(args)
