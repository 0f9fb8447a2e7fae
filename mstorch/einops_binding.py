"""Keep the real, unmodified einops bound to whichever torch is current.

einops picks its torch backend lazily: on first use it builds `TorchBackend`, which
takes `sys.modules["torch"]`, and caches it. Imported fresh while mstorch is enabled
it therefore binds to mstorch by itself, before or after `import torch`. What needs
help is einops state that outlives a switch of torch (enable/disable while einops is
loaded): the cached backend, and the einops modules that did `import torch` at their
own import time. The hook swaps those modules together with the torch namespace
(see `TORCH_BOUND`) and calls `rebind()` after every switch.

No post-import hook is needed: a fresh einops has nothing cached, and registering
one (wrapt.when_imported) would leave wrapt's finder on `sys.meta_path` for good,
which `disable()` promises not to do.
"""
import sys

# einops modules that hold the torch module they imported; they belong to one torch.
TORCH_BOUND = ("einops._torch_specific", "einops.layers.torch")


def rebind():
    """Drop einops' cached torch backend if it was built for another torch module."""
    backends = sys.modules.get("einops._backends")
    if backends is None:
        return
    current = sys.modules.get("torch")
    stale = backends._loaded_backends.get("torch")
    if stale is None or getattr(stale, "torch", None) is current:
        return
    del backends._loaded_backends["torch"]
    for tensor_type, backend in list(backends._type2backend.items()):
        if backend is stale:
            del backends._type2backend[tensor_type]
