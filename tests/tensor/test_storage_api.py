"""torch.UntypedStorage / TypedStorage, torch.frombuffer, asarray over storages and
Tensor.view(dtype) across element sizes, each compared with real torch."""
import os
import warnings

import numpy as np
import pytest
import torch

import mstorch.torch as T

torch.set_num_threads(1)


def both(fn):
    """fn(lib) under real torch and mstorch: equal results, or the same error type and message."""
    out = []
    for lib in (torch, T):
        try:
            r = fn(lib)
            out.append(("ok", r.tolist() if hasattr(r, "tolist") else r))
        except Exception as e:  # noqa: BLE001 - the error itself is compared
            out.append((type(e).__name__, str(e)))
    assert out[0] == out[1]
    return out[1]


BYTES = list(range(16))


@pytest.mark.parametrize("case", [
    lambda m: m.UntypedStorage(BYTES)[3:9],
    lambda m: m.UntypedStorage(BYTES)[-3:],
    lambda m: m.UntypedStorage(BYTES)[10:40],
    lambda m: m.UntypedStorage(BYTES)[0:4:2],
    lambda m: m.UntypedStorage(BYTES)[5],
    lambda m: m.UntypedStorage(BYTES)[-1],
    lambda m: m.UntypedStorage(BYTES)[16],
    lambda m: m.UntypedStorage(BYTES)[-17],
    lambda m: m.UntypedStorage(BYTES)[2.0],
    lambda m: m.UntypedStorage([1, 2, 300]),
    lambda m: m.UntypedStorage([1.5]),
    lambda m: m.UntypedStorage(4).fill_(300),
    lambda m: m.UntypedStorage(4).fill_(2.5),
    lambda m: m.UntypedStorage(4).copy_(m.UntypedStorage([9, 8, 7, 6])),
    lambda m: m.UntypedStorage(4).copy_(m.UntypedStorage([9, 8])),
    lambda m: m.UntypedStorage(BYTES).clone()[2:4],
    lambda m: repr(m.UntypedStorage([1, 2])),
    lambda m: repr(m.UntypedStorage(0)),
    lambda m: (lambda s: (s.resize_(5).nbytes(), s.tolist()[:3], s.resize_(2).tolist()))(m.UntypedStorage([1, 2, 3])),
    lambda m: m.UntypedStorage(BYTES)[2:6].resize_(8),
    lambda m: (m.UntypedStorage(BYTES).nbytes(), m.UntypedStorage(BYTES).size(), len(m.UntypedStorage(3)),
               m.UntypedStorage(3).element_size(), str(m.UntypedStorage(3).device), m.UntypedStorage(3).type()),
    lambda m: m.UntypedStorage.from_buffer(b"abcd", dtype=m.uint8),
    lambda m: m.UntypedStorage.from_buffer(b"abcd", "big", dtype=m.int16),
    lambda m: m.UntypedStorage.from_buffer(b"abcd", dtype=m.int16),
    lambda m: m.UntypedStorage.from_buffer(b"abcd"),
])
def test_untyped_storage_matches_torch(case):
    both(case)


def test_slices_and_setitem_write_the_tensors_memory():
    def run(m):
        t = m.arange(6, dtype=m.float32)
        s = t.untyped_storage()
        sl = s[4:8]
        sl[0] = 7
        s[8:10] = 1
        return (t.tolist(), s is t[2:].untyped_storage(), s.data_ptr() == t.data_ptr(),
                sl.data_ptr() - s.data_ptr(), sl.nbytes(), s.nbytes(), t._version)
    r = both(run)
    assert r[1][0][1] != 1.0


def test_setitem_refuses_a_tensor_and_slices_with_steps():
    both(lambda m: m.UntypedStorage(4).__setitem__(0, m.tensor(1)))
    both(lambda m: m.UntypedStorage(4).__setitem__(slice(0, 4, 2), 1))


def test_from_file_shared_and_private(tmp_path):
    path = str(tmp_path / "f.bin")

    def run(m):
        with open(path, "wb") as f:
            f.write(bytes(range(16)))
        private = m.UntypedStorage.from_file(path, shared=False, nbytes=16)
        private[0] = 99
        after_private = open(path, "rb").read()[:2]
        shared = m.UntypedStorage.from_file(path, True, 16)
        shared[1] = 77
        return (private.tolist(), after_private, open(path, "rb").read()[:2], private.is_shared(),
                shared.is_shared(), private.filename, shared.filename == path,
                m.UntypedStorage.from_file(path, shared=False, nbytes=8).tolist(),
                m.UntypedStorage.from_file(path).nbytes())
    both(run)
    both(lambda m: m.UntypedStorage.from_file(path, shared=False, nbytes=20))
    both(lambda m: m.UntypedStorage.from_file(str(tmp_path / "missing"), False, 8))

    def grows(m):
        name = str(tmp_path / f"new_{m.__name__}")
        s = m.UntypedStorage.from_file(name, True, 8)
        return s.tolist(), os.path.getsize(name)
    both(grows)


@pytest.mark.parametrize("case", [
    lambda m: m.asarray(m.UntypedStorage(BYTES), dtype=m.uint8, device="cpu"),
    lambda m: m.asarray(m.UntypedStorage(BYTES)[2:14], dtype=m.int32),
    lambda m: m.asarray(m.UntypedStorage(BYTES)[1:14], dtype=m.int32),
    lambda m: m.asarray(m.UntypedStorage(BYTES)),
    lambda m: m.asarray(m.UntypedStorage(0), dtype=m.float32),
    lambda m: m.asarray(m.UntypedStorage(BYTES), dtype=m.float32, copy=True),
])
def test_asarray_over_storage(case):
    both(case)


def test_asarray_shares_the_storage_even_with_copy_true_as_pytorch():
    def run(m):
        u = m.UntypedStorage(BYTES)
        a = m.asarray(u, dtype=m.int32)
        c = m.asarray(u, dtype=m.int32, copy=True)
        a[0] = -1
        return u.tolist()[:5], a.data_ptr() == u.data_ptr(), c.data_ptr() == u.data_ptr(), c[0].item()
    both(run)


def test_asarray_of_typed_storage():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        both(lambda m: m.asarray(m.arange(3.0).storage()))
        both(lambda m: m.asarray(m.arange(3.0).storage(), dtype=m.int32))


@pytest.mark.parametrize("case", [
    lambda m: m.arange(16, dtype=m.uint8).view(m.int32),
    lambda m: m.arange(16, dtype=m.uint8)[1:9].view(m.int32),
    lambda m: m.arange(16, dtype=m.uint8)[4:12].view(m.int32).storage_offset(),
    lambda m: m.arange(16, dtype=m.uint8)[4:10].view(m.int32),
    lambda m: m.arange(16, dtype=m.uint8).view(4, 4)[:, :2].view(m.int16).stride(),
    lambda m: m.arange(16, dtype=m.uint8).view(4, 4)[:, ::2].view(m.int16),
    lambda m: m.arange(16, dtype=m.uint8).view(4, 4).t().view(m.int16),
    lambda m: m.tensor(5, dtype=m.int32).view(m.int16),
    lambda m: m.tensor([5, 6], dtype=m.int32).view(m.int16),
    lambda m: m.arange(6, dtype=m.int32).view(2, 3).view(m.int16).stride(),
    lambda m: m.zeros(3, 2, dtype=m.int16).view(m.float64),
    lambda m: m.zeros(0, dtype=m.int16).view(m.float64).shape,
    lambda m: m.arange(12, dtype=m.int16).view(2, 6)[:, :4].view(m.float64),
    lambda m: m.tensor([1.5, -2.0]).view(m.float16),
    lambda m: m.tensor([1.5, -2.0]).view(dtype=m.int64),
    lambda m: m.tensor([1.5, -2.0], requires_grad=True).view(m.float16).requires_grad,
    lambda m: m.tensor([1 + 2j]).view(m.float32),
    lambda m: m.tensor([True, False]).view(m.int16),
])
def test_view_dtype_across_element_sizes(case):
    both(case)


def test_view_dtype_shares_memory():
    def run(m):
        x = m.zeros(4, dtype=m.int16)
        y = x.view(m.int32)
        y.add_(1)
        return x.tolist(), y.data_ptr() == x.data_ptr(), y.untyped_storage().nbytes()
    both(run)


@pytest.mark.parametrize("case", [
    lambda m: m.frombuffer(bytearray(b"\x01\x00\x02\x00\x03\x00"), dtype=m.int16),
    lambda m: m.frombuffer(bytearray(b"\x01\x00\x02\x00\x03\x00"), dtype=m.int16, count=2, offset=2),
    lambda m: m.frombuffer(bytearray(6), dtype=m.int32),
    lambda m: m.frombuffer(bytearray(6), dtype=m.int16, offset=7),
    lambda m: m.frombuffer(bytearray(6), dtype=m.int16, offset=-1),
    lambda m: m.frombuffer(bytearray(6), dtype=m.int16, count=0),
    lambda m: m.frombuffer(bytearray(6), dtype=m.int16, count=4),
    lambda m: m.frombuffer(bytearray(), dtype=m.int16),
    lambda m: m.frombuffer([1, 2], dtype=m.uint8),
    lambda m: m.frombuffer(memoryview(bytearray(4))[::2], dtype=m.uint8),
    lambda m: m.frombuffer(np.arange(3, dtype=np.int32), dtype=m.int16, count=3, offset=2),
    lambda m: m.frombuffer(bytearray(8), dtype=m.float32, requires_grad=True).requires_grad,
])
def test_frombuffer_matches_torch(case):
    both(case)


def test_frombuffer_shares_memory_and_warns_for_read_only():
    def run(m):
        ba = bytearray(b"\x01\x00\x02\x00")
        t = m.frombuffer(ba, dtype=m.int16)
        t[0] = 9
        return bytes(ba)
    both(run)
    from mstorch.impl.torch import _frombuffer
    _frombuffer._warned_read_only.clear()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert T.frombuffer(b"abcd", dtype=T.uint8).tolist() == [97, 98, 99, 100]
        T.frombuffer(b"abcd", dtype=T.uint8)
    assert [str(w.message)[:40] for w in seen] == ["The given buffer is not writable, and Py"]


def test_typed_storage_and_legacy_names():
    def run(m):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = m.arange(3.0)
            ts = t.storage()
            ts[0] = 7.5
            ts[1:3] = 2
            return (t.tolist(), ts.tolist(), ts.dtype is m.float32, ts.size(), len(ts), ts.nbytes(),
                    ts.element_size(), ts.type(), repr(ts), isinstance(ts, m.FloatStorage),
                    isinstance(ts, m.LongStorage), ts._untyped_storage is t.untyped_storage(),
                    m.FloatStorage([1, 2]).tolist(), m.FloatStorage(3).size(),
                    m.TypedStorage([1, 2], dtype=m.int16).tolist(),
                    m.TypedStorage(wrap_storage=m.UntypedStorage([1, 0, 2]), dtype=m.int16, _internal=True).tolist())
    both(run)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        both(lambda m: m.arange(3.0).storage()[0:2])
        both(lambda m: m.arange(3.0).storage()[5])


def test_storage_deprecation_warning_is_pytorchs():
    from dispatch import typed_storage
    typed_storage._warned.clear()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        T.zeros(2).storage()
        T.zeros(2).storage()
    assert [str(w.message)[:30] for w in seen] == ["TypedStorage is deprecated. It"]
    assert seen[0].filename == __file__


def test_share_memory_through_the_untyped_storage():
    t = T.arange(4, dtype=T.int32)
    s = t.untyped_storage()
    assert not s.is_shared()
    assert s.share_memory_() is s and s.is_shared() and t.is_shared()
    s[0] = 5
    assert t.tolist() == [5, 1, 2, 3]
