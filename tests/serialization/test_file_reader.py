"""PyTorchFileReader (served as torch.PyTorchFileReader) reads a torch.save archive as real
torch's reader does: record names, record bytes, storages."""
import torch

from mstorch.impl.torch._file_reader import PyTorchFileReader


def test_reader_matches_torch(tmp_path):
    path = str(tmp_path / "t.pt")
    torch.save({"w": torch.arange(6, dtype=torch.float32), "b": torch.tensor([1, 2], dtype=torch.int64)}, path)
    mine, theirs = PyTorchFileReader(path), torch._C.PyTorchFileReader(path)
    assert sorted(mine.get_all_records()) == sorted(theirs.get_all_records())
    for name in theirs.get_all_records():
        assert mine.has_record(name) and mine.get_record(name) == bytes(theirs.get_record(name)), name
    assert mine.serialization_id() == theirs.serialization_id()
    assert not mine.has_record("nope")
    from mstorch.torch import float32, int64
    for name, dtype, mdtype, n in (("data/0", torch.float32, float32, 6), ("data/1", torch.int64, int64, 2)):
        want, got = theirs.get_storage_from_record(name, n, dtype), mine.get_storage_from_record(name, n, mdtype)
        assert tuple(got.shape) == tuple(want.shape) == (0,)
        assert list(got.untyped_storage()) == list(want.untyped_storage())
    bad = [_error(lambda r: r.get_storage_from_record("data/1", 3, d), r) for r, d in ((mine, int64), (theirs, torch.int64))]
    assert bad[0] == bad[1]


def _error(call, arg):
    try:
        call(arg)
    except RuntimeError as e:
        return str(e)
    return None
