"""The migration report: what a program asked of torch and how mstorch served it.

`python -m mstorch --report FILE train.py`, or `MSTORCH_REPORT=FILE` beside
`MSTORCH_ENABLE=1` / `python -m mstorch`, writes FILE when the program exits:

- the torch names the program asked for that mstorch does not serve (with how often);
- every op that ran, with its number of calls and the kernel that served it on each
  backend: a MindSpore primitive or `mint` function, an mstorch kernel function over
  MindSpore tensors, host NumPy (DataLoader workers, empty inputs), a composite of
  other ops, or a view (no kernel).

FILE ending in `.json` gets JSON (keys `program`, `mstorch`, `torch_api`, `missing`
{name: times asked}, `ops` {op: {"calls", "api", "kernels": {backend: {"spec", "kind"}}}});
any other name gets the same as aligned text. Calls include those mstorch makes for
the program (inside nn layers, optimizers, composites). Only the process that started
the report writes it; its child interpreters and workers do not.

Without the variable nothing here runs: the dispatcher installs its call counter only
when MSTORCH_REPORT is set at its import (dispatch/usage.py).
"""
import atexit
import json
import os
import sys

ENV = "MSTORCH_REPORT"
_OWNER_ENV = "MSTORCH_REPORT_PID"
_missing = {}
_state = {}


def start_if_requested():
    """Begin the report when MSTORCH_REPORT names a file (called by `mstorch.enable()`)."""
    path = os.environ.get(ENV)
    if not path or _state:
        return
    owner = os.environ.setdefault(_OWNER_ENV, str(os.getpid()))
    if owner != str(os.getpid()):
        return  # a child interpreter of the reporting process
    _state["path"] = os.path.abspath(path)
    atexit.register(write)


def note_missing(name):
    """A torch name the program asked for and mstorch does not serve (the proxy calls this)."""
    if _state and not name.rpartition(".")[2].startswith("__"):
        _missing[name] = _missing.get(name, 0) + 1


def collect():
    """The report as plain data."""
    from mstorch.version import SERVED_VERSIONS, __version__
    ops = {}
    if "dispatch.usage" in sys.modules:  # no op ran if the engine was never imported
        from dispatch import usage
        from ops_table.generated import OPS
        kernels = usage.kernels_used()
        for (name, inplace), calls in sorted(usage.CALLS.items()):
            ops[name + " (in place)" if inplace else name] = {
                "calls": calls, "api": _api_names(name, OPS[name], inplace),
                "kernels": {b: {"spec": s, "kind": k} for b, (s, k) in sorted(kernels.get(name, {}).items())}}
    return {"program": list(sys.argv), "mstorch": __version__,
            "torch_api": SERVED_VERSIONS["torch"], "missing": dict(sorted(_missing.items())), "ops": ops}


def _api_names(name, entry, inplace):
    """How a program reaches the op: torch.add, Tensor.add, Tensor.__add__ ..."""
    from dispatch.methods import _INPLACE_DUNDERS
    spellings = [name] + entry["aliases"]
    if inplace:
        return [f"Tensor.{n}_" for n in spellings] + [f"Tensor.{d}" for d in entry["dunders"] if d in _INPLACE_DUNDERS]
    names = [f"{ns}.{n}" for ns in entry["namespaces"] for n in spellings
             if {"function", "out"} & set(entry["variants"])]
    if "method" in entry["variants"]:
        names += [f"Tensor.{n}" for n in spellings]
    names += [f"Tensor.{d}" for d in entry["dunders"] if d not in _INPLACE_DUNDERS]
    return names or [f"(used inside mstorch: {name})"]


def render_text(data):
    lines = [f"mstorch {data['mstorch']} migration report (torch API {data['torch_api']})",
             "program: " + " ".join(data["program"]), ""]
    missing = data["missing"]
    lines.append(f"Not supported by mstorch ({len(missing)} names asked for):")
    lines += [f"  {name}  (asked {n}x)" for name, n in missing.items()] or ["  none"]
    ops = data["ops"]
    lines += ["", f"Ops that ran ({len(ops)} ops, {sum(o['calls'] for o in ops.values())} calls):"]
    width = max((len(k) for k in ops), default=2)
    for key, o in sorted(ops.items(), key=lambda kv: (-kv[1]["calls"], kv[0])):
        served = "; ".join(f"{b}: {k['kind']} [{k['spec']}]" for b, k in o["kernels"].items()) or "-"
        lines.append(f"  {key:<{width}}  {o['calls']:>8}  {served}")
        lines.append(f"  {'':<{width}}  {'':>8}  as {', '.join(o['api'])}")
    return "\n".join(lines) + "\n"


def write():
    if not _state:
        return
    data = collect()
    path = _state["path"]
    text = json.dumps(data, indent=1) + "\n" if path.endswith(".json") else render_text(data)
    try:
        with open(path, "w") as f:
            f.write(text)
    except OSError as exc:
        sys.stderr.write(f"mstorch: could not write the report to {path}: {exc}\n")
