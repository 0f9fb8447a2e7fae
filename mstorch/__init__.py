"""mstorch: run unmodified PyTorch programs on MindSpore.

    import mstorch
    mstorch.enable()        # from here on `import torch` / `import torchvision` get mstorch
    mstorch.disable()       # back to whatever was importable before

`mstorch.torch` and `mstorch.torchvision` are the same module objects the import hook
serves, usable without the hook (e.g. beside real torch in tests):
`import mstorch.torch as torch`.

Importing this package is cheap and does not start MindSpore (the import hook itself
is loaded by `enable()`): it is imported at every interpreter start when
MSTORCH_ENABLE=1, and the first torch attribute used pays for the engine instead.
"""
import sys

from mstorch import proxy as _proxy
from mstorch.interop import from_mindspore, from_torch  # noqa: F401
from mstorch.version import __version__

torch = _proxy.get("torch")
torchvision = _proxy.get("torchvision")
# Registered under these names too, so `import mstorch.torch as torch` finds them.
sys.modules[__name__ + ".torch"] = torch
sys.modules[__name__ + ".torchvision"] = torchvision


def enable():
    """Serve `torch`, `torchvision` (and their submodules) from mstorch to every later import.

    Torch modules imported before are moved aside, not lost: `disable()` restores them.
    Calling it again while enabled does nothing.
    """
    from mstorch import hook, report
    report.start_if_requested()
    hook.install()


def disable():
    """Undo `enable()`: `sys.modules` and `sys.meta_path` hold what they held before it."""
    from mstorch import hook
    hook.uninstall()


def is_enabled():
    from mstorch import hook
    return hook.is_installed()
