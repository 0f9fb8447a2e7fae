"""timm runs unmodified under `python -m mstorch`: resnet18 built in code trains with
real torch's losses (same seed)."""
import importlib.util
import json

import pytest

from childproc import PROGRAMS, mstorch, python

# Found, not imported: importing real torchvision here would need the oracle's workaround.
pytestmark = pytest.mark.skipif(not (importlib.util.find_spec("timm") and importlib.util.find_spec("torchvision")),
                                reason="needs timm and (for the oracle) real torchvision: pip install -e .[test]")


def test_timm_resnet18_trains_like_torch():
    program = str(PROGRAMS / "libraries" / "timm_resnet18.py")
    ours = mstorch(program)
    assert ours.returncode == 0, ours.stderr[-3000:]
    assert ours.stderr == ""  # a user's program output stays clean
    theirs = python(str(PROGRAMS / "libraries" / "real_torch_oracle.py"), program)
    assert theirs.returncode == 0, theirs.stderr[-3000:]
    got, want = json.loads(ours.stdout), json.loads(theirs.stdout)
    assert got["eval_shape"] == want["eval_shape"] == [4, 10]
    assert got["n_params"] == want["n_params"]
    assert got["losses"] == pytest.approx(want["losses"], rel=1e-3, abs=1e-4)
    assert got["eval_sum"] == pytest.approx(want["eval_sum"], rel=1e-3, abs=1e-3)
