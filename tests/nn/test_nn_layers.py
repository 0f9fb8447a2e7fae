"""Every non-recurrent layer module against real torch: same seed -> same parameters and buffers,
same repr, same forward output, same input and parameter gradients."""
import math
import warnings

import numpy as np
import pytest
import torch

import mstorch

T = mstorch.torch


def _np(t):
    return t.detach().numpy()


def close(ref, ours, rtol=1e-4, atol=1e-5, what=""):
    if isinstance(ref, (tuple, list)):
        assert isinstance(ours, (tuple, list)) and len(ref) == len(ours), what
        for r, o in zip(ref, ours):
            close(r, o, rtol, atol, what)
        return
    if ref is None:
        assert ours is None, what
        return
    a, b = _np(ref), _np(ours)
    assert a.shape == b.shape, (what, a.shape, b.shape)
    assert str(ref.dtype) == str(ours.dtype), (what, ref.dtype, ours.dtype)
    np.testing.assert_allclose(b.astype(np.float64), a.astype(np.float64), rtol=rtol, atol=atol, err_msg=what)


def make_inputs(specs, seed):
    rs = np.random.RandomState(seed)
    out = []
    for s in specs:
        kind, shape = s[0], s[1]
        if kind == "f":
            out.append(rs.randn(*shape).astype(np.float32))
        elif kind == "u":
            out.append(rs.uniform(0.05, 0.95, size=shape).astype(np.float32))
        elif kind == "p":
            out.append(rs.uniform(0.5, 2.0, size=shape).astype(np.float32))
        elif kind == "i":
            out.append(rs.randint(0, s[2], size=shape).astype(np.int64))
        elif kind == "s":
            out.append(np.sign(rs.randn(*shape)).astype(np.float32))
        elif kind == "b":
            out.append((rs.rand(*shape) > 0.5).astype(np.float32))
        elif kind == "a":
            out.append(np.asarray(shape))
        else:
            raise ValueError(kind)
    return out


def build(make, seed):
    torch.manual_seed(seed)
    ref = make(torch.nn)
    T.manual_seed(seed)
    ours = make(T.nn)
    return ref, ours


def check_module(make, specs, *, seed=0, rtol=1e-4, atol=1e-5, grad=True, train=True, forward_seed=None,
                 call=None):
    ref, ours = build(make, seed)
    assert repr(ours) == repr(ref)
    rs, os_ = ref.state_dict(), ours.state_dict()
    assert list(rs) == list(os_)
    for k in rs:
        close(rs[k], os_[k], rtol=0, atol=0, what=k)
    if not train:
        ref.eval()
        ours.eval()
    arrays = make_inputs(specs, seed + 1)
    r_in, o_in = [], []
    for arr, spec in zip(arrays, specs):
        diff = grad and spec[0] in "fup" and (len(spec) < 3 or spec[2] is not False)
        r_in.append(torch.tensor(arr, requires_grad=diff))
        o_in.append(T.tensor(arr, requires_grad=diff))
    if forward_seed is not None:
        torch.manual_seed(forward_seed)
    r_out = call(ref, *r_in) if call else ref(*r_in)
    if forward_seed is not None:
        T.manual_seed(forward_seed)
    o_out = call(ours, *o_in) if call else ours(*o_in)
    close(r_out, o_out, rtol, atol, "forward")
    for k, v in ref.state_dict().items():
        close(v, ours.state_dict()[k], rtol, atol, what="after forward: " + k)
    if not grad:
        return ref, ours
    r_first = r_out[0] if isinstance(r_out, tuple) else r_out
    o_first = o_out[0] if isinstance(o_out, tuple) else o_out
    if not r_first.requires_grad:
        return ref, ours
    w = np.asarray(np.random.RandomState(seed + 2).randn(*r_first.shape), dtype=np.float32)
    (r_first * torch.tensor(w)).sum().backward()
    (o_first * T.tensor(w)).sum().backward()
    for r, o in zip(r_in, o_in):
        if r.requires_grad:
            close(r.grad, o.grad, rtol, atol, "input grad")
    for (name, rp), (_, op) in zip(ref.named_parameters(), ours.named_parameters()):
        close(rp.grad, op.grad, rtol, atol, "grad " + name)
    return ref, ours


X4 = ("f", (2, 3, 6, 7))
X3 = ("f", (2, 3, 9))
X2 = ("f", (4, 6))

ACTIVATIONS = [
    ("ReLU", lambda nn: nn.ReLU(), X4),
    ("ReLU6", lambda nn: nn.ReLU6(), ("f", (3, 5), None)),
    ("LeakyReLU", lambda nn: nn.LeakyReLU(0.2), X2),
    ("PReLU", lambda nn: nn.PReLU(), X4),
    ("PReLU3", lambda nn: nn.PReLU(3, init=0.1), X4),
    ("ELU", lambda nn: nn.ELU(alpha=0.7), X2),
    ("SELU", lambda nn: nn.SELU(), X2),
    ("CELU", lambda nn: nn.CELU(0.5), X2),
    ("GELU", lambda nn: nn.GELU(), X2),
    ("GELUtanh", lambda nn: nn.GELU(approximate="tanh"), X2),
    ("SiLU", lambda nn: nn.SiLU(), X2),
    ("Mish", lambda nn: nn.Mish(), X2),
    ("Softplus", lambda nn: nn.Softplus(beta=2.0, threshold=5.0), X2),
    ("Softsign", lambda nn: nn.Softsign(), X2),
    ("Softshrink", lambda nn: nn.Softshrink(0.3), X2),
    ("Hardshrink", lambda nn: nn.Hardshrink(0.3), X2),
    ("Tanhshrink", lambda nn: nn.Tanhshrink(), X2),
    ("Hardtanh", lambda nn: nn.Hardtanh(-0.5, 0.8), X2),
    ("Hardsigmoid", lambda nn: nn.Hardsigmoid(), ("f", (4, 6))),
    ("Hardswish", lambda nn: nn.Hardswish(), ("f", (4, 6))),
    ("LogSigmoid", lambda nn: nn.LogSigmoid(), X2),
    ("Sigmoid", lambda nn: nn.Sigmoid(), X2),
    ("Tanh", lambda nn: nn.Tanh(), X2),
    ("Threshold", lambda nn: nn.Threshold(0.1, 20.0), X2),
    ("GLU", lambda nn: nn.GLU(), X2),
    ("GLU0", lambda nn: nn.GLU(dim=0), X2),
    ("Softmax", lambda nn: nn.Softmax(dim=1), X2),
    ("LogSoftmax", lambda nn: nn.LogSoftmax(dim=-1), X2),
    ("Softmin", lambda nn: nn.Softmin(dim=1), X2),
    ("Softmax2d", lambda nn: nn.Softmax2d(), X4),
    ("RReLUeval", lambda nn: nn.RReLU(0.1, 0.3), X2),
]


@pytest.mark.parametrize("name,make,spec", ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
def test_activation(name, make, spec):
    check_module(make, [spec[:2]], train=name != "RReLUeval")


def test_rrelu_training_draws_match():
    check_module(lambda nn: nn.RReLU(), [("f", (5, 7))], forward_seed=3)


@pytest.mark.parametrize("cls", ["ReLU", "LeakyReLU", "ELU", "SiLU", "Hardtanh", "ReLU6", "SELU", "Threshold"])
def test_activation_inplace(cls):
    args = (0.1, 2.0) if cls == "Threshold" else ()

    def make(nn):
        return getattr(nn, cls)(*args, inplace=True)

    ref, ours = build(make, 0)
    assert repr(ours) == repr(ref)
    arr = make_inputs([X2], 1)[0]
    r_leaf, o_leaf = torch.tensor(arr, requires_grad=True), T.tensor(arr, requires_grad=True)
    r_x, o_x = r_leaf * 1.0, o_leaf * 1.0
    r_y, o_y = ref(r_x), ours(o_x)
    close(r_x, o_x)
    close(r_y, o_y)
    (r_y * 2).sum().backward()
    (o_y * 2).sum().backward()
    close(r_leaf.grad, o_leaf.grad)


CONVS = [
    ("Conv1d", lambda nn: nn.Conv1d(3, 4, 3), [X3]),
    ("Conv1d_opts", lambda nn: nn.Conv1d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2, bias=False),
     [("f", (2, 4, 11))]),
    ("Conv1d_same_reflect", lambda nn: nn.Conv1d(3, 2, 4, padding="same", padding_mode="reflect"), [X3]),
    ("Conv2d", lambda nn: nn.Conv2d(3, 5, 3), [X4]),
    ("Conv2d_opts", lambda nn: nn.Conv2d(3, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=3),
     [X4]),
    ("Conv2d_same", lambda nn: nn.Conv2d(3, 4, (3, 4), padding="same", dilation=2), [X4]),
    ("Conv2d_valid", lambda nn: nn.Conv2d(3, 4, 2, padding="valid"), [X4]),
    ("Conv2d_reflect", lambda nn: nn.Conv2d(3, 4, 3, padding=1, padding_mode="reflect"), [X4]),
    ("Conv2d_replicate", lambda nn: nn.Conv2d(3, 4, 3, padding=(2, 1), padding_mode="replicate"), [X4]),
    ("Conv2d_circular", lambda nn: nn.Conv2d(3, 4, 3, padding=1, padding_mode="circular"), [X4]),
    ("Conv3d", lambda nn: nn.Conv3d(2, 3, 2, padding=1), [("f", (1, 2, 3, 4, 4))]),
    ("ConvT1d", lambda nn: nn.ConvTranspose1d(3, 4, 3, stride=2, padding=1, output_padding=1), [X3]),
    ("ConvT2d", lambda nn: nn.ConvTranspose2d(3, 4, 3), [X4]),
    ("ConvT2d_opts", lambda nn: nn.ConvTranspose2d(4, 6, (3, 2), stride=2, padding=1, output_padding=1, groups=2,
                                                   dilation=1, bias=False), [("f", (2, 4, 4, 5))]),
]


@pytest.mark.parametrize("name,make,specs", CONVS, ids=[c[0] for c in CONVS])
def test_conv(name, make, specs):
    check_module(make, specs, rtol=2e-4, atol=2e-5)


def test_conv_transpose_output_size():
    check_module(lambda nn: nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1), [X4],
                 call=lambda m, x: m(x, output_size=[12, 14]))
    with pytest.raises(ValueError):
        T.nn.ConvTranspose2d(3, 2, 3, stride=2)(T.randn(1, 3, 4, 4), output_size=[20, 20])


def test_conv_constructor_errors():
    for nn in (torch.nn, T.nn):
        with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
            nn.Conv2d(3, 4, 3, groups=2)
        with pytest.raises(ValueError, match="padding='same' is not supported for strided convolutions"):
            nn.Conv2d(3, 3, 3, stride=2, padding="same")
        with pytest.raises(ValueError, match="padding_mode must be one of"):
            nn.Conv2d(3, 3, 3, padding_mode="wrap")
        with pytest.raises(ValueError, match="Invalid padding string"):
            nn.Conv2d(3, 3, 3, padding="full")


POOLS = [
    ("MaxPool1d", lambda nn: nn.MaxPool1d(3, stride=2, padding=1), [X3]),
    ("MaxPool2d", lambda nn: nn.MaxPool2d(2), [X4]),
    ("MaxPool2d_opts", lambda nn: nn.MaxPool2d((3, 2), stride=(2, 1), padding=1, dilation=1, ceil_mode=True), [X4]),
    ("MaxPool2d_idx", lambda nn: nn.MaxPool2d(2, return_indices=True), [X4]),
    ("AvgPool1d", lambda nn: nn.AvgPool1d(3, stride=2, padding=1, count_include_pad=False), [X3]),
    ("AvgPool2d", lambda nn: nn.AvgPool2d(2), [X4]),
    ("AvgPool2d_opts", lambda nn: nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, divisor_override=5), [X4]),
    ("AdaptiveAvgPool1d", lambda nn: nn.AdaptiveAvgPool1d(4), [X3]),
    ("AdaptiveAvgPool2d", lambda nn: nn.AdaptiveAvgPool2d((4, 3)), [X4]),
    ("AdaptiveAvgPool2d_none", lambda nn: nn.AdaptiveAvgPool2d((None, 2)), [X4]),
    ("AdaptiveMaxPool1d", lambda nn: nn.AdaptiveMaxPool1d(4), [X3]),
    ("AdaptiveMaxPool2d", lambda nn: nn.AdaptiveMaxPool2d(3), [X4]),
    ("AdaptiveMaxPool2d_idx", lambda nn: nn.AdaptiveMaxPool2d((2, 3), return_indices=True), [X4]),
    ("LPPool2d", lambda nn: nn.LPPool2d(2, 2), [("p", (2, 3, 6, 6))]),
    ("LPPool1d", lambda nn: nn.LPPool1d(3, 2), [("p", (2, 3, 8))]),
]


@pytest.mark.parametrize("name,make,specs", POOLS, ids=[p[0] for p in POOLS])
def test_pool(name, make, specs):
    check_module(make, specs)


@pytest.mark.parametrize("nd", [1, 2])
def test_max_unpool(nd):
    shape = (2, 3, 8) if nd == 1 else (2, 3, 6, 8)
    arr = make_inputs([("f", shape)], 5)[0]
    outs = []
    for lib in (torch, T):
        pool = getattr(lib.nn, f"MaxPool{nd}d")(2, return_indices=True)
        unpool = getattr(lib.nn, f"MaxUnpool{nd}d")(2)
        x = lib.tensor(arr, requires_grad=True)
        y, idx = pool(x)
        z = unpool(y, idx)
        z2 = unpool(y, idx, output_size=[s + 1 for s in shape[2:]])
        (z * z).sum().backward()
        outs.append((repr(unpool), z, z2, x.grad))
    assert outs[0][0] == outs[1][0]
    close(outs[0][1:], outs[1][1:])


def _bn_run(make, shape, steps=3, momentum_none=False):
    ref, ours = build(make, 0)
    assert repr(ours) == repr(ref)
    for step in range(steps):
        arr = make_inputs([("f", shape)], 10 + step)[0] * (step + 1) + step
        close(ref(torch.tensor(arr)), ours(T.tensor(arr)))
    for k, v in ref.state_dict().items():
        close(v, ours.state_dict()[k], what=k)
    ref.eval()
    ours.eval()
    arr = make_inputs([("f", shape)], 99)[0]
    close(ref(torch.tensor(arr)), ours(T.tensor(arr)))
    return ref, ours


@pytest.mark.parametrize("make,shape", [
    (lambda nn: nn.BatchNorm1d(4), (5, 4)),
    (lambda nn: nn.BatchNorm1d(4), (5, 4, 3)),
    (lambda nn: nn.BatchNorm2d(3), (2, 3, 4, 5)),
    (lambda nn: nn.BatchNorm3d(3), (2, 3, 2, 3, 2)),
    (lambda nn: nn.BatchNorm2d(3, momentum=None), (2, 3, 4, 5)),
    (lambda nn: nn.BatchNorm2d(3, affine=False, eps=1e-3, momentum=0.3), (2, 3, 4, 5)),
    (lambda nn: nn.BatchNorm2d(3, track_running_stats=False), (2, 3, 4, 5)),
], ids=["1d2", "1d3", "2d", "3d", "cumulative", "noaffine", "notrack"])
def test_batchnorm(make, shape):
    _bn_run(make, shape)
    check_module(make, [("f", shape)])


def test_batchnorm_state_and_errors():
    ref, ours = _bn_run(lambda nn: nn.BatchNorm2d(3, momentum=None), (2, 3, 4, 5))
    assert int(ours.num_batches_tracked) == 3 and ours.num_batches_tracked.dtype == T.long
    fresh = T.nn.BatchNorm2d(3)
    sd = ours.state_dict()
    del sd["num_batches_tracked"]
    res = fresh.load_state_dict(sd, strict=False)
    assert res.missing_keys == ["num_batches_tracked"]
    for nn in (torch.nn, T.nn):
        with pytest.raises(ValueError, match=r"expected 4D input \(got 3D input\)"):
            nn.BatchNorm2d(3)(T.randn(2, 3, 4) if nn is T.nn else torch.randn(2, 3, 4))
    m = T.nn.BatchNorm1d(2)
    m.reset_running_stats()
    assert list(m.running_var.tolist()) == [1.0, 1.0]


NORMS = [
    ("LayerNorm", lambda nn: nn.LayerNorm(5), [("f", (3, 4, 5))]),
    ("LayerNorm2", lambda nn: nn.LayerNorm([4, 5], eps=1e-3), [("f", (3, 4, 5))]),
    ("LayerNorm_nobias", lambda nn: nn.LayerNorm(5, bias=False), [("f", (3, 5))]),
    ("LayerNorm_noaffine", lambda nn: nn.LayerNorm(5, elementwise_affine=False), [("f", (3, 5))]),
    ("GroupNorm", lambda nn: nn.GroupNorm(2, 4), [("f", (2, 4, 3, 3))]),
    ("GroupNorm_noaffine", lambda nn: nn.GroupNorm(4, 4, affine=False), [("f", (2, 4, 5))]),
    ("InstanceNorm1d", lambda nn: nn.InstanceNorm1d(3), [X3]),
    ("InstanceNorm1d_unbatched", lambda nn: nn.InstanceNorm1d(3, affine=True), [("f", (3, 9))]),
    ("InstanceNorm2d", lambda nn: nn.InstanceNorm2d(3, affine=True), [X4]),
    ("InstanceNorm2d_track", lambda nn: nn.InstanceNorm2d(3, track_running_stats=True), [X4]),
    ("LocalResponseNorm", lambda nn: nn.LocalResponseNorm(3), [X4]),
    ("RMSNorm", lambda nn: nn.RMSNorm(7), [X4]),
    ("RMSNorm_eps", lambda nn: nn.RMSNorm([6, 7], eps=1e-4, elementwise_affine=False), [X4]),
]


@pytest.mark.parametrize("name,make,specs", NORMS, ids=[n[0] for n in NORMS])
def test_norm(name, make, specs):
    check_module(make, specs)


def test_instancenorm_eval_uses_running_stats():
    ref, ours = check_module(lambda nn: nn.InstanceNorm2d(3, track_running_stats=True), [X4])
    ref.eval()
    ours.eval()
    arr = make_inputs([X4], 7)[0]
    close(ref(torch.tensor(arr)), ours(T.tensor(arr)))


DROPOUTS = [
    ("Dropout", lambda nn: nn.Dropout(0.3), (4, 6)),
    ("Dropout1d", lambda nn: nn.Dropout1d(0.5), (2, 4, 6)),
    ("Dropout2d", lambda nn: nn.Dropout2d(0.4), (2, 4, 3, 3)),
    ("Dropout3d", lambda nn: nn.Dropout3d(0.4), (2, 4, 2, 3, 3)),
    ("AlphaDropout", lambda nn: nn.AlphaDropout(0.2), (4, 6)),
    ("FeatureAlphaDropout", lambda nn: nn.FeatureAlphaDropout(0.2), (2, 4, 3, 3)),
]


@pytest.mark.parametrize("name,make,shape", DROPOUTS, ids=[d[0] for d in DROPOUTS])
def test_dropout(name, make, shape):
    check_module(make, [("f", shape)], forward_seed=11)
    check_module(make, [("f", shape)], train=False)
    for nn in (torch.nn, T.nn):
        with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
            getattr(nn, name)(1.5)


def test_embedding():
    make = lambda nn: nn.Embedding(10, 4, padding_idx=2)  # noqa: E731
    ref, ours = check_module(make, [("i", (3, 5), 10)])
    assert float(ours.weight[2].abs().sum()) == 0.0
    idx = np.array([[2, 1, 2], [3, 2, 9]])
    for m, lib in ((ref, torch), (ours, T)):
        m.zero_grad()
        m(lib.tensor(idx)).sum().backward()
    close(ref.weight.grad, ours.weight.grad)
    assert float(ours.weight.grad[2].abs().sum()) == 0.0
    check_module(lambda nn: nn.Embedding(7, 3, padding_idx=-1, scale_grad_by_freq=True), [("i", (4, 5), 7)])


def test_embedding_max_norm():
    make = lambda nn: nn.Embedding(8, 5, max_norm=1.0, norm_type=1.5)  # noqa: E731
    ref, ours = check_module(make, [("i", (6,), 5)])
    close(ref.weight, ours.weight)


def test_embedding_from_pretrained():
    arr = make_inputs([("f", (5, 3))], 0)[0]
    ref = torch.nn.Embedding.from_pretrained(torch.tensor(arr), padding_idx=1)
    ours = T.nn.Embedding.from_pretrained(T.tensor(arr), padding_idx=1)
    assert repr(ours) == repr(ref)
    assert ours.weight.requires_grad is False
    close(ref(torch.tensor([1, 4])), ours(T.tensor([1, 4])))
    ours2 = T.nn.Embedding.from_pretrained(T.tensor(arr), freeze=False)
    assert ours2.weight.requires_grad is True
    with pytest.raises(NotImplementedError, match="sparse"):
        T.nn.Embedding(4, 2, sparse=True)


BAGS = [
    ("sum2d", lambda nn: nn.EmbeddingBag(10, 3, mode="sum"), lambda m, lib, i, o, w: m(i)),
    ("mean_offsets", lambda nn: nn.EmbeddingBag(10, 3), lambda m, lib, i, o, w: m(i.reshape(-1), o)),
    ("max_offsets", lambda nn: nn.EmbeddingBag(10, 3, mode="max"), lambda m, lib, i, o, w: m(i.reshape(-1), o)),
    ("sum_psw", lambda nn: nn.EmbeddingBag(10, 3, mode="sum"),
     lambda m, lib, i, o, w: m(i.reshape(-1), o, per_sample_weights=w.reshape(-1))),
    ("mean_pad_last", lambda nn: nn.EmbeddingBag(10, 3, padding_idx=0, include_last_offset=True),
     lambda m, lib, i, o, w: m(i.reshape(-1), lib.cat([o, lib.tensor([12])]))),
    ("max_norm", lambda nn: nn.EmbeddingBag(10, 3, max_norm=0.5, mode="sum"), lambda m, lib, i, o, w: m(i)),
]


@pytest.mark.parametrize("name,make,call", BAGS, ids=[b[0] for b in BAGS])
def test_embedding_bag(name, make, call):
    idx = np.array([[0, 3, 3, 5], [9, 0, 0, 1], [2, 2, 7, 8]])
    offs = np.array([0, 2, 2, 7])  # bag 1 is empty
    wts = make_inputs([("f", (3, 4))], 3)[0]
    ref, ours = build(make, 0)
    assert repr(ours) == repr(ref)
    close(ref.weight, ours.weight, 0, 0)
    r_w, o_w = torch.tensor(wts, requires_grad=True), T.tensor(wts, requires_grad=True)
    r = call(ref, torch, torch.tensor(idx), torch.tensor(offs), r_w)
    o = call(ours, T, T.tensor(idx), T.tensor(offs), o_w)
    close(r, o)
    g = make_inputs([("f", tuple(r.shape))], 4)[0]
    (r * torch.tensor(g)).sum().backward()
    (o * T.tensor(g)).sum().backward()
    close(ref.weight.grad, ours.weight.grad)
    if name == "sum_psw":
        close(r_w.grad, o_w.grad)


N, C = 4, 5
LOSSES = [
    ("L1Loss", lambda nn: nn.L1Loss(), [("f", (N, C)), ("f", (N, C))]),
    ("MSELoss", lambda nn: nn.MSELoss(reduction="sum"), [("f", (N, C)), ("f", (N, C))]),
    ("MSELoss_none", lambda nn: nn.MSELoss(reduction="none"), [("f", (N, C)), ("f", (N, C))]),
    ("SmoothL1Loss", lambda nn: nn.SmoothL1Loss(beta=0.5), [("f", (N, C)), ("f", (N, C))]),
    ("HuberLoss", lambda nn: nn.HuberLoss(delta=0.7), [("f", (N, C)), ("f", (N, C))]),
    ("NLLLoss", lambda nn: nn.NLLLoss(), [("f", (N, C)), ("i", (N,), C)]),
    ("NLLLoss_w", lambda nn: nn.NLLLoss(weight=(torch if nn is torch.nn else T).arange(1.0, 6.0), ignore_index=1),
     [("f", (N, C)), ("i", (N,), C)]),
    ("CrossEntropyLoss", lambda nn: nn.CrossEntropyLoss(), [("f", (N, C)), ("i", (N,), C)]),
    ("CrossEntropyLoss_ls", lambda nn: nn.CrossEntropyLoss(label_smoothing=0.1, reduction="sum"),
     [("f", (N, C, 3)), ("i", (N, 3), C)]),
    ("CrossEntropyLoss_prob", lambda nn: nn.CrossEntropyLoss(), [("f", (N, C)), ("u", (N, C), False)]),
    ("BCELoss", lambda nn: nn.BCELoss(), [("u", (N, C)), ("b", (N, C))]),
    ("BCEWithLogitsLoss", lambda nn: nn.BCEWithLogitsLoss(
        pos_weight=(torch if nn is torch.nn else T).full((C,), 2.0)), [("f", (N, C)), ("b", (N, C))]),
    ("KLDivLoss", lambda nn: nn.KLDivLoss(reduction="batchmean"), [("f", (N, C)), ("u", (N, C), False)]),
    ("KLDivLoss_log", lambda nn: nn.KLDivLoss(reduction="sum", log_target=True), [("f", (N, C)), ("f", (N, C))]),
    ("SoftMarginLoss", lambda nn: nn.SoftMarginLoss(), [("f", (N, C)), ("s", (N, C))]),
    ("MarginRankingLoss", lambda nn: nn.MarginRankingLoss(0.2), [("f", (N,)), ("f", (N,)), ("s", (N,))]),
    ("HingeEmbeddingLoss", lambda nn: nn.HingeEmbeddingLoss(0.5), [("f", (N, C)), ("s", (N, C))]),
    ("CosineEmbeddingLoss", lambda nn: nn.CosineEmbeddingLoss(0.1), [("f", (N, C)), ("f", (N, C)), ("s", (N,))]),
    ("PoissonNLLLoss", lambda nn: nn.PoissonNLLLoss(), [("f", (N, C)), ("p", (N, C), False)]),
    ("PoissonNLLLoss_full", lambda nn: nn.PoissonNLLLoss(log_input=False, full=True),
     [("p", (N, C)), ("p", (N, C), False)]),
    ("GaussianNLLLoss", lambda nn: nn.GaussianNLLLoss(), [("f", (N, C)), ("f", (N, C)), ("p", (N, C))]),
    ("TripletMarginLoss", lambda nn: nn.TripletMarginLoss(margin=0.5, swap=True),
     [("f", (N, C)), ("f", (N, C)), ("f", (N, C))]),
    ("TripletMarginWithDistanceLoss", lambda nn: nn.TripletMarginWithDistanceLoss(margin=0.5, swap=True),
     [("f", (N, C)), ("f", (N, C)), ("f", (N, C))]),
    ("MultiLabelSoftMarginLoss", lambda nn: nn.MultiLabelSoftMarginLoss(), [("f", (N, C)), ("b", (N, C))]),
    ("MultiLabelMarginLoss", lambda nn: nn.MultiLabelMarginLoss(),
     [("f", (N, C)), ("a", [[3, 0, -1, 1, 1], [1, 2, 3, 4, 0], [-1, 0, 0, 0, 0], [4, 4, -1, 2, 2]])]),
    ("MultiMarginLoss", lambda nn: nn.MultiMarginLoss(), [("f", (N, C)), ("i", (N,), C)]),
    ("MultiMarginLoss_p2w", lambda nn: nn.MultiMarginLoss(p=2, margin=0.7, reduction="none",
                                                          weight=(torch if nn is torch.nn else T).arange(1.0, 6.0)),
     [("f", (N, C)), ("i", (N,), C)]),
]


@pytest.mark.parametrize("name,make,specs", LOSSES, ids=[entry[0] for entry in LOSSES])
def test_loss(name, make, specs):
    check_module(make, specs)


def test_loss_legacy_reduction():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for sa, rd in ((False, None), (None, False), (True, True)):
            assert T.nn.MSELoss(size_average=sa, reduce=rd).reduction == \
                torch.nn.MSELoss(size_average=sa, reduce=rd).reduction
    ref = torch.nn.CrossEntropyLoss(weight=torch.ones(3))
    ours = T.nn.CrossEntropyLoss(weight=T.ones(3))
    assert list(ours.state_dict()) == list(ref.state_dict()) == ["weight"]


SHAPES = [
    ("Upsample_nearest", lambda nn: nn.Upsample(scale_factor=2), [X4]),
    ("Upsample_nearest_frac", lambda nn: nn.Upsample(scale_factor=1.7), [X4]),
    ("Upsample_nearest_size", lambda nn: nn.Upsample(size=(5, 11)), [X4]),
    ("Upsample_nearest_exact", lambda nn: nn.Upsample(scale_factor=(1.5, 2.3), mode="nearest-exact"), [X4]),
    ("Upsample_linear", lambda nn: nn.Upsample(scale_factor=2.5, mode="linear"), [X3]),
    ("Upsample_bilinear", lambda nn: nn.Upsample(scale_factor=2, mode="bilinear"), [X4]),
    ("Upsample_bilinear_ac", lambda nn: nn.Upsample(size=(9, 4), mode="bilinear", align_corners=True), [X4]),
    ("Upsample_bicubic", lambda nn: nn.Upsample(scale_factor=1.5, mode="bicubic"), [X4]),
    ("Upsample_trilinear", lambda nn: nn.Upsample(scale_factor=(2, 1.5, 1), mode="trilinear"),
     [("f", (1, 2, 3, 4, 5))]),
    ("Upsample_recompute", lambda nn: nn.Upsample(scale_factor=1.7, mode="bilinear", recompute_scale_factor=True),
     [X4]),
    ("Upsample_area", lambda nn: nn.Upsample(size=(3, 4), mode="area"), [X4]),
    ("UpsamplingNearest2d", lambda nn: nn.UpsamplingNearest2d(scale_factor=3), [X4]),
    ("UpsamplingBilinear2d", lambda nn: nn.UpsamplingBilinear2d(size=(10, 9)), [X4]),
    ("PixelShuffle", lambda nn: nn.PixelShuffle(2), [("f", (2, 8, 3, 4))]),
    ("PixelUnshuffle", lambda nn: nn.PixelUnshuffle(2), [("f", (2, 3, 4, 6))]),
    ("ChannelShuffle", lambda nn: nn.ChannelShuffle(3), [("f", (2, 6, 3, 2))]),
    ("Flatten", lambda nn: nn.Flatten(), [X4]),
    ("Flatten_range", lambda nn: nn.Flatten(0, 2), [X4]),
    ("Unflatten", lambda nn: nn.Unflatten(1, (2, 3)), [("f", (4, 6))]),
    ("Fold", lambda nn: nn.Fold(output_size=(4, 5), kernel_size=2), [("f", (2, 12, 12))]),
    ("Unfold", lambda nn: nn.Unfold(kernel_size=(2, 3), dilation=1, padding=1, stride=2), [X4]),
    ("Unfold_dil", lambda nn: nn.Unfold(kernel_size=2, dilation=2), [X4]),
    ("CosineSimilarity", lambda nn: nn.CosineSimilarity(dim=1), [("f", (N, C)), ("f", (N, C))]),
    ("PairwiseDistance", lambda nn: nn.PairwiseDistance(p=3.0, keepdim=True), [("f", (N, C)), ("f", (N, C))]),
]


@pytest.mark.parametrize("name,make,specs", SHAPES, ids=[s[0] for s in SHAPES])
def test_shape_layers(name, make, specs):
    check_module(make, specs)


PADS = [(f"{kind}Pad{nd}d", nd, kind) for nd in (1, 2, 3)
        for kind in ("Zero", "Constant", "Reflection", "Replication", "Circular")]


@pytest.mark.parametrize("name,nd,kind", PADS, ids=[p[0] for p in PADS])
def test_padding(name, nd, kind):
    pad = [1, 2, 2, 1, 1, 0][: 2 * nd]

    def make(nn):
        cls = getattr(nn, name)
        return cls(tuple(pad), 0.5) if kind == "Constant" else cls(tuple(pad))

    shape = {1: (2, 3, 5), 2: (2, 3, 4, 5), 3: (1, 2, 3, 4, 5)}[nd]
    check_module(make, [("f", shape)])
    scalar = (lambda nn: getattr(nn, name)(2, 1.5)) if kind == "Constant" else (lambda nn: getattr(nn, name)(2))
    check_module(scalar, [("f", shape)])


def test_default_inits_match_torch_for_every_parameterised_layer():
    makers = [lambda nn: nn.Conv2d(8, 16, 5), lambda nn: nn.ConvTranspose2d(8, 4, 3, groups=2),
              lambda nn: nn.Conv1d(4, 4, 1, bias=True), lambda nn: nn.Embedding(30, 7),
              lambda nn: nn.EmbeddingBag(30, 7, padding_idx=3), lambda nn: nn.PReLU(6),
              lambda nn: nn.BatchNorm1d(5), lambda nn: nn.LayerNorm(4), lambda nn: nn.GroupNorm(2, 6)]
    for make in makers:
        ref, ours = build(make, 123)
        for (k, v), (k2, v2) in zip(ref.state_dict().items(), ours.state_dict().items()):
            assert k == k2
            close(v, v2, rtol=0, atol=0, what=k)
    # the stream position after construction matches too
    build(makers[0], 5)
    assert float(T.rand(())) == float(torch.rand(()))


def test_softmax_implicit_dim_and_errors():
    for lib in (torch, T):
        with pytest.raises(ValueError, match="Softmax2d: expected input to be 3D or 4D, got 2D instead"):
            lib.nn.Softmax2d()(lib.randn(2, 3))
    with pytest.warns(UserWarning):
        out = T.nn.Softmax()(T.randn(3, 4))
    assert tuple(out.shape) == (3, 4)


def test_interpolate_errors():
    from mstorch.impl.torch.nn.modules.upsampling import interpolate
    x = T.randn(1, 2, 3, 3)
    with pytest.raises(ValueError, match="only one of size or scale_factor should be defined"):
        interpolate(x, size=4, scale_factor=2)
    with pytest.raises(ValueError, match="align_corners option can only be set"):
        interpolate(x, scale_factor=2, align_corners=True)
    with pytest.raises(NotImplementedError, match="Got 4D input, but linear mode needs 3D input"):
        interpolate(x, scale_factor=2, mode="linear")
    assert math.isclose(T.nn.Upsample(scale_factor=2).scale_factor, 2.0)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("packed", [False, True])
def test_ctc_loss(reduction, packed):
    rs = np.random.RandomState(0)
    x = rs.randn(12, 3, 5).astype(np.float32)
    tl, il = np.array([4, 2, 3]), np.array([12, 9, 7])
    tg = rs.randint(1, 5, size=(3, 4))
    tg[0, :2] = 2  # a repeated label forbids the skip transition
    if packed:
        tg = np.concatenate([tg[i, :k] for i, k in enumerate(tl)])
    outs = []
    for lib in (torch, T):
        leaf = lib.tensor(x, requires_grad=True)
        loss = lib.nn.CTCLoss(blank=0, reduction=reduction)(leaf.log_softmax(2), lib.tensor(tg), lib.tensor(il),
                                                             lib.tensor(tl))
        (loss.sum() if reduction == "none" else loss).backward()
        outs.append((repr(lib.nn.CTCLoss()), loss, leaf.grad))
    assert outs[0][0] == outs[1][0]
    close(outs[0][1:], outs[1][1:])


def test_ctc_loss_impossible_alignment_zero_infinity():
    x = np.random.RandomState(1).randn(2, 3, 5).astype(np.float32)
    outs = []
    for lib in (torch, T):
        leaf = lib.tensor(x, requires_grad=True)
        loss = lib.nn.CTCLoss(reduction="none", zero_infinity=True)(
            leaf.log_softmax(2), lib.tensor([[1, 2, 3], [1, 1, 1], [2, 3, 4]]), lib.tensor([2, 2, 2]),
            lib.tensor([3, 1, 2]))
        loss.sum().backward()
        outs.append((loss, leaf.grad))
    close(outs[0], outs[1])
    assert float(outs[1][0][0]) == 0.0


def test_nllloss2d_and_max_unpool3d():
    with pytest.warns(FutureWarning, match="NLLLoss2d` has been deprecated"):
        check_module(lambda nn: nn.NLLLoss2d(), [("f", (2, 3, 4, 4)), ("i", (2, 4, 4), 3)])
    arr = make_inputs([("f", (1, 2, 4, 4, 4))], 0)[0]
    outs = []
    for lib in (torch, T):
        x = lib.tensor(arr, requires_grad=True)
        y, idx = lib.nn.functional.max_pool3d(x, 2, return_indices=True) if lib is torch else (None, None)
        outs.append((x, y, idx))
    y_ours = T.tensor(outs[0][1].detach().numpy(), requires_grad=True)
    z = T.nn.MaxUnpool3d(2)(y_ours, T.tensor(outs[0][2].numpy()))
    ref = torch.nn.MaxUnpool3d(2)(outs[0][1], outs[0][2])
    close(ref, z)
    assert repr(T.nn.MaxUnpool3d(2)) == repr(torch.nn.MaxUnpool3d(2))
