"""torch.load of checkpoints that try to reach mstorch's own tensor state, and torch.save
cleaning up after writers that died mid-write.

A checkpoint carries each tensor's attribute dictionary (PyTorch sets it back with
setattr).  Names mstorch keeps its own state under (_data, _dtype, _storage, _device,
...) must never be set from a file: the tensor's metadata would then lie about its bytes.
Names real torch refuses are refused with torch's error; every other attribute, private
ones included, round-trips as in torch."""
import io
import os
import pickle
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import torch

import mstorch
from dispatch.tensor import Tensor as EngineTensor
from mstorch.impl.torch import serialization as S
from tests.time_limit import time_limit

T = mstorch.torch

# Engine state a file names: Tensor's slots, state other engine modules keep in the
# instance dict, dunders.  _base/_grad_fn/_grad are PyTorch's own names, restored (or
# refused) as torch does.
ENGINE_NAMES = sorted(set(EngineTensor.__slots__) - {"__dict__", "__weakref__", "_base", "_grad_fn", "_grad"}
                      | {"_output_nr", "_hooks", "_retains_grad", "_accumulator", "_device", "_view_version",
                         "_sp_indices", "_mstorch_cold", "__dict__", "__class__"})
HOSTILE_VALUES = {"_dtype": torch.float64, "_data": torch.zeros(1), "_storage": torch.zeros(9),
                  "_device": torch.device("cuda"), "__dict__": {"_dtype": torch.float64},
                  "__class__": torch.nn.Parameter}


def _torch_file(t, attrs):
    for k, v in attrs.items():
        t.__dict__[k] = v           # what a hand-made file carries, whatever torch's setattr allows
    b = io.BytesIO()
    torch.save({"t": t}, b)
    return b.getvalue()


@pytest.mark.parametrize("weights_only", [True, False])
@pytest.mark.parametrize("name", ENGINE_NAMES)
def test_engine_state_is_not_reachable_from_a_file(name, weights_only):
    data = _torch_file(torch.arange(4.0), {name: HOSTILE_VALUES.get(name, 7)})
    with time_limit(30):
        with pytest.raises(NotImplementedError, match=repr(name).replace("[", r"\[")):
            T.load(io.BytesIO(data), weights_only=weights_only)
    assert S._tensor_state(T.arange(2.0)) is None      # nothing of the engine's is saved as state either


def test_parameter_state_is_guarded_too():
    p = torch.nn.Parameter(torch.ones(3))
    p.__dict__["_dtype"] = torch.float64
    b = io.BytesIO()
    torch.save(p, b)
    with pytest.raises(NotImplementedError, match="'_dtype'"):
        T.load(io.BytesIO(b.getvalue()))


def test_names_torch_refuses_fail_as_in_torch():
    for name, value, err in (("_base", 1, AttributeError), ("_version", 3, AttributeError),
                             ("_grad_fn", 1, RuntimeError)):
        data = _torch_file(torch.ones(2), {name: value})
        with pytest.raises(err) as theirs:
            torch.load(io.BytesIO(data))
        with pytest.raises(err) as ours:
            T.load(io.BytesIO(data), weights_only=False)
        assert str(ours.value) == str(theirs.value)
        # The weights-only unpickler reports errors of the rebuild as its own, with torch's text.
        with pytest.raises((err, pickle.UnpicklingError), match=str(theirs.value)):
            T.load(io.BytesIO(data))
    # A None grad_fn and a _grad (the gradient itself) load as in torch.
    data = _torch_file(torch.ones(2), {"_grad_fn": None, "_grad": torch.tensor([0.5, 2.0])})
    theirs, ours = torch.load(io.BytesIO(data))["t"], T.load(io.BytesIO(data))["t"]
    assert theirs.grad.tolist() == ours.grad.tolist() == [0.5, 2.0]
    assert ours.grad_fn is None and ours.dtype is T.float32 and ours.tolist() == [1.0, 1.0]


def test_user_attributes_keep_working_as_in_torch():
    attrs = {"note": "hello", "_is_hf_initialized": True, "_meta": {"k": [1, 2]}, "_shard": 3,
             "dtype_hint": "float64"}
    data = _torch_file(torch.arange(3.0), dict(attrs))
    theirs, ours = torch.load(io.BytesIO(data))["t"], T.load(io.BytesIO(data))["t"]
    for k, v in attrs.items():
        assert getattr(theirs, k) == getattr(ours, k) == v
    assert ours.dtype is T.float32 and ours.tolist() == [0.0, 1.0, 2.0]
    # ... and back: mstorch writes them, real torch reads them.
    b = io.BytesIO()
    T.save(ours, b)
    back = torch.load(io.BytesIO(b.getvalue()))
    assert {k: getattr(back, k) for k in attrs} == attrs
    p = T.nn.Parameter(T.ones(2))
    p._is_hf_initialized = True
    b = io.BytesIO()
    T.save(p, b)
    assert torch.load(io.BytesIO(b.getvalue()))._is_hf_initialized is True
    assert T.load(io.BytesIO(b.getvalue()))._is_hf_initialized is True


# ---------------------------------------------------------------------------------- stale temporaries

def _killed_save(path, limit):
    """Fork a child that saves to `path` and is killed (SIGKILL) after writing `limit` bytes of
    its temporary file; returns once it is dead and reaped.  The object saved holds no tensor:
    a forked child must not call MindSpore."""
    pid = os.fork()
    if pid == 0:
        try:
            real_fdopen = os.fdopen

            class Dying:
                def __init__(self, fh):
                    self._fh, self._n = fh, 0

                def write(self, data):
                    data = memoryview(data).cast("B")
                    if self._n + len(data) > limit:
                        self._fh.write(data[:limit - self._n])
                        self._fh.flush()
                        os.kill(os.getpid(), signal.SIGKILL)
                    self._n += len(data)
                    return self._fh.write(data)

                def __getattr__(self, name):
                    return getattr(self._fh, name)

                def __enter__(self):
                    return self

                def __exit__(self, *exc):
                    self._fh.close()

            os.fdopen = lambda *a, **k: Dying(real_fdopen(*a, **k))
            T.save({"blob": b"\x07" * 300_000, "tag": "new"}, path)
        finally:
            os._exit(3)     # not reached when the kill lands
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def _ours(tmp_path, target="ckpt.pt"):
    return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(S._temp_prefix(target)))


def test_stale_temporaries_of_killed_saves_are_removed(tmp_path):
    path = tmp_path / "ckpt.pt"
    T.save({"tag": "old"}, path)
    seen = []
    with time_limit(60):
        for limit in (10, 5000, 200_000):
            _killed_save(str(path), limit)
            # The killed writer left its temporary file; the one before it was removed by this
            # writer's save, so dead writers' files never pile up.
            left = _ours(tmp_path)
            assert len(left) == 1 and left[0] not in seen
            seen.append(left[0])
    assert T.load(path)["tag"] == "old"                    # the target itself was never touched
    # Files that are not stale or not ours stay: a live writer's, another target's, other names.
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = tmp_path / f"{S._temp_prefix('ckpt.pt')}{sleeper.pid}-live1234.tmp"
        live.write_bytes(b"in progress")
        other_target = tmp_path / f"{S._temp_prefix('other.pt')}{_dead_pid()}-abcd1234.tmp"
        other_target.write_bytes(b"x")
        foreign = [tmp_path / ".ckpt.pt.abcd1234.tmp", tmp_path / "ckpt.pt.tmp",
                   tmp_path / f".ckpt.pt.mstorch-00000000-{_dead_pid()}-abcd1234.tmp"]   # another host's
        for f in foreign:
            f.write_bytes(b"x")
        with time_limit(30):
            T.save({"tag": "newest"}, path)
        assert _ours(tmp_path) == [live.name]
        assert other_target.exists() and all(f.exists() for f in foreign)
        assert T.load(path)["tag"] == "newest"
        # The same pid in use by a process that started after the file was last written is
        # another process: the file is stale.
        old = time.time() - 3600
        os.utime(live, (old, old))
        T.save({"tag": "again"}, path)
        assert _ours(tmp_path) == []
    finally:
        sleeper.kill()
        sleeper.wait()


def _dead_pid():
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def test_a_successful_save_leaves_no_temporary(tmp_path):
    path = tmp_path / "m.pt"
    for i in range(3):
        T.save({"i": i, "w": T.ones(4)}, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.pt"]
    assert T.load(path)["i"] == 2
    np.testing.assert_array_equal(torch.load(path)["w"].numpy(), np.ones(4, np.float32))


class Tagged(T.Tensor):
    _tag = None             # a private class default of the user's own: not engine state


def test_user_subclass_private_attributes_round_trip():
    t = T.ones(2).as_subclass(Tagged)
    t._tag = "mine"
    b = io.BytesIO()
    T.save(t, b)
    out = T.load(io.BytesIO(b.getvalue()), weights_only=False)
    assert type(out) is Tagged and out._tag == "mine" and out.tolist() == [1.0, 1.0]
