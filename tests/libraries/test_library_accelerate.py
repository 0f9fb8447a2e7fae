"""accelerate runs unmodified under `python -m mstorch`: a single-process Accelerator prepares
model, optimizer and DataLoader; accelerator.backward / clip_grad_norm_ steps give real torch's
losses (same seed, same shuffling)."""
import importlib.util
import json

import pytest

from childproc import library_case

pytestmark = pytest.mark.skipif(not importlib.util.find_spec("accelerate"),
                                reason="needs accelerate: pip install -e .[test]")


def test_accelerate_prepare_backward_like_torch():
    ours, theirs = library_case("accelerate_loop.py")
    assert ours.stderr == ""  # a user's program output stays clean
    got, want = json.loads(ours.stdout), json.loads(theirs.stdout)
    assert got["device"] == want["device"] == "cpu"
    assert got["n_batches"] == want["n_batches"] == 4
    assert got["losses"] == pytest.approx(want["losses"], rel=1e-4, abs=1e-5)
    assert got["weight_sum"] == pytest.approx(want["weight_sum"], rel=1e-4, abs=1e-4)
