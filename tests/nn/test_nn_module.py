"""nn.Module behaviour against real torch: registration, traversal, state_dict round trips, modes,
conversions, hooks, repr, and freedom to use every attribute name MindSpore's Cell defines."""
import numpy as np
import pytest
import torch

import mstorch

T = mstorch.torch


def close(a, b, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=rtol, atol=atol)


def make_net(lib, seed=0):
    nn, F = lib.nn, lib.nn.functional

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3, padding=1)
            self.bn = nn.BatchNorm2d(4)
            self.register_buffer("scale", lib.ones(1))
            self.register_buffer("tmp", lib.zeros(2), persistent=False)

        def forward(self, x):
            return F.relu(self.bn(self.conv(x))) * self.scale

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.block = Block()
            self.seq = nn.Sequential(nn.Flatten(), nn.Linear(4 * 4 * 4, 8), nn.ReLU(), nn.Dropout(0.0))
            self.heads = nn.ModuleList([nn.Linear(8, 2), nn.Linear(8, 3)])
            self.table = nn.ModuleDict({"a": nn.Identity(), "b": nn.Tanh()})
            self.alpha = nn.Parameter(lib.tensor(0.5))
            self.plist = nn.ParameterList([nn.Parameter(lib.randn(2))])
            self.shared = self.heads[0]
            self.nothing = None

        def forward(self, x):
            h = self.table["b"](self.seq(self.block(x)))
            return self.heads[0](h) * self.alpha + self.shared(h) + self.plist[0].sum(), self.heads[1](h)

    lib.manual_seed(seed)
    return Net()


@pytest.fixture
def nets():
    return make_net(torch), make_net(T)


X = np.random.RandomState(0).randn(2, 3, 4, 4).astype(np.float32)


def test_repr_and_traversal(nets):
    ref, ours = nets
    assert repr(ours) == repr(ref)
    for args in [{}, {"prefix": "net"}, {"recurse": False}, {"remove_duplicate": False}]:
        assert [n for n, _ in ours.named_parameters(**args)] == [n for n, _ in ref.named_parameters(**args)]
        assert [n for n, _ in ours.named_buffers(**args)] == [n for n, _ in ref.named_buffers(**args)]
    for args in [{}, {"prefix": "m"}, {"remove_duplicate": False}]:
        assert [n for n, _ in ours.named_modules(**args)] == [n for n, _ in ref.named_modules(**args)]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in ref.named_children()]
    assert len(list(ours.parameters())) == len(list(ref.parameters()))
    assert len(list(ours.modules())) == len(list(ref.modules()))
    assert [type(m).__name__ for m in ours.children()] == [type(m).__name__ for m in ref.children()]
    assert ours.nothing is None and "nothing" not in dict(ours.named_children())


def test_state_dict_values_and_metadata(nets):
    ref, ours = nets
    rs, os_ = ref.state_dict(), ours.state_dict()
    assert list(os_) == list(rs)
    for k in rs:
        close(rs[k], os_[k], 0, 0)
        assert not os_[k].requires_grad
    assert dict(os_._metadata) == dict(rs._metadata)
    kv = ours.state_dict(keep_vars=True)
    assert kv["alpha"] is ours.alpha
    assert list(ours.state_dict(prefix="p.")) == list(ref.state_dict(prefix="p."))


def test_load_state_dict_results_and_errors(nets):
    ref, ours = nets
    sd_r, sd_o = ref.state_dict(), ours.state_dict()
    fresh_r, fresh_o = make_net(torch, 1), make_net(T, 1)
    assert repr(fresh_o.load_state_dict(sd_o)) == repr(fresh_r.load_state_dict(sd_r)) == \
        "<All keys matched successfully>"
    for k in sd_r:
        close(sd_r[k], fresh_o.state_dict()[k], 0, 0)
    for sd in (sd_r, sd_o):
        sd.pop("alpha")
        sd["extra.weight"] = sd["block.scale"]
    res_r = fresh_r.load_state_dict(sd_r, strict=False)
    res_o = fresh_o.load_state_dict(sd_o, strict=False)
    assert res_o.missing_keys == res_r.missing_keys == ["alpha"]
    assert res_o.unexpected_keys == res_r.unexpected_keys == ["extra.weight"]
    assert repr(res_o) == repr(res_r)
    with pytest.raises(RuntimeError) as er:
        fresh_r.load_state_dict(sd_r)
    with pytest.raises(RuntimeError) as eo:
        fresh_o.load_state_dict(sd_o)
    assert str(eo.value) == str(er.value)
    bad_r, bad_o = ref.state_dict(), ours.state_dict()
    bad_r["alpha"], bad_o["alpha"] = torch.zeros(3), T.zeros(3)
    with pytest.raises(RuntimeError) as er:
        fresh_r.load_state_dict(bad_r)
    with pytest.raises(RuntimeError) as eo:
        fresh_o.load_state_dict(bad_o)
    assert str(eo.value) == str(er.value)
    assert "num_batches_tracked" not in [k for k in sd_o if k not in ours.state_dict()]


def test_load_state_dict_copies_in_place_or_assigns(nets):
    _, ours = nets
    target = make_net(T, 3)
    w = target.heads[1].weight
    target.load_state_dict(ours.state_dict())
    assert target.heads[1].weight is w
    close(ours.heads[1].weight, w, 0, 0)
    sd = {k: v.clone() for k, v in ours.state_dict().items()}
    target.load_state_dict(sd, assign=True)
    assert target.heads[1].weight is not w
    assert isinstance(target.heads[1].weight, T.nn.Parameter) and target.heads[1].weight.requires_grad
    assert target.block.scale is sd["block.scale"]


def test_old_batchnorm_checkpoint_without_num_batches_tracked():
    for lib in (torch, T):
        bn = lib.nn.BatchNorm1d(3)
        sd = bn.state_dict()
        del sd["num_batches_tracked"]
        sd._metadata[""]["version"] = 1
        keep = dict(sd)
        assert repr(lib.nn.BatchNorm1d(3).load_state_dict(sd)) == "<All keys matched successfully>"
        assert list(sd) == list(keep)


def test_forward_backward_train_eval(nets):
    ref, ours = nets
    for mode in ("train", "eval"):
        getattr(ref, mode)()
        getattr(ours, mode)()
        assert [m.training for m in ours.modules()] == [m.training for m in ref.modules()]
        xr, xo = torch.tensor(X, requires_grad=True), T.tensor(X, requires_grad=True)
        (ar, br), (ao, bo) = ref(xr), ours(xo)
        close(ar, ao, 1e-4, 1e-5)
        close(br, bo, 1e-4, 1e-5)
        ((ar * ar).sum() + br.sum()).backward()
        ((ao * ao).sum() + bo.sum()).backward()
        close(xr.grad, xo.grad, 1e-4, 1e-5)
        for (n, p), (_, q) in zip(ref.named_parameters(), ours.named_parameters()):
            close(p.grad, q.grad, 1e-4, 1e-5)
        for (n, b), (_, c) in zip(ref.named_buffers(), ours.named_buffers()):
            close(b, c, 1e-4, 1e-5)
        ref.zero_grad()
        ours.zero_grad()
        assert all(p.grad is None for p in ours.parameters())
    a, b = ours(T.tensor(X))
    (a.sum() + b.sum()).backward()
    ours.zero_grad(set_to_none=False)
    assert all(p.grad is not None and float(p.grad.abs().sum()) == 0 for p in ours.parameters())


def test_apply_requires_grad_and_conversions(nets):
    ref, ours = nets
    seen_r, seen_o = [], []
    ref.apply(lambda m: seen_r.append(type(m).__name__))
    assert ours.apply(lambda m: seen_o.append(type(m).__name__)) is ours
    assert seen_o == seen_r
    ours.requires_grad_(False)
    assert not any(p.requires_grad for p in ours.parameters())
    ours.requires_grad_()
    for conv, dt in (("double", T.float64), ("half", T.float16), ("float", T.float32)):
        getattr(ref, conv)()
        assert getattr(ours, conv)() is ours
        assert {p.dtype for p in ours.parameters()} == {dt}
        assert ours.block.bn.running_mean.dtype == dt
        assert ours.block.bn.num_batches_tracked.dtype == T.long
    p = ours.alpha
    assert ours.to(T.float64) is ours and ours.alpha.dtype == T.float64
    assert ours.alpha is p and isinstance(ours.alpha, T.nn.Parameter)
    ours.to("cpu", T.float32)
    assert ours.alpha.dtype == T.float32 and ours.alpha.device.type == "cpu"
    assert ours.cpu() is ours
    ref.double()
    ours.double()
    out_r, out_o = ref(torch.tensor(X, dtype=torch.float64)), ours(T.tensor(X, dtype=T.float64))
    close(out_r[0], out_o[0], 1e-6, 1e-8)
    assert out_o[0].dtype == T.float64


def test_forward_pre_and_forward_hooks():
    outs = []
    for lib in (torch, T):
        lib.manual_seed(0)
        lin = lib.nn.Linear(3, 2)
        calls = []
        h1 = lin.register_forward_pre_hook(lambda m, args: (args[0] * 2,))
        h2 = lin.register_forward_hook(lambda m, args, out: out + 1)
        h3 = lin.register_forward_pre_hook(lambda m, args, kwargs: calls.append(sorted(kwargs)), with_kwargs=True)
        h4 = lin.register_forward_hook(lambda m, args, kwargs, out: calls.append("post"), with_kwargs=True)
        x = lib.ones(1, 3)
        a = lin(x)
        h1.remove()
        h2.remove()
        b = lin(x)
        h3.remove()
        h4.remove()
        c = lin(x)
        outs.append((a, b, c, calls))
    for r, o in zip(outs[0][:3], outs[1][:3]):
        close(r, o)
    assert outs[0][3] == outs[1][3]


def test_full_backward_hook_and_pre_hook():
    results = []
    for lib in (torch, T):
        lib.manual_seed(0)
        seq = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 2))
        got = []

        def hook(m, gin, gout):
            got.append(("hook", [None if g is None else g.detach().numpy().copy() for g in gin],
                        [g.detach().numpy().copy() for g in gout]))
            return tuple(None if g is None else g * 3 for g in gin)

        def pre(m, gout):
            got.append(("pre", [g.detach().numpy().copy() for g in gout]))

        seq[1].register_full_backward_hook(hook)
        seq[2].register_full_backward_pre_hook(pre)
        x = lib.tensor(np.arange(6, dtype=np.float32).reshape(2, 3) / 5, requires_grad=True)
        seq(x).pow(2).sum().backward()
        results.append((got, x.grad, seq[0].weight.grad))
    (gr, xr, wr), (go, xo, wo) = results
    assert [g[0] for g in go] == [g[0] for g in gr]
    for a, b in zip(gr, go):
        for u, v in zip(a[1:], b[1:]):
            for uu, vv in zip(u, v):
                np.testing.assert_allclose(vv, uu, rtol=1e-5, atol=1e-6)
    close(xr, xo)
    close(wr, wo)


def test_get_submodule_parameter_buffer(nets):
    ref, ours = nets
    assert ours.get_submodule("block.bn") is ours.block.bn
    assert ours.get_submodule("heads.1") is ours.heads[1]
    assert ours.get_submodule("") is ours
    assert ours.get_parameter("block.conv.weight") is ours.block.conv.weight
    assert ours.get_buffer("block.scale") is ours.block.scale
    for name in ("block.nope", "alpha.x"):
        with pytest.raises(AttributeError) as er:
            ref.get_submodule(name)
        with pytest.raises(AttributeError) as eo:
            ours.get_submodule(name)
        assert str(eo.value) == str(er.value)


def test_registration_rules():
    for lib in (torch, T):
        nn = lib.nn
        m = nn.Module()
        m.w = nn.Parameter(lib.zeros(2))
        with pytest.raises(TypeError, match="cannot assign"):
            m.w = lib.zeros(2)
        m.w = None
        assert "w" in m._parameters and m.w is None
        m.sub = nn.Linear(1, 1)
        with pytest.raises(TypeError):
            m.sub = 3
        del m.sub
        assert not hasattr(m, "sub")
        m.register_buffer("b", lib.ones(1))
        m.b = lib.zeros(1)
        assert "b" in m._buffers
        with pytest.raises(KeyError):
            m.register_buffer("a.b", lib.ones(1))
        with pytest.raises(KeyError, match="already exists"):
            m.plain = 1
            m.register_parameter("plain", nn.Parameter(lib.ones(1)))
        with pytest.raises(AttributeError, match="'Module' object has no attribute 'missing'"):
            m.missing
        m.add_module("child", nn.ReLU())
        m.register_module("child2", nn.ReLU())
        assert [n for n, _ in m.named_children()] == ["child", "child2"]


def test_nested_repr_with_extra_lines():
    def build(nn):
        class Custom(nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Sequential(nn.ReLU(inplace=True)))

            def extra_repr(self):
                return "line one\nline two"
        return nn.ModuleDict({"c": Custom(), "e": nn.Sequential(), "p": nn.ParameterList()})

    assert repr(build(T.nn)) == repr(build(torch.nn))


def _cell_names():
    import mindspore
    torch_attrs = set(dir(torch.nn.Module)) | set(vars(torch.nn.Module()))
    names = set(dir(mindspore.nn.Cell)) | set(vars(mindspore.nn.Cell()))
    return sorted(n for n in names - torch_attrs if not n.startswith("__") and n != "bprop")


CELL_NAMES = _cell_names()


@pytest.mark.parametrize("name", CELL_NAMES)
def test_every_cell_attribute_name_is_free(name):
    results = []
    for lib in (torch, T):
        nn = lib.nn
        lib.manual_seed(0)
        m = nn.Sequential(nn.Linear(3, 2))
        sentinel = object()
        setattr(m, name, sentinel)
        assert getattr(m, name) is sentinel
        holder = nn.Module()
        setattr(holder, name, nn.Linear(2, 2))
        setattr(m, "p_" + name, nn.Parameter(lib.ones(1)))
        out = m(lib.ones(1, 3))
        results.append((out, list(m.state_dict()), repr(m), [n for n, _ in holder.named_modules()],
                        [n for n, _ in holder.named_parameters()]))
        setattr(holder, name, nn.Parameter(lib.zeros(1)))
        assert [n for n, _ in holder.named_parameters()] == [name]
        setattr(holder, name, None)
        assert getattr(holder, name) is None and [n for n, _ in holder.named_parameters()] == []
    close(results[0][0], results[1][0])
    assert results[0][1:] == results[1][1:]


def test_cell_method_names_as_user_methods():
    for lib in (torch, T):
        nn = lib.nn

        class Net(nn.Module):
            phase = "train"

            def __init__(self):
                super().__init__()
                self.cells = nn.ModuleList([nn.Linear(2, 2)])
                self.parameters_dict = {"k": 1}
                self.training_steps = 0

            def construct(self, x):
                return x + 1

            def cells_and_names(self):
                return "mine"

            def trainable_params(self):
                return 42

            def forward(self, x):
                return self.cells[0](self.construct(x))

        net = Net()
        assert net.cells_and_names() == "mine" and net.trainable_params() == 42
        assert net.phase == "train" and net.parameters_dict == {"k": 1}
        assert tuple(net(lib.ones(1, 2)).shape) == (1, 2)
        assert [n for n, _ in net.named_parameters()] == ["cells.0.weight", "cells.0.bias"]
        net.phase = "eval"
        net.insert_child_to_cell = 5
        assert net.phase == "eval" and net.insert_child_to_cell == 5
