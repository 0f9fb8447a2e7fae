"""The real safetensors package, unmodified, under `python -m mstorch`: files it writes from
mstorch tensors are byte for byte real torch's; load_file, safe_open (keys, metadata,
get_slice) and load(bytes) read them back as real torch does, and files cross both ways."""
import importlib.util
import json

import pytest

from childproc import PROGRAMS, mstorch, python

pytestmark = pytest.mark.skipif(importlib.util.find_spec("safetensors") is None,
                                reason="needs safetensors: pip install -e .[test]")
PROGRAM = str(PROGRAMS / "libraries" / "safetensors_roundtrip.py")


def test_save_file_writes_torchs_bytes(tmp_path):
    ours, theirs = tmp_path / "ours.safetensors", tmp_path / "theirs.safetensors"
    proc = mstorch(PROGRAM, str(ours), "save")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stderr == ""
    ref = python(PROGRAM, str(theirs), "save")
    assert ref.returncode == 0, ref.stderr[-3000:]
    assert ours.read_bytes() == theirs.read_bytes()


def test_load_file_safe_open_and_bytes_read_back(tmp_path):
    proc = mstorch(PROGRAM, str(tmp_path / "ours.safetensors"), "load")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stderr == ""
    ref = python(PROGRAM, str(tmp_path / "theirs.safetensors"), "load")
    assert ref.returncode == 0, ref.stderr[-3000:]
    assert json.loads(proc.stdout) == json.loads(ref.stdout)


def test_files_cross_between_real_torch_and_mstorch(tmp_path):
    ours, theirs = str(tmp_path / "ours.safetensors"), str(tmp_path / "theirs.safetensors")
    assert mstorch(PROGRAM, ours, "save").returncode == 0
    assert python(PROGRAM, theirs, "save").returncode == 0
    mine_reads_theirs = mstorch(PROGRAM, theirs, "read")
    assert mine_reads_theirs.returncode == 0, mine_reads_theirs.stderr[-3000:]
    theirs_reads_mine = python(PROGRAM, ours, "read")
    assert theirs_reads_mine.returncode == 0, theirs_reads_mine.stderr[-3000:]
    out = json.loads(mine_reads_theirs.stdout)
    assert out == json.loads(theirs_reads_mine.stdout)
    assert out["keys"] == ["flag", "half", "ids", "t", "w"] and out["metadata"] == {"format": "pt"}
