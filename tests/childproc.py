"""Child interpreters for the hook and CLI tests: same Python, controlled MSTORCH_ENABLE."""
import os
import subprocess
import sys
from pathlib import Path

PROGRAMS = Path(__file__).resolve().parent / "programs"
# A child that imports MindSpore starts in a few seconds; this bounds a hung one.
TIMEOUT_S = 240


def env(enable=False):
    """The test process's environment with MSTORCH_ENABLE removed, or set to
    "1" (enable=True) or to the string given."""
    e = {k: v for k, v in os.environ.items() if k != "MSTORCH_ENABLE"}
    if enable is not False:
        e["MSTORCH_ENABLE"] = "1" if enable is True else enable
    return e


def python(*args, enable=False, cwd=PROGRAMS, stdin=None):
    """Run `python *args`; returns the CompletedProcess (text, captured)."""
    return subprocess.run([sys.executable, *args], env=env(enable), cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=TIMEOUT_S)


def mstorch(*args, cwd=PROGRAMS, stdin=None):
    """Run `python -m mstorch *args` with MSTORCH_ENABLE unset (the CLI sets it itself)."""
    return python("-m", "mstorch", *args, cwd=cwd, stdin=stdin)


def outcome(proc):
    return proc.returncode, proc.stdout, proc.stderr


def library_case(program, *args):
    """Run tests/programs/libraries/<program> under mstorch and under real torch (through the
    oracle runner); both must succeed. Returns the two CompletedProcesses (ours, theirs)."""
    path = str(PROGRAMS / "libraries" / program)
    ours = mstorch(path, *args)
    assert ours.returncode == 0, ours.stderr[-3000:]
    theirs = python(str(PROGRAMS / "libraries" / "real_torch_oracle.py"), path, *args)
    assert theirs.returncode == 0, theirs.stderr[-3000:]
    return ours, theirs
