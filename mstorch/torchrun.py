"""The `torchrun` console script mstorch installs ([project.scripts] in pyproject.toml).

Where real PyTorch is installed in the same environment, its own `torchrun` script is a
file of the same name, and whichever package was installed last owns that file. Both
behave the same, so neither shadows the other:
- with MSTORCH_ENABLE=1, PyTorch's script imports `torch.distributed.run`, which the import
  hook serves from mstorch, and this script runs mstorch's launcher;
- without it, this script hands over to real PyTorch's launcher, exactly what PyTorch's
  script does; only where there is no real torch does it run mstorch's (the only torch
  there is), enabling mstorch for the workers.
(Uninstalling either package removes the shared file; reinstalling the other restores it.
`python -m mstorch -m torch.distributed.run` never depends on that file.)
"""
import importlib.util
import os
import sys


def _mstorch_wanted():
    if os.environ.get("MSTORCH_ENABLE", "") not in ("", "0"):
        return True
    # The import hook is not installed here, so this finds real PyTorch, if any.
    return importlib.util.find_spec("torch") is None


def main():
    if not _mstorch_wanted():
        # Real PyTorch's launcher, in a process of its own: mstorch never imports real torch.
        os.execv(sys.executable, [sys.executable, "-m", "torch.distributed.run", *sys.argv[1:]])
    os.environ["MSTORCH_ENABLE"] = "1"
    import mstorch
    mstorch.enable()
    from mstorch.impl.torch.distributed.run import main as run_main
    sys.exit(run_main())


if __name__ == "__main__":
    main()
