"""The dtypes PyTorch serves with few kernels (uint16/32/64, float8): names, limits,
promotion and what mstorch can hold, checked against real torch."""
import re

import numpy as np
import pytest
import torch as real

import mstorch.torch as T
from dispatch import dtypes as D
from dispatch.dtype_info import finfo, iinfo

real.set_num_threads(1)

SHELL = ["uint16", "uint32", "uint64", "float8_e4m3fn", "float8_e5m2"]
OTHERS = ["bool", "uint8", "int8", "int64", "float16", "bfloat16", "float32", "float64", "complex64"]


def _ours(name):
    return getattr(D, name if name != "bool" else "bool_")


@pytest.mark.parametrize("name", SHELL)
def test_dtype_attributes(name):
    ours, theirs = _ours(name), getattr(real, name)
    assert repr(ours) == repr(theirs)
    assert (ours.itemsize, ours.is_floating_point, ours.is_signed, ours.is_complex) == \
        (theirs.itemsize, theirs.is_floating_point, theirs.is_signed, theirs.is_complex)
    import pickle
    assert pickle.loads(pickle.dumps(ours)) is ours


@pytest.mark.parametrize("name", SHELL + OTHERS)
def test_finfo_iinfo(name):
    ours, theirs = _ours(name), getattr(real, name)
    for info_ours, info_real in ((finfo, real.finfo), (iinfo, real.iinfo)):
        try:
            expected = info_real(theirs)
        except TypeError as e:
            with pytest.raises(TypeError, match=re.escape(str(e))):
                info_ours(ours)
            continue
        got = info_ours(ours)
        attrs = ("bits", "min", "max", "dtype") + (("eps", "tiny", "smallest_normal", "resolution")
                                                   if info_real is real.finfo else ())
        assert {a: getattr(got, a) for a in attrs} == {a: getattr(expected, a) for a in attrs}
        assert repr(got) == repr(expected)


@pytest.mark.parametrize("a", SHELL + OTHERS)
@pytest.mark.parametrize("b", SHELL + OTHERS)
def test_promote_types(a, b):
    if a not in SHELL and b not in SHELL:
        return
    try:
        expected = repr(real.promote_types(getattr(real, a), getattr(real, b)))
    except RuntimeError as e:
        with pytest.raises(RuntimeError, match=re.escape(str(e))):
            T.promote_types(_ours(a), _ours(b))
        return
    assert repr(T.promote_types(_ours(a), _ours(b))) == expected


@pytest.mark.parametrize("name", ["uint16", "uint32", "uint64"])
def test_wide_unsigned_tensors(name):
    ours, theirs = _ours(name), getattr(real, name)
    big = int(np.iinfo(name).max)
    x, y = T.tensor([0, 7, big], dtype=ours), real.tensor([0, 7, big], dtype=theirs)
    assert repr(x) == repr(y)
    assert x.tolist() == y.tolist() and x.numpy().dtype == y.numpy().dtype
    assert repr(T.zeros(2, dtype=ours).fill_(3)) == repr(real.zeros(2, dtype=theirs).fill_(3))
    assert repr(T.cat([x, x])[2:]) == repr(real.cat([y, y])[2:])
    assert repr((x == x)) == repr(y == y)
    a = np.array([1, 2], dtype=name)
    assert repr(T.from_numpy(a)) == repr(real.from_numpy(a))
    assert repr(x.to(D.float64)) == repr(y.to(real.float64))


@pytest.mark.parametrize("name", ["float8_e4m3fn", "float8_e5m2"])
def test_float8_data_is_refused_by_name(name):
    with pytest.raises(NotImplementedError, match=name):
        T.zeros(2, dtype=_ours(name))
    with pytest.raises(NotImplementedError, match=name):
        T.tensor([1.0]).to(_ours(name))
