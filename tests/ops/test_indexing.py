"""Tensor.__getitem__ / __setitem__ parity with torch: hypothesis-drawn keys (ints, slices
with steps, None, Ellipsis, bool masks, integer tensors and lists, 0-d tensors) on small
tensors; basic keys must give views that share storage."""
import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings, strategies as st

import mstorch

MT = mstorch.torch
_SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), max_examples=80)


@st.composite
def keys(draw, shape):
    """A key and whether it is basic (view) indexing; (torch key, mstorch key) built alike."""
    items, dims, basic = [], 0, True
    ell = False
    while dims < len(shape) and draw(st.integers(0, 3)):
        kind = draw(st.sampled_from(["int", "slice", "none", "ell", "list", "tensor", "mask", "t0"]))
        n = shape[dims] if dims < len(shape) else 0
        if kind == "int" and n:
            items.append(("int", draw(st.integers(-n, n - 1))))
            dims += 1
        elif kind == "slice":
            items.append(("slice", slice(draw(st.sampled_from([None, 0, 1, -2, 5])),
                                         draw(st.sampled_from([None, -1, 2, 10])), draw(st.sampled_from([None, 1, 2, 3])))))
            dims += 1
        elif kind == "none":
            items.append(("none", None))
        elif kind == "ell" and not ell:
            ell = True
            items.append(("ell", Ellipsis))
            dims = len(shape) - sum(1 for k, _ in items if k in ("int", "slice", "list", "tensor", "t0"))
        elif kind in ("list", "tensor") and n:
            m = draw(st.integers(0, 3))
            items.append((kind, [draw(st.integers(-n, n - 1)) for _ in range(m)]))
            dims += 1
            basic = False
        elif kind == "t0" and n:
            items.append(("t0", draw(st.integers(-n, n - 1))))
            dims += 1
        elif kind == "mask" and n and not ell:
            items.append(("mask", [draw(st.booleans()) for _ in range(n)]))
            dims += 1
            basic = False
    return items, basic


def _build(items, lib):
    out = []
    for kind, v in items:
        if kind == "tensor":
            out.append(lib.tensor(v, dtype=lib.int64))
        elif kind == "mask":
            out.append(lib.tensor(v, dtype=lib.bool))
        elif kind == "t0":
            out.append(lib.tensor(v))
        else:
            out.append(v)
    return tuple(out)


def _pair(shape):
    a = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    return MT.from_numpy(a.copy()), torch.from_numpy(a.copy())


def _call(f):
    try:
        return f(), None
    except Exception as e:  # noqa: BLE001 - the error type is compared
        return None, e


SHAPE = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)


@settings(**_SETTINGS)
@given(st.data())
def test_getitem_matches_torch(data):
    shape = data.draw(SHAPE)
    items, basic = data.draw(keys(shape))
    x, y = _pair(shape)
    ours, oe = _call(lambda: x[_build(items, MT)])
    ref, re_ = _call(lambda: y[_build(items, torch)])
    if re_ is not None:
        want = next(c for c in type(re_).__mro__ if c.__module__ == "builtins")
        assert isinstance(oe, want), (oe, re_)
        return
    assert oe is None, oe
    assert tuple(ours.shape) == tuple(ref.shape)
    np.testing.assert_array_equal(ours.numpy(), ref.numpy())
    if basic:
        assert ours._storage is x._storage, "basic indexing must return a view"
        assert ours.stride() == ref.stride() and ours.storage_offset() == ref.storage_offset()


@settings(**_SETTINGS)
@given(st.data())
def test_setitem_matches_torch(data):
    shape = data.draw(SHAPE)
    items, basic = data.draw(keys(shape))
    x, y = _pair(shape)
    kind = data.draw(st.sampled_from(["scalar", "tensor"]))
    target, err = _call(lambda: y[_build(items, torch)])
    if err is not None:
        want = next(c for c in type(err).__mro__ if c.__module__ == "builtins")
        with pytest.raises(want):
            x[_build(items, MT)] = 1.0
        return
    if kind == "scalar":
        vt = vm = data.draw(st.sampled_from([-1.5, 7, True]))
    else:
        vshape = tuple(target.shape)[data.draw(st.integers(0, target.dim())):]
        v = np.random.default_rng(0).uniform(-3, 3, vshape).astype(np.float32)
        vt, vm = torch.from_numpy(v.copy()), MT.from_numpy(v.copy())
    if not basic and any(k in ("list", "tensor") for k, _ in items):
        # duplicate indices make the written value order-dependent in both libraries
        for k, v in items:
            if k in ("list", "tensor") and len(set(i % shape[0] for i in v)) != len(v):
                return
    before = x._version
    y[_build(items, torch)] = vt
    x[_build(items, MT)] = vm
    np.testing.assert_array_equal(x.numpy(), y.numpy())
    assert x._version > before


@pytest.mark.parametrize("key,exc", [((0, 0, 0, 0), IndexError), (7, IndexError), ("a", TypeError),
                                     (1.5, IndexError), (slice(None, None, -1), ValueError),
                                     (slice(None, None, 0), ValueError)])
def test_index_errors_like_torch(key, exc):
    x, y = _pair((3, 4, 2))
    with pytest.raises(exc):
        y[key]
    with pytest.raises(exc):
        x[key]


def test_float_tensor_index_is_index_error():
    x, _ = _pair((3, 4))
    with pytest.raises(IndexError):
        x[MT.tensor([0.0])]


def test_setitem_shape_mismatch_is_runtime_error():
    x, y = _pair((3, 4))
    with pytest.raises(RuntimeError):
        y[0] = torch.ones(3)
    with pytest.raises(RuntimeError):
        x[0] = MT.ones(3)


def test_setitem_grad_flows_like_torch():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    res = []
    for lib in (MT, torch):
        w = lib.from_numpy(a.copy()).requires_grad_(True)
        z = w.clone()
        z[:, 1] = lib.tensor(5.0)
        z[lib.tensor([0]), lib.tensor([2])] = 1.0
        (z * lib.arange(6.0).reshape(2, 3)).sum().backward()
        res.append(w.grad.numpy().copy())
    np.testing.assert_array_equal(res[0], res[1])
