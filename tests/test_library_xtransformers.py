"""x-transformers runs unmodified under `python -m mstorch`: a tiny TransformerWrapper(Decoder)
in an AutoregressiveWrapper trains with real torch's losses and generates the same tokens."""
import importlib.util
import json

import pytest

from childproc import PROGRAMS, mstorch, python

pytestmark = pytest.mark.skipif(not importlib.util.find_spec("x_transformers"),
                                reason="needs x-transformers: pip install -e .[test]")


def test_xtransformers_decoder_trains_and_generates_like_torch():
    program = str(PROGRAMS / "libraries" / "xtransformers_decoder.py")
    ours = mstorch(program)
    assert ours.returncode == 0, ours.stderr[-3000:]
    assert ours.stderr == ""  # a user's program output stays clean
    theirs = python(str(PROGRAMS / "libraries" / "real_torch_oracle.py"), program)
    assert theirs.returncode == 0, theirs.stderr[-3000:]
    got, want = json.loads(ours.stdout), json.loads(theirs.stdout)
    assert got["losses"] == pytest.approx(want["losses"], rel=1e-4, abs=1e-5)
    assert got["generated"] == want["generated"]
