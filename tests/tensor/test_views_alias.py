"""Views and in-place ops: a write through any view kind is seen through every alias and
through `.numpy()`; data_ptr relations and version counters behave as in PyTorch.  Each
program runs on real torch and on mstorch and the observed states must agree."""
import numpy as np
import pytest
import torch

import mstorch

MT = mstorch.torch

VIEWS = {
    "select": lambda x: x[0],
    "column": lambda x: x[:, 1],
    "step": lambda x: x[::2],
    "t": lambda x: x.t(),
    "view": lambda x: x.view(4, 3),
    "transpose": lambda x: x.transpose(0, 1),
    "narrow": lambda x: x.narrow(1, 1, 2),
    "diagonal": lambda x: x.diagonal(),
    "unfold": lambda x: x.unfold(1, 2, 1)[:, 0],
    "ellipsis": lambda x: x[...],
    "strided": lambda x: x[1:, 0::2],
}

WRITES = {
    "add_": lambda v, lib: v.add_(1.5),
    "mul_": lambda v, lib: v.mul_(-2),
    "clamp_": lambda v, lib: v.clamp_(2, 7),
    "zero_": lambda v, lib: v.zero_(),
    "fill_": lambda v, lib: v.fill_(3.25),
    "copy_": lambda v, lib: v.copy_(lib.ones(v.shape) * 9),
    "iadd": lambda v, lib: v.__iadd__(10),
    "setitem": lambda v, lib: v.__setitem__(..., -4.0),
    "setitem_part": lambda v, lib: v.__setitem__(0, 6.0),
}


def _run(lib, view, write):
    base = lib.arange(12.0).reshape(3, 4)
    arr = base.numpy()
    other = base.view(12)
    v = view(base)
    before = base._version
    ptr = v.data_ptr()
    write(v, lib)
    return {"base": base.numpy().copy(), "numpy": arr.copy(), "other": other.numpy().copy(),
            "view": v.numpy().copy(), "bumped": base._version > before, "same_ptr": v.data_ptr() == ptr,
            "ptr_rel": v.data_ptr() - base.data_ptr() == v.storage_offset() * v.element_size(),
            "stride": tuple(v.stride()), "offset": v.storage_offset()}


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_write_through_view_seen_everywhere(view, write):
    ours = _run(MT, VIEWS[view], WRITES[write])
    ref = _run(torch, VIEWS[view], WRITES[write])
    for k in ("base", "numpy", "other", "view"):
        np.testing.assert_array_equal(ours[k], ref[k], err_msg=k)
    for k in ("bumped", "same_ptr", "ptr_rel", "stride", "offset"):
        assert ours[k] == ref[k], k


def test_expand_reads_see_base_writes_and_writes_are_refused():
    for lib in (MT, torch):
        b = lib.arange(3.0)
        e = b.expand(2, 3)
        b[1] = 7.0
        assert e.numpy()[:, 1].tolist() == [7.0, 7.0]
        with pytest.raises(RuntimeError):
            e.add_(1)


def test_aliases_share_base_address():
    for lib in (MT, torch):
        x = lib.zeros(4, 5)
        views = [x[0], x[1:], x[:, 2], x.t(), x.view(20), x.narrow(0, 1, 2), x[..., 1::2]]
        base_ptr = x.data_ptr()
        for v in views:
            assert v.data_ptr() == base_ptr + v.storage_offset() * v.element_size()
        assert x.untyped_storage().data_ptr() == x[2].untyped_storage().data_ptr()


def test_numpy_and_from_numpy_stay_aliased():
    a = np.zeros((2, 3), np.float32)
    t = MT.from_numpy(a)
    t[0, 1] = 5.0
    t[1].add_(2)
    assert a[0, 1] == 5.0 and a[1].tolist() == [2.0, 2.0, 2.0]
    a[1, 2] = -1.0
    assert t[1, 2].item() == -1.0


def test_chained_views_and_boxes_clamp():
    # docs/design-notes.md, "The bar", item 2: boxes[i, :, 0::4].clamp_(0, w)
    def prog(lib):
        boxes = lib.arange(48.0).reshape(2, 3, 8) - 10
        boxes[1, :, 0::4].clamp_(0, 20)
        return boxes.numpy().copy()
    np.testing.assert_array_equal(prog(MT), prog(torch))


def test_version_counter_shared_by_aliases():
    for lib in (MT, torch):
        x = lib.zeros(3)
        v = x[1:]
        v0 = x._version
        v.add_(1)
        x[0] = 2.0
        assert x._version == v._version and x._version >= v0 + 2
