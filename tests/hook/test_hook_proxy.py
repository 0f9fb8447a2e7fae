"""How a proxy module resolves, caches and lists attributes, with or without the hook.

`selftest_impl` plays a module of mstorch.impl (registered in sys.modules, as an
imported impl module is), so the resolution rules are tested apart from the engine.
"""
import importlib
import importlib.machinery
import sys
import types

import numpy
import pytest

import mstorch
from hookfixture import enabled  # noqa: F401  (fixture)
from mstorch import proxy

NAME = "torch._mstorch_selftest"


def _impl_module(name, **attrs):
    module = types.ModuleType(proxy.IMPL_PREFIX + name)
    module.__spec__ = importlib.machinery.ModuleSpec(module.__name__, None, is_package=True)
    vars(module).update(attrs)
    sys.modules[module.__name__] = module
    return module


@pytest.fixture
def selftest_impl():
    def helper():
        return "from impl"

    child = _impl_module(NAME + ".child", value=7)
    impl = _impl_module(NAME, helper=helper, number=42, numpy=numpy, child=child, _private=1)
    yield impl
    for name in (NAME, NAME + ".child"):
        sys.modules.pop(proxy.IMPL_PREFIX + name, None)
        sys.modules.pop(name, None)
        proxy._PROXIES.pop(name, None)
    vars(mstorch.torch).pop(NAME.split(".")[1], None)


def test_handles_are_the_hook_modules(enabled):
    import torch
    import mstorch.torch as handle
    from mstorch import torchvision
    assert torch is handle is mstorch.torch is proxy.get("torch")
    assert torchvision is proxy.get("torchvision")


def test_module_attributes():
    t = mstorch.torch
    assert (t.__name__, t.__package__, t.__spec__.name) == ("torch", "torch", "torch")
    assert t.__path__ == [] and t.__spec__.submodule_search_locations == []
    assert t.__loader__ is t.__spec__.loader is proxy.LOADER
    assert "served by mstorch" in repr(t)


def test_attribute_from_impl_is_cached(selftest_impl):
    sub = getattr(mstorch.torch, NAME.split(".")[1])
    assert sub is proxy.get(NAME)
    assert sub.helper() == "from impl"
    assert sub.number == 42
    assert vars(sub)["helper"] is selftest_impl.helper  # cached: no second resolution
    assert sub._private == 1


def test_impl_submodule_resolves_to_its_proxy(selftest_impl, enabled):
    sub = proxy.get(NAME)
    assert sub.child is proxy.get(NAME + ".child") is importlib.import_module(NAME + ".child")
    assert sub.child.value == 7


def test_foreign_modules_of_the_impl_are_not_api(selftest_impl):
    with pytest.raises(AttributeError, match=f"mstorch does not support `{NAME}.numpy` yet"):
        proxy.get(NAME).numpy


def test_dir_lists_what_is_served(selftest_impl):
    names = dir(proxy.get(NAME))
    assert {"helper", "number"} <= set(names)
    assert "numpy" not in names and "_private" not in names
    assert {"version", "__version__"} <= set(dir(mstorch.torch))


def test_star_import_takes_public_names(selftest_impl, enabled):
    namespace = {}
    exec(f"from {NAME} import *", namespace)
    assert {"helper", "number"} <= set(namespace) and "numpy" not in namespace


def test_dunder_probes_do_not_reach_the_table(monkeypatch):
    def no_table():
        raise AssertionError("the table was consulted for a dunder")
    monkeypatch.setattr(proxy, "_table", no_table)
    assert not hasattr(proxy.get("torchvision"), "__wrapped__")


def test_broken_table_entry_is_an_error_not_unsupported(monkeypatch):
    class Table:
        @staticmethod
        def lookup(module, attr):
            raise AttributeError("mindspore.ops has no attribute 'Missing'")
    monkeypatch.setattr(proxy, "_table", lambda: Table)
    with pytest.raises(RuntimeError, match="building `torchvision.broken_op`"):
        hasattr(proxy.get("torchvision"), "broken_op")
