"""A served module's `__dict__` / `vars()` lists its impl's names, as programs read them.

imagenet builds its `--arch` choices from `torchvision.models.__dict__`; other programs read
`torch.optim.__dict__[name]` or `vars(torch.nn)`. Run in a child interpreter: whether a module
is filled depends on how it was first handed out (import statement or attribute read).
"""
import json

import torch as real_torch

import childproc

PROGRAM = r"""
import json, sys
import torch, torch.nn, torch.optim
import torchvision.models as models
out = {
    "arch": sorted(n for n in models.__dict__ if n.islower() and not n.startswith("__")
                   and callable(models.__dict__[n])),
    "optim": sorted(n for n, v in vars(torch.optim).items() if isinstance(v, type)
                    and issubclass(v, torch.optim.Optimizer)),
    "nn_linear_is_dict_entry": vars(torch.nn)["Linear"] is torch.nn.Linear,
    "modules_by_attribute": sorted(n for n in vars(torch.nn.modules) if n in ("Linear", "Conv2d", "LSTM")),
    "linear_same": torch.nn.modules.Linear is torch.nn.Linear,
}
print(json.dumps(out))
"""

LAZY = r"""
import json, sys
import torch
print(json.dumps({m: m in sys.modules for m in ("dispatch", "mindspore")}))
"""


def test_import_torch_stays_lazy():
    proc = childproc.python("-c", LAZY, enable=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1]) == {"dispatch": False, "mindspore": False}


def test_module_dicts_hold_the_served_names():
    proc = childproc.python("-c", PROGRAM, enable=True)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.splitlines()[-1])
    # (real torchvision does not load beside torch 2.13 here: its C++ ops fail to register)
    assert {"resnet18", "resnet50", "vgg16", "alexnet", "get_model"} <= set(out["arch"])
    assert not {"Weights", "ResNet"} & set(out["arch"])
    real_optim = {n for n, v in vars(real_torch.optim).items() if isinstance(v, type)
                  and issubclass(v, real_torch.optim.Optimizer)}
    assert {"SGD", "Adam", "AdamW", "Optimizer"} <= set(out["optim"]) <= real_optim
    assert out["nn_linear_is_dict_entry"] and out["linear_same"]
    assert out["modules_by_attribute"] == ["Conv2d", "LSTM", "Linear"]
