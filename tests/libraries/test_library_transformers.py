"""Hugging Face transformers runs unmodified under `python -m mstorch`: tiny models built
in code (no download) train and generate with real torch's numbers (same seeds).

GPT-2 runs in CI; the other models run in the long profile (MSTORCH_LONG_TESTS=1)."""
import importlib.util
import json

import pytest

from childproc import library_case
from long_profile import skip_unless_long

pytestmark = pytest.mark.skipif(not (importlib.util.find_spec("transformers") and importlib.util.find_spec("torchvision")),
                                reason="needs transformers and (for the oracle) real torchvision: pip install -e .[test]")
long_only = skip_unless_long('a model each, ~20-40 s')


def _run_both(name):
    ours, theirs = library_case(f"transformers_{name}.py")
    # transformers' own warnings appear under both; mstorch adds nothing to a user's output.
    assert ours.stderr == theirs.stderr
    return json.loads(ours.stdout), json.loads(theirs.stdout)


def _same_training(got, want):
    assert got["losses"] == pytest.approx(want["losses"], rel=1e-4, abs=1e-5)
    if "generated" in want:
        assert got["generated"] == want["generated"]


def test_gpt2_trains_and_generates_greedily_like_torch():
    got, want = _run_both("gpt2")
    _same_training(got, want)


@long_only
@pytest.mark.parametrize("name", ["bert", "llama", "t5"])
def test_model_trains_like_torch(name):
    got, want = _run_both(name)
    _same_training(got, want)
    if "logits_sum" in want:
        assert got["logits_sum"] == pytest.approx(want["logits_sum"], rel=1e-3, abs=1e-4)


@long_only
def test_generate_sampling_and_beam_search_like_torch():
    got, want = _run_both("generate")
    assert got["sample"] == want["sample"]  # the same random stream as torch's CPU generator
    assert got["beam"] == want["beam"] and got["beam_seq"] == want["beam_seq"]
    assert got["beam_scores"] == pytest.approx(want["beam_scores"], rel=1e-4, abs=1e-5)
