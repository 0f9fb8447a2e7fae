"""torch._foreach_* in-place ops write the tensors' own memory (views, .numpy(), version
counters) and match real torch, alpha and gradients included where torch has them."""
import numpy as np
import torch

import mstorch

MT = mstorch.torch


def test_inplace_writes_reach_memory_views_and_numpy():
    base = MT.arange(6.0)
    view = base[1:4]
    other = MT.ones(2, 2)
    arr = other.numpy()
    v0 = other._version
    ret = MT._foreach_mul_([view, other], 3.0)
    assert ret[0] is view and ret[1] is other
    np.testing.assert_array_equal(base.numpy(), [0, 3, 6, 9, 4, 5])
    np.testing.assert_array_equal(arr, np.full((2, 2), 3.0))
    assert other._version > v0
    MT._foreach_lerp_([view], [MT.zeros(3)], 0.5)
    MT._foreach_add_([other], [MT.ones(2, 2)], alpha=2)
    MT._foreach_zero_([base[4:]])
    np.testing.assert_array_equal(base.numpy(), [0, 1.5, 3, 4.5, 0, 0])
    np.testing.assert_array_equal(arr, np.full((2, 2), 5.0))


def test_alpha_and_errors_like_torch():
    got = []
    for lib in (MT, torch):
        xs = [lib.ones(2), lib.ones(3)]
        lib._foreach_add_(xs, [lib.ones(2), lib.ones(3)], alpha=-0.5)
        lib._foreach_sub_(xs, [lib.ones(2), lib.ones(3)], alpha=3)
        got.append(np.concatenate([x.numpy() for x in xs]))
    np.testing.assert_array_equal(got[0], got[1])
    for fn, args in ((lambda lib: lib._foreach_mul_([lib.ones(2), lib.ones(2)], [lib.ones(2)] * 3), None),
                     (lambda lib: lib._foreach_mul_([], 2.0), None)):
        msgs = []
        for lib in (MT, torch):
            try:
                fn(lib)
            except RuntimeError as e:
                msgs.append(str(e))
        assert len(msgs) == 2 and msgs[0] == msgs[1], msgs


def test_list_gradients_match_torch():
    vals = [np.array([1.0, -2.0, 3.0]), np.array([[0.5, 4.0]])]
    grads = []
    for lib in (MT, torch):
        xs = [lib.tensor(v, requires_grad=True) for v in vals]
        ys = [lib.tensor(v * 2 + 1) for v in vals]
        out = lib._foreach_add(lib._foreach_mul(xs, ys), xs, alpha=2)
        sum(o.sum() for o in lib._foreach_norm(out)).backward()
        grads.append([x.grad.numpy() for x in xs])
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, rtol=1e-6)
