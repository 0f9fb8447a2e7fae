"""torch.overrides: the Python side of the __torch_function__ protocol.

The protocol itself (which callables route, the order overrides run in, the mode stack)
lives in dispatch/torch_function.py; this module is PyTorch's public face of it.
"""
import contextlib
import functools
import warnings

from dispatch import torch_function as _tf

__all__ = ["get_overridable_functions", "handle_torch_function", "has_torch_function", "resolve_name",
           "is_tensor_like", "is_tensor_method_or_property", "wrap_torch_function", "TorchFunctionMode",
           "BaseTorchFunctionMode", "get_default_nowrap_functions"]


def has_torch_function(relevant_args):
    """Whether a mode is active or an element of `relevant_args` overrides __torch_function__
    (exact Tensors and Parameters do not)."""
    return _tf.has_torch_function(relevant_args)


def has_torch_function_unary(obj):
    return _tf.has_torch_function((obj,))


def has_torch_function_variadic(*args):
    return _tf.has_torch_function(args)


def handle_torch_function(public_api, relevant_args, *args, **kwargs):
    """Run the overrides for `public_api(*args, **kwargs)`: the innermost mode, then the
    overriding arguments in `relevant_args`; TypeError when all return NotImplemented."""
    return _tf.handle(public_api, tuple(relevant_args), args, kwargs, python_api=True)


def _get_overloaded_args(relevant_args, get_type_fn=None):
    if get_type_fn is not None and get_type_fn is not type:
        raise NotImplementedError("mstorch: torch.overrides._get_overloaded_args(get_type_fn=...) is not supported")
    return _tf.overloaded_args(tuple(relevant_args))


def is_tensor_like(inp):
    from dispatch import Tensor
    return type(inp) is Tensor or hasattr(inp, "__torch_function__")


def is_tensor_method_or_property(func):
    return _tf.is_tensor_method_or_property(func)


def get_default_nowrap_functions():
    return set(_tf._nowrap_functions())


def wrap_torch_function(dispatcher):
    """Decorator: make a Python function dispatchable through __torch_function__; `dispatcher`
    (same signature) returns the arguments to check."""
    def inner(func):
        @functools.wraps(func)
        def wrapped(*args, **kwargs):
            relevant = dispatcher(*args, **kwargs)
            if has_torch_function(relevant):
                return handle_torch_function(wrapped, relevant, *args, **kwargs)
            return func(*args, **kwargs)
        return wrapped
    return inner


# -- which callables route ---------------------------------------------------------------------
_NAMESPACES = ("torch", "torch.functional", "torch.nn.functional", "torch.linalg", "torch.fft", "torch.special")


@functools.lru_cache(maxsize=1)
def _overridable():
    """({namespace: [callables]}, {callable: dotted name}) for what mstorch really routes through
    the protocol. Building the list builds every table op's callable once (seconds)."""
    from dispatch import Tensor
    from mstorch import proxy
    table = {}
    index = {}
    for ns in _NAMESPACES:
        module = proxy.get(ns)
        for name in dir(module):
            if name.startswith("_") or name.endswith("_") or not name[:1].islower():
                continue
            try:
                f = getattr(module, name)
            except (AttributeError, NotImplementedError, RuntimeError):
                continue
            if getattr(f, "__mstorch_impl__", None) is not None and not getattr(f, "__mstorch_tensor_method__", 0):
                table.setdefault(module, []).append(f)
                index[f] = f"{ns}.{name}"
    for name in dir(Tensor):
        raw = _tf._static(Tensor, name)
        if isinstance(raw, property) and getattr(raw.fget, "__mstorch_property__", False):
            table.setdefault(raw, []).append(raw.__get__)
            index[raw.__get__] = f"torch.Tensor.{name}.__get__"
            index[raw.__set__] = f"torch.Tensor.{name}.__set__"
            continue
        try:
            f = getattr(Tensor, name)
        except AttributeError:
            continue
        if getattr(f, "__mstorch_tensor_method__", False):
            table.setdefault(Tensor, []).append(f)
            index[f] = f"torch.Tensor.{name}"
    return table, index


def get_overridable_functions():
    """{namespace: [functions]}: the callables mstorch routes through __torch_function__."""
    return _overridable()[0]


def resolve_name(f):
    return _overridable()[1].get(f)


# -- modes ---------------------------------------------------------------------------------------
class TorchFunctionMode:
    """Overrides every torch callable within a `with` block: `__torch_function__(func, types,
    args, kwargs)` runs instead, with this mode popped (so torch calls inside reach the next one)."""

    def __init__(self):
        pass

    def __torch_function__(self, func, types, args=(), kwargs=None):
        raise NotImplementedError(f"{type(self).__name__}.__torch_function__ is not overridden "
                                  "(subclasses of TorchFunctionMode define it)")

    def __enter__(self):
        _push_mode(self)
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        _pop_mode()

    @classmethod
    def push(cls, *args, **kwargs):
        warnings.warn("`Mode.push()` is no longer necessary and can be replaced with just `with Mode()`",
                      stacklevel=2)
        return cls(*args, **kwargs)


class BaseTorchFunctionMode(TorchFunctionMode):
    def __torch_function__(self, func, types, args=(), kwargs=None):
        return func(*args, **(kwargs or {}))


def _get_current_function_mode():
    n = _tf.stack_len()
    return _tf.stack_at(n - 1) if n else None


def _get_current_function_mode_stack():
    return [_tf.stack_at(i) for i in range(_tf.stack_len())]


def _push_mode(mode):
    _tf.push_mode(mode)


def _pop_mode():
    return _tf.pop_mode()


@contextlib.contextmanager
def _pop_mode_temporarily():
    old = _pop_mode()
    try:
        yield old
    finally:
        _push_mode(old)
