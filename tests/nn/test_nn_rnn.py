"""RNN/LSTM/GRU, their cells and nn.utils.rnn against real torch from the same seed."""
import numpy as np
import pytest
import torch

import mstorch

T = mstorch.torch
RTOL = 1e-4


def close(a, b, rtol=RTOL, atol=1e-6):
    a = a.detach().numpy() if isinstance(a, torch.Tensor) else a
    b = b.detach().numpy()
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(b, a, rtol=rtol, atol=atol)


def pair(cls_name, *args, seed=0, **kwargs):
    torch.manual_seed(seed)
    ref = getattr(torch.nn, cls_name)(*args, **kwargs)
    T.manual_seed(seed)
    ours = getattr(T.nn, cls_name)(*args, **kwargs)
    return ref, ours


def same_params(ref, ours):
    r, o = dict(ref.named_parameters()), dict(ours.named_parameters())
    assert list(r) == list(o)
    for k in r:
        assert tuple(r[k].shape) == tuple(o[k].shape), k
        close(r[k], o[k], rtol=0, atol=0)


def leaf(arr):
    return torch.tensor(arr, requires_grad=True), T.tensor(arr, requires_grad=True)


def first(h):
    return h[0] if isinstance(h, tuple) else h


def loss_of(out, h):
    total = (out * out).sum() + first(h).sum()
    if isinstance(h, tuple):
        total = total + (h[1] * 0.5).sum()
    return total


def check_grads(ref, ours, extra=()):
    r, o = dict(ref.named_parameters()), dict(ours.named_parameters())
    for k in r:
        close(r[k].grad, o[k].grad)
    for a, b in extra:
        close(a.grad, b.grad)


CONFIGS = [
    ("RNN", dict()),
    ("RNN", dict(nonlinearity="relu", num_layers=2, bias=False)),
    ("RNN", dict(num_layers=2, bidirectional=True, batch_first=True)),
    ("LSTM", dict()),
    ("LSTM", dict(num_layers=2, bidirectional=True)),
    ("LSTM", dict(proj_size=3, num_layers=2, batch_first=True)),
    ("LSTM", dict(proj_size=2, bidirectional=True, bias=False)),
    ("GRU", dict()),
    ("GRU", dict(num_layers=3, bidirectional=True, batch_first=True)),
    ("GRU", dict(bias=False)),
]


@pytest.mark.parametrize("name,kw", CONFIGS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CONFIGS)])
@pytest.mark.parametrize("train", [True, False])
def test_forward_backward_matches_torch(name, kw, train):
    ref, ours = pair(name, 4, 5, **kw)
    same_params(ref, ours)
    ref.train(train)
    ours.train(train)
    shape = (3, 6, 4) if kw.get("batch_first") else (6, 3, 4)
    xr, xo = leaf(np.random.default_rng(1).standard_normal(shape).astype(np.float32))
    out_r, h_r = ref(xr)
    out_o, h_o = ours(xo)
    close(out_r, out_o)
    close(first(h_r), first(h_o))
    if isinstance(h_r, tuple):
        close(h_r[1], h_o[1])
    loss_of(out_r, h_r).backward()
    loss_of(out_o, h_o).backward()
    check_grads(ref, ours, [(xr, xo)])


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_initial_states_get_gradients(name):
    kw = dict(num_layers=2, bidirectional=True)
    if name == "LSTM":
        kw["proj_size"] = 3
    ref, ours = pair(name, 4, 5, **kw)
    rng = np.random.default_rng(2)
    xr, xo = leaf(rng.standard_normal((5, 2, 4)).astype(np.float32))
    hr, ho = leaf(rng.standard_normal((4, 2, 3 if name == "LSTM" else 5)).astype(np.float32))
    pairs = [(xr, xo), (hr, ho)]
    if name == "LSTM":
        cr, co = leaf(rng.standard_normal((4, 2, 5)).astype(np.float32))
        pairs.append((cr, co))
        out_r, st_r = ref(xr, (hr, cr))
        out_o, st_o = ours(xo, (ho, co))
    else:
        out_r, st_r = ref(xr, hr)
        out_o, st_o = ours(xo, ho)
    close(out_r, out_o)
    loss_of(out_r, st_r).backward()
    loss_of(out_o, st_o).backward()
    check_grads(ref, ours, pairs)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_unbatched_input(name):
    ref, ours = pair(name, 3, 4, num_layers=2)
    xr, xo = leaf(np.random.default_rng(3).standard_normal((5, 3)).astype(np.float32))
    out_r, h_r = ref(xr)
    out_o, h_o = ours(xo)
    close(out_r, out_o)
    close(first(h_r), first(h_o))
    if name == "LSTM":
        out_r2, _ = ref(xr, h_r)
        out_o2, _ = ours(xo, h_o)
    else:
        out_r2, _ = ref(xr, h_r)
        out_o2, _ = ours(xo, h_o)
    close(out_r2, out_o2)


@pytest.mark.parametrize("name,kw", [("LSTM", dict(num_layers=2, bidirectional=True)),
                                     ("GRU", dict(bidirectional=True, batch_first=True)),
                                     ("RNN", dict(num_layers=2)),
                                     ("LSTM", dict(proj_size=2, bidirectional=True))])
def test_packed_sequence(name, kw):
    ref, ours = pair(name, 3, 4, **kw)
    bf = kw.get("batch_first", False)
    lengths = [3, 5, 1, 4]
    arr = np.random.default_rng(4).standard_normal((4, 5, 3) if bf else (5, 4, 3)).astype(np.float32)
    xr, xo = leaf(arr)
    pr = torch.nn.utils.rnn.pack_padded_sequence(xr, lengths, batch_first=bf, enforce_sorted=False)
    po = T.nn.utils.rnn.pack_padded_sequence(xo, lengths, batch_first=bf, enforce_sorted=False)
    assert po.batch_sizes.tolist() == pr.batch_sizes.tolist()
    assert po.sorted_indices.tolist() == pr.sorted_indices.tolist()
    out_r, h_r = ref(pr)
    out_o, h_o = ours(po)
    assert isinstance(out_o, T.nn.utils.rnn.PackedSequence)
    close(out_r.data, out_o.data)
    close(first(h_r), first(h_o))
    if isinstance(h_r, tuple):
        close(h_r[1], h_o[1])
    pad_r, len_r = torch.nn.utils.rnn.pad_packed_sequence(out_r, batch_first=bf, total_length=6)
    pad_o, len_o = T.nn.utils.rnn.pad_packed_sequence(out_o, batch_first=bf, total_length=6)
    assert len_o.tolist() == len_r.tolist()
    close(pad_r, pad_o)
    loss_of(pad_r, h_r).backward()
    loss_of(pad_o, h_o).backward()
    check_grads(ref, ours, [(xr, xo)])


@pytest.mark.parametrize("name", ["LSTM", "GRU", "RNN"])
def test_dropout_between_layers_follows_torch_rng(name):
    ref, ours = pair(name, 4, 6, num_layers=3, dropout=0.4, bidirectional=True)
    xr, xo = leaf(np.random.default_rng(5).standard_normal((5, 2, 4)).astype(np.float32))
    torch.manual_seed(11)
    T.manual_seed(11)
    out_r, h_r = ref(xr)
    out_o, h_o = ours(xo)
    close(out_r, out_o)
    loss_of(out_r, h_r).backward()
    loss_of(out_o, h_o).backward()
    check_grads(ref, ours, [(xr, xo)])


@pytest.mark.parametrize("name,kw", [("RNNCell", dict()), ("RNNCell", dict(nonlinearity="relu", bias=False)),
                                     ("LSTMCell", dict()), ("LSTMCell", dict(bias=False)), ("GRUCell", dict())])
def test_cells(name, kw):
    ref, ours = pair(name, 3, 4, **kw)
    same_params(ref, ours)
    rng = np.random.default_rng(6)
    xr, xo = leaf(rng.standard_normal((2, 3)).astype(np.float32))
    hr, ho = leaf(rng.standard_normal((2, 4)).astype(np.float32))
    state_r = (hr, hr * 2) if name == "LSTMCell" else hr
    state_o = (ho, ho * 2) if name == "LSTMCell" else ho
    out_r, out_o = ref(xr, state_r), ours(xo, state_o)
    out_r = out_r if isinstance(out_r, tuple) else (out_r,)
    out_o = out_o if isinstance(out_o, tuple) else (out_o,)
    for a, b in zip(out_r, out_o):
        close(a, b)
    sum((a * a).sum() for a in out_r).backward()
    sum((b * b).sum() for b in out_o).backward()
    check_grads(ref, ours, [(xr, xo), (hr, ho)])
    # unbatched, no state
    u_r, u_o = ref(xr[0].detach()), ours(xo[0].detach())
    for a, b in zip(u_r if isinstance(u_r, tuple) else (u_r,), u_o if isinstance(u_o, tuple) else (u_o,)):
        close(a, b)


def test_repr_and_attributes():
    _, m = pair("LSTM", 4, 3, 2, proj_size=2, bidirectional=True, dropout=0.5, batch_first=True, bias=False)
    assert repr(m) == ("LSTM(4, 3, proj_size=2, num_layers=2, bias=False, batch_first=True, dropout=0.5, "
                       "bidirectional=True)")
    assert repr(T.nn.RNNCell(4, 3, nonlinearity="relu", bias=False)) == "RNNCell(4, 3, bias=False, nonlinearity=relu)"
    assert repr(T.nn.RNN(3, 4, nonlinearity="relu")) == "RNN(3, 4)"
    assert m.flatten_parameters() is None
    assert m._flat_weights_names == torch.nn.LSTM(4, 3, 2, proj_size=2, bidirectional=True,
                                                  bias=False)._flat_weights_names
    assert [tuple(w.shape) for w in m.all_weights[1]] == [(12, 4), (12, 2), (2, 3)]
    assert set(m.state_dict()) == set(dict(m.named_parameters()))


def test_errors_match_torch():
    for ctor in [lambda nn: nn.LSTM(4, 3, proj_size=3), lambda nn: nn.GRU(4, 3, proj_size=1),
                 lambda nn: nn.RNN(4, 3, nonlinearity="gelu"), lambda nn: nn.LSTM(4, 3, dropout=1.5),
                 lambda nn: nn.LSTM(4, 0), lambda nn: nn.LSTM(4, 3, bias=1)]:
        with pytest.raises(Exception) as want:
            ctor(torch.nn)
        with pytest.raises(type(want.value)) as got:
            ctor(T.nn)
        assert str(got.value) == str(want.value)
    ref, ours = pair("GRU", 4, 3)
    for args in [(np.zeros((2, 5, 3), np.float32),), (np.zeros((2, 5, 4), np.float32), np.zeros((1, 4, 3), np.float32)),
                 (np.zeros((2, 5, 4), np.float64),), (np.zeros((2, 5, 4, 1), np.float32),)]:
        with pytest.raises(Exception) as want:
            ref(*[torch.tensor(a) for a in args])
        with pytest.raises(type(want.value)) as got:
            ours(*[T.tensor(a) for a in args])
        assert str(got.value) == str(want.value)
    ref, ours = pair("LSTMCell", 4, 3)
    for args in [(np.zeros((2, 5), np.float32),), (np.zeros((2, 4), np.float32), (np.zeros((3, 3), np.float32),) * 2)]:
        def call(mod, lib):
            a = [lib.tensor(args[0])] + ([tuple(lib.tensor(v) for v in args[1])] if len(args) > 1 else [])
            return mod(*a)
        with pytest.raises(Exception) as want:
            call(ref, torch)
        with pytest.raises(type(want.value)) as got:
            call(ours, T)
        assert str(got.value) == str(want.value)


def test_rnn_utils_match_torch():
    R, M = torch.nn.utils.rnn, T.nn.utils.rnn
    rng = np.random.default_rng(7)
    seqs = [rng.standard_normal((n, 2)).astype(np.float32) for n in (2, 4, 3)]
    for bf in (False, True):
        for side in ("right", "left"):
            close(R.pad_sequence([torch.tensor(s) for s in seqs], bf, -1.0, side),
                  M.pad_sequence([T.tensor(s) for s in seqs], bf, -1.0, side))
    packed_r = R.pack_sequence([torch.tensor(s) for s in seqs], enforce_sorted=False)
    packed_o = M.pack_sequence([T.tensor(s) for s in seqs], enforce_sorted=False)
    close(packed_r.data, packed_o.data)
    assert packed_o.batch_sizes.tolist() == packed_r.batch_sizes.tolist()
    assert packed_o.unsorted_indices.tolist() == packed_r.unsorted_indices.tolist()
    for a, b in zip(R.unpack_sequence(packed_r), M.unpack_sequence(packed_o)):
        close(a, b)
    padded = rng.standard_normal((4, 3, 2)).astype(np.float32)
    for a, b in zip(R.unpad_sequence(torch.tensor(padded), torch.tensor([2, 4, 3])),
                    M.unpad_sequence(T.tensor(padded), T.tensor([2, 4, 3]))):
        close(a, b)
    for lengths in ([3, 4, 2], [3, 2, 0], [3, 2]):
        with pytest.raises(RuntimeError) as want:
            R.pack_padded_sequence(torch.tensor(padded), lengths)
        with pytest.raises(RuntimeError) as got:
            M.pack_padded_sequence(T.tensor(padded), lengths)
        assert str(got.value) == str(want.value)
    with pytest.raises(ValueError) as got:
        M.pad_packed_sequence(packed_o, total_length=2)
    assert "total_length=2 and max sequence length being 4" in str(got.value)
    assert packed_o.to(T.float64).data.dtype == T.float64
    assert packed_o.double().batch_sizes.dtype == T.int64
