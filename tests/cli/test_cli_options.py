"""`python -m mstorch` options, usage errors and the `mstorch` console script."""
import json
import subprocess
import sys
from pathlib import Path

import mstorch as package
from childproc import PROGRAMS, mstorch, outcome, python
from mstorch.version import SERVED_VERSIONS


def test_help():
    proc = mstorch("--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: python -m mstorch")


def test_version():
    proc = mstorch("--version")
    assert proc.returncode == 0
    assert proc.stdout.split()[:2] == ["mstorch", package.__version__]
    assert SERVED_VERSIONS["torch"] in proc.stdout


def test_usage_errors_exit_2():
    for args in ([], ["--bogus", "x.py"], ["-m"], ["-c"]):
        proc = mstorch(*args)
        assert proc.returncode == 2, args
        assert proc.stderr.startswith("mstorch: ") and "usage:" in proc.stderr
        assert proc.stdout == ""


def test_options_after_the_script_belong_to_the_script():
    proc = mstorch("-c", "import sys; print(sys.argv)", "--help", "--version")
    assert proc.stdout.strip() == "['-c', '--help', '--version']"


def test_console_script_runs_like_python():
    script = Path(sys.executable).with_name("mstorch")
    ours = subprocess.run([str(script), "cliprog/report.py", "exit:7", "z"], cwd=PROGRAMS,
                          capture_output=True, text=True, timeout=120)
    assert outcome(ours) == outcome(python("cliprog/report.py", "exit:7", "z"))


def test_a_library_imported_by_the_script_gets_mstorch_too():
    proc = mstorch("second_module.py")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "lib_torch_kind": "mstorch.proxy", "same_module": True, "lib_version_kind": "mstorch.proxy"}
