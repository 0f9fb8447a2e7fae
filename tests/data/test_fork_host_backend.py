"""A process forked from an mstorch process never calls MindSpore: its tensors are host
(NumPy) tensors and data-pipeline ops run the table's host kernels, with PyTorch's results."""
import multiprocessing as mp

import numpy as np

import mstorch

T = mstorch.torch


def _pipeline(parent_tensor):
    from dispatch import backend
    x = T.arange(24, dtype=T.float32).reshape(2, 3, 4)
    y = (x.permute(0, 2, 1) * 2 + 1).clamp(0, 30).flip(1)
    z = T.cat([y, y[:, :1]], dim=1).to(T.float64)
    w = T.stack([parent_tensor[0], parent_tensor[1] * 3])
    idx = z[0, :, 0] > 10
    return {"host": type(z._data) is np.ndarray and type(w._data) is np.ndarray,
            "forked": backend.in_forked_child(),
            "z": z.numpy().tolist(), "w": w.numpy().tolist(), "masked": z[0][idx].numpy().tolist(),
            "sum": float(z.sum()), "argmax": int(z.reshape(-1).argmax())}


def _child(q, parent_tensor):
    try:
        q.put(_pipeline(parent_tensor))
    except BaseException as e:  # noqa: BLE001 - reported to the parent
        q.put(repr(e))


def test_forked_child_runs_host_kernels_after_the_parent_used_mindspore():
    a = T.randn(256, 256)
    (a @ a).sum().item()  # the parent's MindSpore runtime has run ops (a forked child's MindSpore would hang)
    T.nn.functional.conv2d(T.randn(2, 3, 8, 8), T.randn(4, 3, 3, 3)).sum().item()
    parent_tensor = T.tensor([[1.0, 2.0], [3.0, 4.0]])
    parent_tensor._storage.numpy_flat()  # what the DataLoader does before forking
    expected = _pipeline(parent_tensor)
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(q, parent_tensor))
    p.start()
    try:
        got = q.get(timeout=60)
    finally:
        p.join(timeout=10)
        if p.is_alive():
            p.kill()
    assert isinstance(got, dict), got
    assert got["host"] and got["forked"]
    for key in ("z", "w", "masked", "sum", "argmax"):
        assert got[key] == expected[key], key
    assert p.exitcode == 0
