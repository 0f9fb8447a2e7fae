"""The fused cell ops (torch.lstm_cell, gru_cell, rnn_tanh_cell, rnn_relu_cell) against real
torch: without biases, through the nn.*Cell modules, and under double backward (where the
formulas switch to differentiable table ops)."""
import numpy as np
import pytest
import torch

import mstorch.torch as mt

torch.set_num_threads(1)
_CELLS = [("lstm_cell", 4), ("gru_cell", 3), ("rnn_tanh_cell", 1), ("rnn_relu_cell", 1)]


def _leaves(shapes, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    arrs = [rng.uniform(-1, 1, s).astype(dtype) for s in shapes]
    return [torch.tensor(a, requires_grad=True) for a in arrs], [mt.tensor(a, requires_grad=True) for a in arrs]


def _call(lib, name, t, bias):
    x, h, c, w_ih, w_hh, b_ih, b_hh = t
    hx = [h, c] if name == "lstm_cell" else h
    out = getattr(lib, name)(x, hx, w_ih, w_hh, *((b_ih, b_hh) if bias else ()))
    return out if name == "lstm_cell" else (out,)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("name,gates", _CELLS)
def test_cell_values_and_grads(name, gates, bias):
    ref, ours = _leaves([(3, 5), (3, 4), (3, 4), (gates * 4, 5), (gates * 4, 4), (gates * 4,), (gates * 4,)], 1)
    grads = []
    for lib, t in ((torch, ref), (mt, ours)):
        outs = _call(lib, name, t, bias)
        loss = sum((o * (k + 2.0)).sum() for k, o in enumerate(outs)) + (outs[0] ** 2).sum()
        g = lib.autograd.grad(loss, t, allow_unused=True)
        grads.append(([o.detach().numpy() for o in outs], [None if q is None else q.numpy() for q in g]))
    (o1, g1), (o2, g2) = grads
    for a, b in zip(o1, o2):
        np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-12)
    for a, b in zip(g1, g2):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(b, a, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name,gates", _CELLS[:2])
def test_cell_double_backward(name, gates):
    ref, ours = _leaves([(3, 5), (3, 4), (3, 4), (gates * 4, 5), (gates * 4, 4), (gates * 4,), (gates * 4,)], 2)
    res = []
    for lib, t in ((torch, ref), (mt, ours)):
        outs = _call(lib, name, t, True)
        first = lib.autograd.grad(sum(o.sin().sum() for o in outs), [t[0], t[1], t[4]], create_graph=True)
        res.append([g.detach().numpy() for g in lib.autograd.grad(sum((g ** 2).sum() for g in first), t,
                                                                  allow_unused=True) if g is not None])
    for a, b in zip(*res):
        np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("cls", ["LSTMCell", "GRUCell", "RNNCell"])
def test_cell_modules_over_steps_float32(cls):
    """A step loop as time_sequence_prediction writes it: float32 parity over 6 steps."""
    x = np.random.default_rng(3).standard_normal((4, 6, 3)).astype(np.float32)
    res = []
    for lib in (torch, mt):
        lib.manual_seed(0)
        cell = getattr(lib.nn, cls)(3, 5)
        h = lib.zeros(4, 5)
        state = (h, lib.zeros(4, 5)) if cls == "LSTMCell" else h
        outs = []
        for x_t in lib.from_numpy(x).split(1, dim=1):
            state = cell(x_t.squeeze(1), state)
            outs.append(state[0] if cls == "LSTMCell" else state)
        lib.stack(outs, 1).pow(2).sum().backward()
        res.append([lib.stack(outs, 1).detach().numpy()] + [p.grad.numpy() for p in cell.parameters()])
    for a, b in zip(*res):
        np.testing.assert_allclose(b, a, rtol=2e-5, atol=2e-6)


def test_cell_rejects_mismatched_sizes_like_torch():
    x, h, w_ih, w_hh = mt.randn(3, 5), mt.randn(3, 4), mt.randn(16, 5), mt.randn(16, 4)
    with pytest.raises(RuntimeError, match="inconsistent input_size"):
        mt.lstm_cell(mt.randn(3, 6), [h, h], w_ih, w_hh)
    with pytest.raises(RuntimeError, match="expects two hidden states"):
        mt.lstm_cell(x, [h], w_ih, w_hh)
    with pytest.raises(RuntimeError, match="batch size"):
        mt.gru_cell(x, mt.randn(2, 4), mt.randn(12, 5), mt.randn(12, 4))
    with pytest.raises(RuntimeError):
        mt.lstm_cell(x.double(), [h, h], w_ih, w_hh)
