"""Python-level work of the two traced paths of issue #18: `a + b` on two 2x2 float tensors,
and `loss.backward()` for `loss = (x * w).sum()` (x, w 4x4, w requiring grad).

    python bench/call_counts.py [--files]

Counts the Python 'call' events `sys.setprofile` sees (Python functions only: C calls are
'c_call' events and are not counted) while the path runs once, after a warm-up that builds
every cached runner (and outlasts the checks of each op's first 64 results), and the distinct source files those calls live in. "dispatcher_trips"
counts the calls of the op-call entry point the path goes through (each op run through the
dispatcher, including ops that backward rules run). Deterministic: no timing.
Prints one JSON object; `--files` adds the calls per file.
"""
import argparse
import json
import os
import sys

ROOT = None  # the checkout whose dispatch/ runs (PYTHONPATH decides), set in main()


def _trace(fn):
    calls, files, names = 0, {}, {}

    def prof(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1
            code = frame.f_code
            fname = code.co_filename
            files[fname] = files.get(fname, 0) + 1
            key = (fname, code.co_name)
            names[key] = names.get(key, 0) + 1

    sys.setprofile(prof)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return calls, files, names


def _is_dispatcher_trip(key):
    # The one function every dispatched op call enters: before issue #18 OpRunner.run in
    # dispatch/dispatcher.py, after it the runner built for the op (`run` in dispatch/runners.py).
    fname, name = key
    return name == "run" and (fname.endswith(os.path.join("dispatch", "dispatcher.py"))
                              or fname.endswith(os.path.join("dispatch", "runners.py")))


def _report(calls, files, names, with_files):
    rel = {os.path.relpath(f, ROOT) if f.startswith(ROOT) else f: n for f, n in files.items()}
    ours = {f: n for f, n in rel.items() if not f.startswith("/") and not f.startswith("<frozen")}
    out = {"calls": calls, "files": len(files),
           "mstorch_calls": sum(ours.values()), "mstorch_files": len(ours),
           "dispatcher_trips": sum(n for k, n in names.items() if _is_dispatcher_trip(k))}
    if with_files:
        out["calls_per_file"] = dict(sorted(rel.items(), key=lambda kv: -kv[1]))
        out["calls_per_function"] = {f"{os.path.relpath(f, ROOT) if f.startswith(ROOT) else f}:{n}": c
                                     for (f, n), c in sorted(names.items(), key=lambda kv: -kv[1])}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", action="store_true")
    args = ap.parse_args()
    global ROOT
    import mstorch
    import dispatch
    T = mstorch.torch
    ROOT = os.path.dirname(os.path.dirname(os.path.abspath(dispatch.__file__)))

    a = T.ones(2, 2) + 0
    b = T.ones(2, 2) + 0

    def add():
        return a + b

    def make_loss():
        x = T.ones(4, 4) + 0
        w = (T.ones(4, 4) + 0).requires_grad_()
        return (x * w).sum(), w

    for _ in range(100):  # warm-up: every runner built, every kernel chosen, the first calls' alias checks done
        add()
        loss, _ = make_loss()
        loss.backward()
    loss, w = make_loss()
    report = {"benchmark": "call_counts", "dispatch_from": os.path.dirname(dispatch.__file__),
              "add": _report(*_trace(add), args.files)}
    report["backward_of_sum"] = _report(*_trace(loss.backward), args.files)
    assert w.grad is not None and float(w.grad.sum()) == 16.0
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
