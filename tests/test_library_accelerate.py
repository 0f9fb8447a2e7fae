"""accelerate runs unmodified under `python -m mstorch`: a single-process Accelerator prepares
model, optimizer and DataLoader; accelerator.backward / clip_grad_norm_ steps give real torch's
losses (same seed, same shuffling)."""
import importlib.util
import json

import pytest

from childproc import PROGRAMS, mstorch, python

pytestmark = pytest.mark.skipif(not importlib.util.find_spec("accelerate"),
                                reason="needs accelerate: pip install -e .[test]")


def test_accelerate_prepare_backward_like_torch():
    program = str(PROGRAMS / "libraries" / "accelerate_loop.py")
    ours = mstorch(program)
    assert ours.returncode == 0, ours.stderr[-3000:]
    assert ours.stderr == ""  # a user's program output stays clean
    theirs = python(str(PROGRAMS / "libraries" / "real_torch_oracle.py"), program)
    assert theirs.returncode == 0, theirs.stderr[-3000:]
    got, want = json.loads(ours.stdout), json.loads(theirs.stdout)
    assert got["device"] == want["device"] == "cpu"
    assert got["n_batches"] == want["n_batches"] == 4
    assert got["losses"] == pytest.approx(want["losses"], rel=1e-4, abs=1e-5)
    assert got["weight_sum"] == pytest.approx(want["weight_sum"], rel=1e-4, abs=1e-4)
