"""torch.compile: accepted with every argument PyTorch takes, and runs eagerly.

mstorch has no graph compiler behind it, so no speed-up is claimed: the result runs the
original code. Its shape is PyTorch's, because scripts depend on it: a Module comes back
wrapped in an `OptimizedModule` (state_dict keys gain the `_orig_mod.` prefix, attributes
reach the original), a function comes back as a wrapper, and `disable=True` returns the
argument itself. Arguments are checked as PyTorch checks them.
"""
import functools

_MODES = ("default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs", "max-autotune")
# What torch._dynamo.list_backends() answers, with its debug backends.
_BACKENDS = ("inductor", "cudagraphs", "openxla", "tvm", "eager", "aot_eager", "aot_eager_decomp_partition")


def _optimized_module_class():
    from mstorch.impl.torch._ns import torch

    class OptimizedModule(torch.nn.Module):
        def __init__(self, mod):
            super().__init__()
            self._orig_mod = mod

        def forward(self, *args, **kwargs):
            return self._orig_mod(*args, **kwargs)

        def __getattr__(self, name):
            try:
                return super().__getattr__(name)
            except AttributeError:
                return getattr(self._modules["_orig_mod"], name)

    OptimizedModule.__module__ = "torch._dynamo.eval_frame"
    return OptimizedModule


_cls = []


def optimized_module_class():
    """torch._dynamo.eval_frame.OptimizedModule, built once (its base is torch.nn.Module)."""
    if not _cls:
        _cls.append(_optimized_module_class())
    return _cls[0]


def _check(backend, mode, options):
    if mode is not None and options is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be specified at the same time.")
    if mode is not None and mode not in _MODES:
        raise RuntimeError(f"Unrecognized mode={mode}, should be one of: {', '.join(_MODES)}")
    if isinstance(backend, str):
        if backend not in _BACKENDS:
            raise RuntimeError(f"Invalid backend: {backend!r}, see `torch._dynamo.list_backends()` for available "
                               "backends.")
    elif not callable(backend):
        raise TypeError(f"backend must be a string or a callable, got {type(backend).__name__}")


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None, options=None,
            disable=False):
    _check(backend, mode, options)
    if model is None:
        return functools.partial(compile, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
                                 options=options, disable=disable)
    if not callable(model):
        raise AssertionError(f"A callable function is expected, but {type(model)} is provided.")
    if disable:
        return model
    from mstorch.impl.torch._ns import torch
    if isinstance(model, torch.nn.Module):
        return optimized_module_class()(model)

    @functools.wraps(model)
    def compiled(*args, **kwargs):
        return model(*args, **kwargs)
    return compiled
