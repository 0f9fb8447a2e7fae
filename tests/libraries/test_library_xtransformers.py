"""x-transformers runs unmodified under `python -m mstorch`: a tiny TransformerWrapper(Decoder)
in an AutoregressiveWrapper trains with real torch's losses and generates the same tokens."""
import importlib.util
import json

import pytest

from childproc import library_case

pytestmark = pytest.mark.skipif(not importlib.util.find_spec("x_transformers"),
                                reason="needs x-transformers: pip install -e .[test]")


def test_xtransformers_decoder_trains_and_generates_like_torch():
    ours, theirs = library_case("xtransformers_decoder.py")
    assert ours.stderr == ""  # a user's program output stays clean
    got, want = json.loads(ours.stdout), json.loads(theirs.stdout)
    assert got["losses"] == pytest.approx(want["losses"], rel=1e-4, abs=1e-5)
    assert got["generated"] == want["generated"]
