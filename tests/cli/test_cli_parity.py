"""`python -m mstorch X` must behave as `python X`: same output, exit status and traceback."""
import json

import pytest

from childproc import PROGRAMS, mstorch, outcome, python

SCRIPT = "cliprog/report.py"


def same_as_python(*args, stdin=None):
    plain = python(*args, stdin=stdin)
    ours = mstorch(*args, stdin=stdin)
    assert outcome(ours) == outcome(plain)
    return plain


@pytest.mark.parametrize("args, status", [
    (["ok", "--epochs", "3", "-x", "a b"], 0),
    (["exit:3"], 3),
    (["exitmsg:stopped by the program"], 1),
    (["raise"], 1),
])
def test_script(args, status):
    plain = same_as_python(SCRIPT, *args)
    assert plain.returncode == status
    seen = json.loads(plain.stdout[:plain.stdout.rindex("}") + 1])
    assert seen["argv"] == [SCRIPT, *args]
    assert seen["path0"] == str(PROGRAMS / "cliprog")
    assert seen["main_is_this_module"]


def test_traceback_starts_at_user_code():
    proc = mstorch(SCRIPT, "raise")
    frames = [line for line in proc.stderr.splitlines() if line.startswith("  File ")]
    assert frames[0].startswith(f'  File "{PROGRAMS / SCRIPT}", line')
    assert "mstorch" not in proc.stderr
    assert proc.stderr.rstrip().endswith("ValueError: raised by the program")


def test_keyboard_interrupt_ends_like_python():
    plain = same_as_python(SCRIPT, "interrupt")
    assert plain.returncode == -2  # killed by SIGINT, as CPython does after printing


def test_module():
    plain = same_as_python("-m", "cliprog.report", "exit:4", "tail")
    assert plain.returncode == 4
    seen = json.loads(plain.stdout)
    assert seen["argv"] == [str(PROGRAMS / SCRIPT), "exit:4", "tail"]
    assert seen["spec"] == "cliprog.report"
    assert seen["path0"] == str(PROGRAMS)


def test_missing_module():
    assert same_as_python("-m", "cliprog.nonexistent").returncode == 1


def test_directory():
    assert same_as_python("cliprog", "exit:5").returncode == 5


CODE = ("import sys, json; print(json.dumps([sys.argv, sys.path[0], sorted(globals()), "
        "type(__loader__).__name__])); 1/0")


def test_code():
    plain = same_as_python("-c", CODE, "x", "-y")
    assert json.loads(plain.stdout.splitlines()[0])[:2] == [["-c", "x", "-y"], ""]
    assert plain.stderr.rstrip().endswith("ZeroDivisionError: division by zero")


def test_stdin():
    plain = same_as_python("-", "arg", stdin=CODE)
    assert json.loads(plain.stdout.splitlines()[0])[:2] == [["-", "arg"], ""]


def test_missing_script_gives_pythons_message():
    plain = same_as_python("no_such_script.py", "arg")
    assert plain.returncode == 2
    assert "can't open file" in plain.stderr and "no_such_script.py" in plain.stderr


def test_syntax_error():
    assert same_as_python("-c", "def (").returncode == 1
