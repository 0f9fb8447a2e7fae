"""default_collate / default_convert vs real torch: types, dtypes, shapes, values."""
import collections

import numpy as np
import pytest
import torch

import mstorch

T = mstorch.torch
D = T.utils.data
import torch.utils.data as TD  # noqa: E402

Point = collections.namedtuple("Point", ["x", "y"])


def same(a, b):
    """Structure-wise equality of an mstorch result `a` and a torch result `b`."""
    if isinstance(b, torch.Tensor):
        assert isinstance(a, T.Tensor), type(a)
        assert str(a.dtype) == str(b.dtype)
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_array_equal(a.numpy(), b.numpy())
        return
    assert type(a) is type(b) or (type(a).__name__ == type(b).__name__ and hasattr(b, "_fields")), (type(a), type(b))
    if isinstance(b, dict):
        assert list(a) == list(b)
        for k in b:
            same(a[k], b[k])
    elif isinstance(b, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            same(x, y)
    else:
        assert a == b


def batch_pair(make):
    """The same batch built for each library (make(lib) gets the torch-like module)."""
    return make(T), make(torch)


CASES = {
    "ints": lambda t: [1, 2, 3],
    "floats": lambda t: [1.5, 2.0],
    "bools": lambda t: [True, False],
    "strings": lambda t: ["a", "b"],
    "bytes": lambda t: [b"a", b"b"],
    "tensors": lambda t: [t.arange(6).reshape(2, 3), t.arange(6, 12).reshape(2, 3)],
    "float_tensors": lambda t: [t.ones(2, dtype=t.float16), t.zeros(2, dtype=t.float16)],
    "np_arrays": lambda t: [np.arange(4, dtype=np.int32), np.ones(4, dtype=np.int32)],
    "np_f32_scalars": lambda t: [np.float32(1.5), np.float32(2.5)],
    "np_i16_scalars": lambda t: [np.int16(1), np.int16(2)],
    "np_f64_0d": lambda t: [np.array(1.0), np.array(2.0)],
    "tuples": lambda t: [(t.ones(2), 1, "a"), (t.zeros(2), 2, "b")],
    "lists": lambda t: [[1, 2.0], [3, 4.0]],
    "dicts": lambda t: [{"img": t.ones(2, 2), "label": 3, "name": "x", "meta": {"w": 1.0, "id": np.int64(4)}},
                        {"img": t.zeros(2, 2), "label": 4, "name": "y", "meta": {"w": 2.0, "id": np.int64(5)}}],
    "namedtuples": lambda t: [Point(t.ones(3), 1), Point(t.zeros(3), 2)],
    "nested": lambda t: [([{"a": (1, 2.0)}], np.zeros((2,), np.float32)), ([{"a": (3, 4.0)}], np.ones((2,), np.float32))],
    "ordered_dict": lambda t: [collections.OrderedDict(b=1, a=2), collections.OrderedDict(b=3, a=4)],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_default_collate_matches_torch(case):
    ours, theirs = batch_pair(CASES[case])
    same(D.default_collate(ours), TD.default_collate(theirs))


@pytest.mark.parametrize("case", sorted(CASES))
def test_default_convert_matches_torch(case):
    ours, theirs = batch_pair(CASES[case])
    for a, b in zip(ours, theirs):
        same(D.default_convert(a), TD.default_convert(b))


def test_collate_errors_like_torch():
    for bad in ([object(), object()], [np.array(["a"]), np.array(["b"])]):
        with pytest.raises(TypeError) as ours:
            D.default_collate(bad)
        with pytest.raises(TypeError) as theirs:
            TD.default_collate(bad)
        assert str(ours.value).split("found")[0] == str(theirs.value).split("found")[0]
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal size"):
        D.default_collate([[1, 2], [3]])
