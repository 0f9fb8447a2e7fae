"""MSTORCH_ENABLE=1 through the start-up .pth file the package installs."""
import json
import sysconfig
from pathlib import Path

from childproc import python

REPORT = """
import importlib.metadata, importlib.util, json, sys
before = {m: m in sys.modules for m in ("mstorch", "dispatch", "mindspore")}
import torch
spec = importlib.util.find_spec("torch")
print(json.dumps({
    "before_import_torch": before,
    "torch_kind": type(torch).__module__,
    "spec_loader": type(spec.loader).__module__,
    "metadata_version": importlib.metadata.version("torch"),
    "version_ok": torch.__version__ >= "2.8" and torch.__version__ < (2, 14),
    "engine_loaded": {m: m in sys.modules for m in ("dispatch", "mindspore")},
}))
"""


def test_pth_file_is_installed_beside_the_package():
    pth = Path(sysconfig.get_path("purelib")) / "mstorch-startup.pth"
    assert pth.read_text().startswith("import os;")


def test_enabled_by_the_variable_and_lazy():
    proc = python("-c", REPORT, enable=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "before_import_torch": {"mstorch": True, "dispatch": False, "mindspore": False},
        "torch_kind": "mstorch.proxy",
        "spec_loader": "mstorch.proxy",
        "metadata_version": "2.13.0+mstorch",
        "version_ok": True,
        # `import torch`, its version, spec and metadata must not start the engine.
        "engine_loaded": {"dispatch": False, "mindspore": False},
    }


UNSET = """
import importlib.util, json, sys
untouched = not any(m in sys.modules for m in ("mstorch", "dispatch", "mindspore"))
spec = importlib.util.find_spec("torch")
import mstorch
handles = [mstorch.torch, mstorch.torchvision, mstorch.torch.__version__]
print(json.dumps({
    "untouched": untouched,
    "torch_spec_is_real": spec is None or type(spec.loader).__module__ != "mstorch.proxy",
    "handles_are_lazy": not any(m in sys.modules for m in ("dispatch", "mindspore")),
    "enabled": mstorch.is_enabled(),
}))
"""


def test_unset_variable_costs_nothing():
    proc = python("-c", UNSET)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "untouched": True, "torch_spec_is_real": True, "handles_are_lazy": True, "enabled": False}


def test_variable_zero_means_off():
    proc = python("-c", "import sys; print('mstorch' in sys.modules)", enable="0")
    assert proc.stdout.strip() == "False"
