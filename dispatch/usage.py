"""Op-call counting for the migration report (`python -m mstorch --report FILE`).

Installed only when MSTORCH_REPORT is set when the dispatcher is first imported: it
then wraps `OpRunner.run` (which every op call then takes) before any op's callable is
built, so every call is counted, and a run without the report has no counting on its
call path at all.
"""
CALLS = {}  # (op name, in place) -> calls
_RUNNERS_LIVE = {}  # op name -> OpRunner: the dispatcher's registry, handed over by `install`


def install(runner_class, runners):
    global _RUNNERS_LIVE
    _RUNNERS_LIVE = runners  # the same dict: ops built later are seen too
    run = runner_class.run

    def counted_run(self, ov, args, out=None, inplace=False):
        key = (self.name, inplace)
        CALLS[key] = CALLS.get(key, 0) + 1
        return run(self, ov, args, out, inplace)

    runner_class.run = counted_run


def _kind(spec, backend):
    kind, _, path = spec.partition(":")
    if kind == "composite":
        return "composite of table ops"
    if backend == "host":
        return "host NumPy"
    if kind in ("prim", "ops"):
        return "MindSpore primitive"
    if kind == "mint":
        return "MindSpore mint"
    # fn: mstorch's own kernel function (ops_table/<family>/ms.py) over MindSpore tensors.
    return "MindSpore (kernel function)"


def kernels_used():
    """{op name: {backend: (kernel spec, kind)}} for every op that has run in this process."""
    out = {}
    for name, runner in list(_RUNNERS_LIVE.items()):
        if runner.view is not None:
            out[name] = {"any": ("view:" + runner.view, "view (shares the input's storage, no kernel)")}
            continue
        chosen = {}
        for backend, kernel in list(runner._kernels.items()):
            cands = getattr(kernel, "cands", None)
            if cands is not None:  # still probing: its first call never completed
                spec = " | ".join(c.spec for c in cands)
                chosen[backend] = (spec, "undecided (first call failed)")
            else:
                chosen[backend] = (kernel.spec, _kind(kernel.spec, backend))
        out[name] = chosen
    return out
