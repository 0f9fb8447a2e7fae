"""A storage saved on its own (`torch.save(t.storage())`, `torch.save(t.untyped_storage())`) loads, in
either library, as the TypedStorage PyTorch's load returns, with the same dtype and elements."""
import io
import warnings

import pytest
import torch

import mstorch

T = mstorch.torch


def _save(lib, obj):
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # TypedStorage's deprecation warning, in both libraries
        lib.save(obj, buf)
    buf.seek(0)
    return buf


def _load(lib, buf):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lib.load(buf)


def _summary(storage):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return type(storage).__name__, str(storage.dtype).replace("torch.", ""), list(storage.tolist())


@pytest.mark.parametrize("kind", ["storage", "untyped_storage"])
@pytest.mark.parametrize("writer, reader", [("mstorch", "mstorch"), ("mstorch", "torch"), ("torch", "mstorch")])
def test_bare_storage_round_trip(kind, writer, reader):
    libs = {"mstorch": T, "torch": torch}
    src = libs[writer].arange(4, dtype=libs[writer].float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        saved = getattr(src, kind)()
    loaded = _load(libs[reader], _save(libs[writer], saved))
    expected = _load(torch, _save(torch, getattr(torch.arange(4, dtype=torch.float32), kind)()))
    assert _summary(loaded) == _summary(expected)


def test_loaded_storage_inside_a_container_shares_memory_with_its_tensor():
    t = T.arange(6, dtype=T.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = _load(T, _save(T, {"t": t, "s": t.storage()}))
        out["t"][2] = 40
        assert out["s"][2] == 40 and out["s"].dtype is T.int64
