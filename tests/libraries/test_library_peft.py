"""peft runs unmodified under `python -m mstorch`: LoRA adapters (get_peft_model + LoraConfig)
on tiny models built in code report the same trainable counts, train with real torch's losses
(same seeds, AdamW), save/reload from a local directory and merge back into the base model.

The plain nn.Module MLP runs in CI; GPT-2 and Llama (with LoRA dropout) and the SVD/QR
initialisations (PiSSA, OLoRA) in the long profile (MSTORCH_LONG_TESTS=1)."""
import importlib.util
import json

import pytest

from childproc import library_case
from long_profile import skip_unless_long

pytestmark = pytest.mark.skipif(not (importlib.util.find_spec("peft") and importlib.util.find_spec("torchvision")),
                                reason="needs peft and (for the oracle) real torchvision: pip install -e .[test]")
long_only = skip_unless_long('a transformers model each, ~60 s a pair of runs')


def _run_both(case):
    ours, theirs = library_case("peft_lora.py", case)
    assert ours.stderr == theirs.stderr  # peft's and transformers' own warnings only
    return json.loads(ours.stdout), json.loads(theirs.stdout)


def _same_adapters(got, want):
    assert got["report"] == want["report"]  # print_trainable_parameters()
    assert (got["trainable"], got["total"]) == (want["trainable"], want["total"])
    assert got["losses"] == pytest.approx(want["losses"], rel=1e-5, abs=1e-6)
    for k in ("adapted", "reloaded", "merged"):
        assert got[k] == pytest.approx(want[k], rel=1e-4, abs=3e-5), k
    # the reloaded adapters are the saved ones, and merging changes nothing but the layers
    assert got["reloaded"] == got["adapted"]
    assert got["merged"] == pytest.approx(got["adapted"], rel=1e-5, abs=1e-6)
    assert got["merged_types"] == want["merged_types"]
    assert not any("lora" in name.lower() for name in got["merged_types"])


def test_lora_on_a_plain_mlp_like_torch():
    _same_adapters(*_run_both("mlp"))


@long_only
@pytest.mark.parametrize("case", ["gpt2", "llama"])
def test_lora_on_a_transformers_model_like_torch(case):
    _same_adapters(*_run_both(case))


@long_only
@pytest.mark.parametrize("case", ["mlp:pissa", "mlp:olora"])
def test_lora_initialised_from_svd_or_qr_of_the_weights_like_torch(case):
    # PiSSA takes its adapters from torch.linalg.svd of each weight, OLoRA from torch.linalg.qr: the
    # factors' signs differ between LAPACK builds, the adapters' product and the training do not
    _same_adapters(*_run_both(case))
