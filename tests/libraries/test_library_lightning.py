"""Lightning + torchmetrics run unmodified under `python -m mstorch`: a LightningModule fitted,
validated and tested by Trainer (progress bar on, model summary, torchmetrics Accuracy and
MeanSquaredError logged), its ModelCheckpoint .ckpt reloaded with load_from_checkpoint —
with real torch's numbers (same seed)."""
import importlib.util
import json

import pytest

from childproc import library_case

pytestmark = pytest.mark.skipif(not (importlib.util.find_spec("lightning") and importlib.util.find_spec("torchmetrics")),
                                reason="needs lightning and torchmetrics: pip install -e .[test]")


def _last_json(stdout):
    # The rich progress bar writes to stdout too; the program's numbers are its last line.
    return json.loads(stdout.strip().splitlines()[-1])


def test_lightning_fit_validate_test_checkpoint_like_torch():
    ours, theirs = library_case("lightning_mlp.py")
    # A user's output stays clean: nothing on stderr that Lightning does not print under torch too.
    assert set(ours.stderr.splitlines()) <= set(theirs.stderr.splitlines()), ours.stderr
    got, want = _last_json(ours.stdout), _last_json(theirs.stdout)
    assert "Trainable params: 195" in ours.stdout and "Epoch 0/0" in ours.stdout
    assert got["losses"] == pytest.approx(want["losses"], rel=1e-4, abs=1e-5)
    for stage in ("val", "test"):
        assert got[stage].keys() == want[stage].keys()
        for k in want[stage]:
            assert got[stage][k] == pytest.approx(want[stage][k], rel=1e-4, abs=1e-5), k
    for k in ("ckpt", "reloaded_equal", "hparams", "callback_metrics"):
        assert got[k] == want[k], k
    assert got["reloaded_equal"] is True
