"""Prints what a program sees of how it was started, then ends as argv[1] asks.

Run under plain `python` and under `python -m mstorch`: the two outputs must match.
"""
import json
import sys


def report():
    main = sys.modules["__main__"]
    g = vars(main)
    print(json.dumps({
        "argv": sys.argv,
        "path0": sys.path[0],
        "name": g["__name__"],
        "file": g.get("__file__"),
        "package": g.get("__package__"),
        "spec": getattr(g.get("__spec__"), "name", None),
        "loader": type(g.get("__loader__")).__name__,
        "globals": sorted(k for k in g if k.startswith("__")),
        "main_is_this_module": g is globals(),
    }, indent=1))
    sys.stdout.flush()


def fail_deep(msg):
    raise ValueError(msg)


def finish(how):
    if how.startswith("exit:"):
        sys.exit(int(how[5:]))
    if how.startswith("exitmsg:"):
        sys.exit(how[8:])
    if how == "raise":
        fail_deep("raised by the program")
    if how == "interrupt":
        raise KeyboardInterrupt


def main():
    report()
    finish(sys.argv[1] if len(sys.argv) > 1 else "")


if __name__ == "__main__":
    main()
