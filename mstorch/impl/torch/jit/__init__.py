"""torch.jit: `script` and `trace` give back objects that run the original Python eagerly.

There is no TorchScript compiler behind mstorch, so what cannot be honoured raises
NotImplementedError naming it: saving or loading a TorchScript archive, and reading
the compiled `.graph` / `.code`. Everything a training or inference script calls on a
scripted module (forward, parameters, state_dict, train/eval, .to) works as on the
original, because the scripted module *is* the original's state under another class.
"""
import typing

from mstorch.impl.torch.jit._script import (RecursiveScriptModule, ScriptFunction, ScriptModule, script,
                                            trace, trace_module)

Final = typing.Final
__all__ = ["script", "trace", "trace_module", "ScriptModule", "ScriptFunction", "RecursiveScriptModule", "ignore",
           "unused", "export", "is_scripting", "is_tracing", "Final", "annotate", "save", "load", "freeze",
           "optimize_for_inference", "fork", "wait", "Future", "Attribute", "interface", "script_if_tracing",
           "isinstance"]


def is_scripting():
    return False


def is_tracing():
    return False


def annotate(the_type, the_value):
    return the_value


def Attribute(value, type=None):
    return value


def ignore(drop=False, **kwargs):
    # Used bare (`@torch.jit.ignore`) or called (`@torch.jit.ignore(drop=True)`).
    if callable(drop):
        return drop
    return lambda fn: fn


def unused(fn):
    return fn


def export(fn):
    return fn


def interface(obj):
    return obj


def script_if_tracing(fn):
    return fn


def isinstance(obj, target_type):
    import builtins
    origin = typing.get_origin(target_type)
    return builtins.isinstance(obj, origin or target_type)


def save(m, f, _extra_files=None):
    raise NotImplementedError("mstorch: torch.jit.save is not supported (no TorchScript archive format); save "
                              "the weights with torch.save(model.state_dict(), f) instead")


def load(f, map_location=None, _extra_files=None, _restore_shapes=False):
    raise NotImplementedError("mstorch: torch.jit.load is not supported (TorchScript archives need the TorchScript "
                              "runtime); load a state_dict saved with torch.save into the Python model instead")


def freeze(mod, preserved_attrs=None, optimize_numerics=True):
    if not builtins_isinstance(mod, ScriptModule):
        raise RuntimeError("Freezing expects a ScriptModule as input. Please use torch.jit.script or "
                           "torch.jit.trace to script your 'nn.Module'.")
    if mod.training:
        raise RuntimeError("Freezing is currently only implemented for modules in eval mode. Please call .eval() "
                           "on your module before freezing.")
    return mod


def optimize_for_inference(mod, other_methods=None):
    if not builtins_isinstance(mod, ScriptModule):
        raise RuntimeError("optimize_for_inference expects a ScriptModule as input. Please use torch.jit.script "
                           "or torch.jit.trace to script your 'nn.Module'.")
    return mod


class Future:
    """What `fork` returns: the call already ran (mstorch runs eagerly), `wait` hands back its value."""

    def __init__(self, value):
        self._value = value

    def wait(self):
        return self._value

    def done(self):
        return True


def fork(func, *args, **kwargs):
    return Future(func(*args, **kwargs))


def wait(future):
    return future.wait()


def builtins_isinstance(obj, cls):
    import builtins
    return builtins.isinstance(obj, cls)

