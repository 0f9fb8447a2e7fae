"""The objects `torch.jit.script` / `trace` return: eager stand-ins with TorchScript's names."""
import functools


def _not_supported(what):
    raise NotImplementedError(f"mstorch: {what} is not supported (there is no TorchScript compiler behind "
                              "mstorch; the scripted object runs the original Python eagerly)")


class ScriptModule:
    """Mixed in front of the original Module's class; the instance shares the original's __dict__,
    so parameters, buffers, hooks and the training flag are the same objects in both."""

    def save(self, f, **kwargs):
        _not_supported(f"{type(self).__name__}.save")

    def save_to_buffer(self, *args, **kwargs):
        _not_supported(f"{type(self).__name__}.save_to_buffer")

    @property
    def graph(self):
        _not_supported(f"{type(self).__name__}.graph")

    @property
    def inlined_graph(self):
        _not_supported(f"{type(self).__name__}.inlined_graph")

    @property
    def code(self):
        _not_supported(f"{type(self).__name__}.code")

    @property
    def original_name(self):
        return type(self).__mro__[2].__name__


class RecursiveScriptModule(ScriptModule):
    pass


_classes = {}


def _wrap_module(mod, kind):
    base = type(mod)
    if isinstance(mod, ScriptModule):
        return mod
    key = (kind, base)
    cls = _classes.get(key)
    if cls is None:
        cls = _classes[key] = type(kind.__name__, (kind, base), {"__module__": "torch.jit._script"})
    scripted = object.__new__(cls)
    scripted.__dict__ = mod.__dict__
    return scripted


class ScriptFunction:
    def __init__(self, fn):
        functools.update_wrapper(self, fn)
        self._fn = fn

    def __call__(self, *args, **kwargs):
        return self._fn(*args, **kwargs)

    def save(self, f, **kwargs):
        _not_supported("ScriptFunction.save")

    @property
    def graph(self):
        _not_supported("ScriptFunction.graph")

    @property
    def code(self):
        _not_supported("ScriptFunction.code")


def _is_module(obj):
    from mstorch.impl.torch._ns import torch
    return isinstance(obj, torch.nn.Module)


def script(obj, optimize=None, _frames_up=0, _rcb=None, example_inputs=None):
    if _is_module(obj):
        return _wrap_module(obj, RecursiveScriptModule)
    if isinstance(obj, type):
        return obj  # a scripted class is still the class
    if not callable(obj):
        raise RuntimeError(f"mstorch: torch.jit.script cannot script a {type(obj).__name__}")
    if isinstance(obj, ScriptFunction):
        return obj
    return ScriptFunction(obj)


class TopLevelTracedModule(ScriptModule):
    pass


def trace(func, example_inputs=None, optimize=None, check_trace=True, check_inputs=None, check_tolerance=1e-5,
          strict=True, _force_outplace=False, _module_class=None, _compilation_unit=None, example_kwarg_inputs=None,
          _store_inputs=True):
    # The recorded graph would be the Python code itself, so the example inputs are not run.
    if example_inputs is None and example_kwarg_inputs is None:
        raise RuntimeError("example_kwarg_inputs or example_inputs must be provided to torch.jit.trace")
    if _is_module(func):
        return _wrap_module(func, TopLevelTracedModule)
    if not callable(func):
        raise TypeError(f"torch.jit.trace expects a function or an nn.Module, got {type(func).__name__}")
    return ScriptFunction(func)


def trace_module(mod, inputs, **kwargs):
    if not _is_module(mod):
        raise AttributeError("expected torch.nn.Module as the first argument")
    return _wrap_module(mod, TopLevelTracedModule)
