"""Child interpreters inherit mstorch: spawn, forkserver and subprocess children."""
import json

from childproc import mstorch, python

EVERY_CHILD = {"parent": "mstorch.proxy", "spawn": "mstorch.proxy",
               "forkserver": "mstorch.proxy", "subprocess": "mstorch.proxy"}


def test_children_of_the_cli():
    proc = mstorch("children.py")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == EVERY_CHILD


def test_children_under_the_variable():
    proc = python("children.py", enable=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == EVERY_CHILD
