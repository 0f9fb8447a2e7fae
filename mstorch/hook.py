"""The import hook: a `sys.meta_path` finder that serves `torch*` / `torchvision*` as proxies.

`install()` puts the finder first on `sys.meta_path` and moves aside every module
that belongs to another torch (real torch imported earlier, einops modules bound to
it); `uninstall()` takes the finder out and puts those modules back, so the process
sees exactly the modules it saw before.
"""
import importlib
import importlib.abc
import importlib.util
import sys
import threading

from mstorch import einops_binding, proxy


# The older adapter's package name: code written for it (`import mindtorch.torch as torch`,
# `from mindtorch.tools import mstorch_enable`) is served too. `mindtorch.torch*` and
# `mindtorch.torchvision*` are the very proxies `torch*` / `torchvision*` are; the rest
# of `mindtorch.*` lives in mstorch/impl/mindtorch.
ALIAS_TOP = "mindtorch"


def _alias_target(fullname):
    """(served name, is_proxy) for a `mindtorch*` module name, or None."""
    top, _, rest = fullname.partition(".")
    if top != ALIAS_TOP:
        return None
    if rest and proxy.serves(rest):
        return (rest, True) if proxy.exists(rest) else None
    target = "mstorch.impl." + fullname
    return (target, False) if importlib.util.find_spec(target) is not None else None


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target, is_proxy):
        self.target, self.is_proxy = target, is_proxy

    def create_module(self, spec):
        module = proxy.get(self.target) if self.is_proxy else importlib.import_module(self.target)
        self.own_spec = module.__spec__
        return module

    def exec_module(self, module):
        # The import system has just stamped the alias spec on the shared module;
        # `torch` must keep answering with its own spec.
        module.__spec__ = self.own_spec


class ServingFinder(importlib.abc.MetaPathFinder):
    """Answers `find_spec` for the served namespaces, and their package metadata."""

    def find_spec(self, fullname, path=None, target=None):
        if proxy.serves(fullname) and proxy.exists(fullname):
            return proxy.get(fullname).__spec__
        alias = _alias_target(fullname)
        if alias is not None:
            return importlib.util.spec_from_loader(fullname, _AliasLoader(*alias), is_package=True)
        return None

    def find_distributions(self, context):
        # Called by importlib.metadata only, so importing our metadata module here is free.
        from mstorch import metadata
        return metadata.find_distributions(context)


_lock = threading.RLock()
_installed = None  # (finder, {name: module moved aside}) while installed


def _swapped(name):
    """Modules that belong to one torch and must change when the torch changes."""
    return proxy.serves(name) or name in einops_binding.TORCH_BOUND or name.partition(".")[0] == ALIAS_TOP


def _set_parent_attr(name, module):
    # `from . import x` and `import a.b.x as y` read the attribute on the parent, so a
    # parent that stays (einops.layers) must point at the module of the current torch.
    parent_name, _, child = name.rpartition(".")
    parent = sys.modules.get(parent_name)
    if parent is None or _swapped(parent_name):
        return
    if module is None:
        parent.__dict__.pop(child, None)
    else:
        setattr(parent, child, module)


def _take_swapped():
    taken = {name: mod for name, mod in list(sys.modules.items()) if _swapped(name)}
    for name in taken:
        del sys.modules[name]
        _set_parent_attr(name, None)
    return taken


def is_installed():
    return _installed is not None


def install():
    global _installed
    with _lock:
        if _installed is not None:
            return
        finder = ServingFinder()
        moved_aside = _take_swapped()
        sys.meta_path.insert(0, finder)
        _installed = (finder, moved_aside)
        einops_binding.rebind()


def uninstall():
    global _installed
    with _lock:
        if _installed is None:
            return
        finder, moved_aside = _installed
        _installed = None
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
        _take_swapped()
        sys.modules.update(moved_aside)
        for name, module in moved_aside.items():
            _set_parent_attr(name, module)
        einops_binding.rebind()
