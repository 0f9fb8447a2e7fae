"""The import forms PyTorch programs use, served by the hook while it is enabled."""
import importlib
import importlib.util
import sys

import pytest

import mstorch
from hookfixture import enabled  # noqa: F401  (fixture)
from mstorch import hook, proxy


def run(code):
    """Execute import statements as a program would; returns its namespace."""
    namespace = {}
    exec(compile(code, "<program>", "exec"), namespace)
    return namespace


def test_import_torch(enabled):
    ns = run("import torch\nimport torch as th\n")
    assert ns["torch"] is ns["th"] is mstorch.torch is sys.modules["torch"]


def test_submodule_forms(enabled):
    ns = run("import torch.version\n"
             "import torch.version as v\n"
             "from torch import version\n"
             "from torch.version import __version__\n")
    assert ns["torch"].version is ns["v"] is ns["version"] is sys.modules["torch.version"]
    assert isinstance(ns["v"], proxy.ProxyModule)
    assert ns["__version__"] == mstorch.torch.__version__


def test_programmatic_imports(enabled):
    assert importlib.import_module("torch.version") is mstorch.torch.version
    assert __import__("torch", fromlist=["version"]) is mstorch.torch
    assert importlib.util.find_spec("torch").loader is proxy.LOADER
    assert importlib.util.find_spec("torch.version").name == "torch.version"


def test_torchvision(enabled):
    ns = run("import torchvision\n")
    assert ns["torchvision"] is mstorch.torchvision
    assert ns["torchvision"].__version__ >= "0.20"


# The forms of a typical training script. They need the engine's modules
# (mstorch/impl/torch/nn, .../utils/data, mstorch/impl/torchvision/transforms).
@pytest.mark.parametrize("code, name", [
    ("import torch.nn as nn", "nn"),
    ("import torch.nn.functional as F", "F"),
    ("from torch.nn import functional as F", "F"),
    ("from torch.utils.data import DataLoader", "DataLoader"),
    ("from torchvision import transforms", "transforms"),
])
def test_training_script_forms(enabled, code, name):
    value = run(code)[name]
    module = value if isinstance(value, proxy.ProxyModule) else sys.modules[code.split()[1]]
    assert isinstance(module, proxy.ProxyModule)


def test_unsupported_submodule_is_not_found(enabled):
    assert importlib.util.find_spec("torch.no_such_module") is None
    with pytest.raises(ModuleNotFoundError):
        run("import torch.no_such_module")
    with pytest.raises(ImportError):
        run("from torch import no_such_name")


def test_unsupported_attribute_says_so(enabled):
    assert not hasattr(mstorch.torch, "no_such_api")
    with pytest.raises(AttributeError, match=r"mstorch does not support `torch\.no_such_api` yet"):
        mstorch.torch.no_such_api


def test_nothing_served_while_disabled():
    assert not mstorch.is_enabled()
    assert not any(isinstance(f, hook.ServingFinder) for f in sys.meta_path)
    spec = importlib.util.find_spec("torch")
    assert spec is None or spec.loader is not proxy.LOADER
