"""torch.autograd.function (module path some code imports from)."""
from dispatch.autograd.function import Function, FunctionCtx, once_differentiable

__all__ = ["Function", "FunctionCtx", "once_differentiable"]


def _autocast_state(device_type):
    """Autocast on/dtype for a device, once mstorch has autocast (#9); off until then."""
    try:
        from mstorch.impl.torch import amp as _amp  # provided by the autocast work
        return _amp.is_autocast_enabled(device_type), _amp.get_autocast_dtype(device_type)
    except (ImportError, AttributeError):
        return False, None


def custom_fwd(fwd=None, *, device_type="cuda", cast_inputs=None):
    """torch.amp.custom_fwd: run forward with the caller's autocast state (or, with
    `cast_inputs`, with autocast off and floating inputs cast to that dtype)."""
    import functools
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type, cast_inputs=cast_inputs)

    @functools.wraps(fwd)
    def wrapper(*args, **kwargs):
        enabled, dtype = _autocast_state(device_type)
        ctx = args[0]
        ctx._fwd_used_autocast, ctx._dtype = enabled, dtype
        if cast_inputs is not None and enabled:
            from dispatch import Tensor

            def cast(v):
                return v.to(cast_inputs) if isinstance(v, Tensor) and v.is_floating_point() else v
            args = tuple(cast(a) for a in args)
            kwargs = {k: cast(v) for k, v in kwargs.items()}
        return fwd(*args, **kwargs)
    return wrapper


def custom_bwd(bwd=None, *, device_type="cuda"):
    """torch.amp.custom_bwd: backward runs under the autocast state forward saw."""
    import functools
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)

    @functools.wraps(bwd)
    def wrapper(*args, **kwargs):
        return bwd(*args, **kwargs)
    return wrapper
