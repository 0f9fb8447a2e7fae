"""Proxy modules: the `torch` / `torchvision` namespaces that mstorch serves.

A proxy for `torch.a.b` resolves attribute `x` lazily, in this order:
  1. the generated ops table (`dispatch.namespace.lookup("torch.a.b", "x")`);
  2. the Python implementation module `mstorch.impl.torch.a.b`, if it exists;
  3. a child module `torch.a.b.x`, if the table or `mstorch.impl` serves one.
What resolves is cached in the proxy's `__dict__`, so later lookups are plain
attribute reads. There is one proxy per name: the import hook and the `mstorch.torch`
handle hand out the same objects.

Creating a proxy touches neither the table nor MindSpore; the first attribute
that is not preset does (importing `dispatch` starts MindSpore).
"""
import importlib
import importlib.machinery
import sys
import threading
import types

from mstorch import report
from mstorch.version import SERVED_VERSIONS, TorchVersion

IMPL_PREFIX = "mstorch.impl."
SERVED_TOPS = tuple(SERVED_VERSIONS)

_PROXIES = {}
_LOCK = threading.RLock()
_MISSING = object()
_FILLED = set()  # proxies whose __dict__ holds their impl's public names


def serves(name):
    """True when `name` is one of the namespaces mstorch answers for (`torch`, `torch.*`, ...)."""
    return name.partition(".")[0] in SERVED_TOPS


def get(name):
    """The proxy module for `name` (e.g. "torch.nn"), created on first request."""
    proxy = _PROXIES.get(name)
    if proxy is None:
        with _LOCK:
            proxy = _PROXIES.get(name)
            if proxy is None:
                proxy = _PROXIES[name] = ProxyModule(name)
    return proxy


def exists(name, consult_table=True):
    """Whether mstorch serves module `name`: a top-level namespace, a module of torch 2.13,
    an impl module, or a table namespace."""
    if name in SERVED_TOPS or name in listed_modules() or _impl_spec(name) is not None:
        return True
    return consult_table and serves(name) and _table().has_namespace(name)


_listed = []


def listed_modules():
    """The modules of torch 2.13 that import under mstorch (the list in `torch_modules.py`).

    Programs import far more of torch than they call, so every module of torch imports;
    what mstorch does not serve inside one stays absent (AttributeError naming it)."""
    if not _listed:
        from mstorch.torch_modules import MODULES
        _listed.append(frozenset(MODULES.split()))
    return _listed[0]


_started = []


def _table():
    # Importing the table starts MindSpore, so it happens at first real use only.
    from dispatch import namespace
    if not _started:
        _started.append(True)
        # MindSpore's binary operators must defer to mstorch Tensors (ms_tensor + t) from
        # the first op on, not only once a non-table torch attribute has been used.
        from mstorch.interop import install_mindspore_operators
        install_mindspore_operators()
    return namespace


def _route(module_name, attr, value):
    # Python-level torch functions go through the __torch_function__ protocol as table ops do.
    if type(value) is not types.FunctionType or not module_name.startswith("torch"):
        return value
    from dispatch.torch_function import route_impl
    return route_impl(module_name, attr, value)


def _is_dunder(attr):
    return attr.startswith("__") and attr.endswith("__")


def _impl_spec(name):
    """Where `mstorch.impl.<name>` lives, found without importing it (or None)."""
    impl_name = IMPL_PREFIX + name
    module = sys.modules.get(impl_name)
    if module is not None:
        return module.__spec__ or importlib.machinery.ModuleSpec(impl_name, None)
    import mstorch.impl
    path, found = mstorch.impl.__path__, None
    parts = name.split(".")
    for i in range(len(parts)):
        if path is None:
            return None
        found = importlib.machinery.PathFinder.find_spec(IMPL_PREFIX + ".".join(parts[:i + 1]), path)
        if found is None:
            return None
        path = found.submodule_search_locations
    return found


class _Loader:
    """Loader for proxy specs: the module is the shared proxy and has nothing to execute."""

    def create_module(self, spec):
        return get(spec.name)

    def exec_module(self, module):
        module._fill_from_impl()


LOADER = _Loader()


class ProxyModule(types.ModuleType):
    def __init__(self, name):
        super().__init__(name)
        impl = _impl_spec(name)
        origin = impl.origin if impl is not None and impl.has_location else None
        # A package with no search locations: children are found by mstorch's finder
        # only, so no file under mstorch/impl is ever imported a second time as torch.*.
        spec = importlib.machinery.ModuleSpec(name, LOADER, origin=origin, is_package=True)
        spec.has_location = origin is not None
        self.__spec__ = spec
        self.__loader__ = LOADER
        self.__package__ = name
        self.__path__ = []
        if origin is not None:
            # Preset, or the import system's probe for them would run __getattr__.
            self.__file__, self.__cached__ = origin, spec.cached
        if name in SERVED_VERSIONS:
            self.__version__ = TorchVersion(SERVED_VERSIONS[name])

    def __repr__(self):
        return f"<module {self.__name__!r} (served by mstorch)>"

    def __getattr__(self, attr):
        value = self._resolve(attr)
        types.ModuleType.__setattr__(self, attr, value)
        return value

    def __setattr__(self, attr, value):
        # The import system binds each child module on its parent once loaded.  Left
        # unbound, the name resolves as in PyTorch where the parent defines a non-module
        # of that name (torch.multiprocessing.spawn is the function, not the module), also
        # when that name is already in __dict__ (torch.nn.utils.weight_norm stays the
        # function after `import torch.nn.utils.weight_norm`).
        if type(value) is ProxyModule and value.__name__ == f"{self.__name__}.{attr}":
            return
        types.ModuleType.__setattr__(self, attr, value)

    def __dir__(self):
        names = set(self.__dict__)
        names.update(self._table_names())
        names.update(self._impl_public_names())
        names.update(self._impl_children())
        return sorted(names)

    def _fill_from_impl(self):
        """Put the impl module's public names in `__dict__` when the module is handed out.

        Programs list a module's contents through `__dict__` / `vars()` (imagenet builds its
        `--arch` choices from `torchvision.models.__dict__`, others read
        `torch.optim.__dict__[name]`), which no `__getattr__` can answer. Each name is
        resolved as an attribute read would resolve it (the table first). The top-level
        namespaces stay lazy: `import torch` must not start MindSpore (3 s). A submodule's
        impl sits under `mstorch.impl.torch`, whose import does start it, so `import
        torch.nn` now pays at import what its first use paid before. Table-only names are
        not listed: listing them means building every op of the namespace."""
        name = self.__name__
        if name in _FILLED or name in SERVED_TOPS or _impl_spec(name) is None:
            return
        _FILLED.add(name)
        # The table's name list loads no MindSpore; building an op does, so only names
        # the table serves (and that therefore shadow the impl's) go through getattr.
        from dispatch import namespace
        in_table = set(namespace.names(name))
        impl, present = self._impl_module(), self.__dict__
        for attr in self._impl_public_names():
            if attr in present:
                continue
            if attr in in_table:
                getattr(self, attr)
                continue
            value = getattr(impl, attr, _MISSING)
            # Absent names (listed in an __all__ only) stay absent; modules are children.
            if value is not _MISSING and not isinstance(value, types.ModuleType):
                types.ModuleType.__setattr__(self, attr, _route(name, attr, value))

    # -- resolution -------------------------------------------------------------

    def _resolve(self, attr):
        name = self.__name__
        if attr == "__all__":
            return sorted(set(self._table_names()) | set(self._impl_public_names()))
        if not _is_dunder(attr):
            try:
                return self._table_lookup(attr)
            except LookupError:
                pass
        child = f"{name}.{attr}"
        impl = self._impl_module()
        value = getattr(impl, attr, _MISSING) if impl is not None else _MISSING
        if not isinstance(value, types.ModuleType) and value is not _MISSING:
            return _route(name, attr, value)
        # A module found on the impl is either the impl of a child (served as that
        # child's proxy below) or the impl's own import (numpy, dispatch...), not torch API.
        if exists(child, consult_table=not _is_dunder(attr)):
            module = get(child)
            module._fill_from_impl()
            return module
        error = AttributeError(
            f"module {name!r} has no attribute {attr!r}: mstorch does not support `{child}` yet")
        error.name, error.obj = attr, self  # for Python's "Did you mean" hint
        report.note_missing(child)  # the migration report (a no-op unless it is on)
        raise error

    def _table_lookup(self, attr):
        try:
            return _table().lookup(self.__name__, attr)
        except AttributeError as exc:
            # An AttributeError escaping __getattr__ would read as "unsupported" to
            # hasattr() and hide a broken table entry.
            raise RuntimeError(f"building `{self.__name__}.{attr}` from the ops table failed") from exc

    def _impl_module(self):
        if _impl_spec(self.__name__) is None:
            return None
        try:
            return importlib.import_module(IMPL_PREFIX + self.__name__)
        except AttributeError as exc:
            raise ImportError(f"importing {IMPL_PREFIX + self.__name__} failed") from exc

    # -- listing ----------------------------------------------------------------

    def _table_names(self):
        return _table().names(self.__name__)

    def _impl_public_names(self):
        impl = self._impl_module()
        if impl is None:
            return []
        if hasattr(impl, "__all__"):
            return list(impl.__all__)
        return [k for k, v in vars(impl).items()
                if not k.startswith("_") and not isinstance(v, types.ModuleType)]

    def _impl_children(self):
        spec = _impl_spec(self.__name__)
        if spec is None or not spec.submodule_search_locations:
            return []
        import pkgutil  # costs 5 ms at import time, and only dir() needs it
        return [info.name for info in pkgutil.iter_modules(spec.submodule_search_locations)]
