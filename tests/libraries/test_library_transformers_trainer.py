"""transformers' Trainer runs unmodified under `python -m mstorch`: a tiny GPT-2 built in code
trains 3 steps through Trainer.train() with its default callbacks (per-step logging, a
checkpoint at step 3), and a second Trainer resumes from that checkpoint (weights, optimizer,
scheduler and RNG state, dropout on) for 2 more steps, logging real torch's losses."""
import importlib.util
import json
import re

import pytest

from childproc import library_case

pytestmark = pytest.mark.skipif(not (importlib.util.find_spec("transformers") and importlib.util.find_spec("accelerate")
                                     and importlib.util.find_spec("torchvision")),
                                reason="needs transformers, accelerate and (for the oracle) real torchvision: "
                                       "pip install -e .[test]")


def _without_timings(text):
    """The output less what measures time (progress bars' rates, train_runtime lines)."""
    lines = [re.sub(r"\[[^\]]*it/s\]", "", line) for line in text.splitlines()]
    return [line for line in lines if "train_runtime" not in line]


def test_trainer_trains_checkpoints_and_resumes_like_torch():
    ours, theirs = library_case("transformers_trainer.py")
    assert _without_timings(ours.stderr) == _without_timings(theirs.stderr)  # transformers' own messages only
    got, want = (json.loads(p.stdout.splitlines()[-1]) for p in (ours, theirs))
    # the Trainer's own per-step log lines, as printed (4 significant digits)
    assert _without_timings(ours.stdout)[:-1] == _without_timings(theirs.stdout)[:-1]
    assert got["saved"] == want["saved"]
    assert "rng_state.pth" in got["saved"] and "optimizer.pt" in got["saved"]
    assert got["global_step"] == want["global_step"] == 3
    for run in ("first", "second"):
        assert got[run]["step"] == want[run]["step"]
        assert got[run]["loss"] == pytest.approx(want[run]["loss"], rel=1e-5)
        assert got[run]["grad_norm"] == pytest.approx(want[run]["grad_norm"], rel=1e-4)
        assert got[run]["lr"] == pytest.approx(want[run]["lr"], rel=1e-12)
    assert got["second"]["step"] == [1, 2, 3, 4, 5]  # resumed: the log history comes back with the state
    assert got["train_loss"] == pytest.approx(want["train_loss"], rel=1e-5)
