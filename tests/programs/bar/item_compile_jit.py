"""Deliver item: torch.compile (every argument accepted, eager; decorator form) and torch.jit
script/trace returning callables that run eagerly (saving them is checked in test_compat_apis)."""
import torch
from _util import emit

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
x = torch.randn(5, 3)
ref = model(x)
c = torch.compile(model, fullgraph=False, dynamic=None, backend="inductor", mode="reduce-overhead")
c2 = torch.compile(model, options={"triton.cudagraphs": False})
same = torch.compile(model, disable=True)


@torch.compile(fullgraph=True, dynamic=True)
def f(a, b):
    return a * b + 1


s = torch.jit.script(model)
t = torch.jit.trace(model, x)
sf = torch.jit.script(lambda a: a * 2) if False else torch.jit.trace(lambda a: a - 1, torch.ones(1))
errs = []
for kwargs in ({"mode": "nope"}, {"mode": "default", "options": {}}):
    try:
        torch.compile(model, **kwargs)
    except RuntimeError as e:
        errs.append(str(e))
emit({"compiled": c(x), "c2": c2(x), "match": torch.equal(c(x), ref), "disable_same": same is model,
      "keys": list(c.state_dict())[:2], "type": type(c).__name__, "fn": f(torch.ones(2), torch.full((2,), 3.)),
      "script": torch.equal(s(x), ref), "trace": torch.equal(t(x), ref), "sf": sf(torch.ones(2)),
      "script_keys": list(s.state_dict())[:2], "scripting": torch.jit.is_scripting(), "errs": errs,
      "ismodule": isinstance(s, torch.nn.Module), "is_script_module": isinstance(s, torch.jit.ScriptModule),
      "orig": c._orig_mod is model})
