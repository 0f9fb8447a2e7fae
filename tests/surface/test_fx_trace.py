"""torch.fx on mstorch: symbolic_trace of the same module code under real torch (the oracle)
and under mstorch must give the same nodes (op, name, target), the same generated code where
the callables print alike, the same state_dict keys and the same outputs."""
import copy
import math

import numpy as np
import pytest
import torch as real

import mstorch

T = mstorch.torch


def my_helper(x, k):
    """A module-level function registered as a leaf with torch.fx.wrap (both torches)."""
    return x * k + len(x.shape)


real.fx.wrap("my_helper")
T.fx.wrap("my_helper")


def target_name(t):
    return t if isinstance(t, str) else t.__name__


def nodes(gm):
    return [(n.op, n.name, target_name(n.target)) + _arity(n) for n in gm.graph.nodes]


def _arity(n):
    # PyTorch's Python-level torch.nn.functional functions hand every parameter to
    # __torch_function__ as a keyword (log_softmax(x, dim=1) records dtype=None, _stacklevel=3);
    # mstorch records the call as written, so only the op and target are compared for them.
    if n.op == "call_function":
        theirs = getattr(real.nn.functional, getattr(n.target, "__name__", ""), None)
        if getattr(theirs, "__module__", None) == "torch.nn.functional":
            return ()
    return (len(n.args), tuple(sorted(n.kwargs)))


def code(gm):
    # PyTorch's C++ functionals print as torch._C._nn.<name>; mstorch serves them at torch.nn.functional.
    return gm.code.replace("torch._C._nn.", "torch.nn.functional.")


def copy_weights(src, dst):
    dst.load_state_dict({k: T.tensor(v.detach().numpy()) for k, v in src.state_dict().items()})


def out(t):
    return t.detach().numpy()


def trace_both(build, *shape, compare_code=True, atol=1e-5):
    real.manual_seed(0)
    ref = build(real)
    ours = build(T)
    copy_weights(ref, ours)
    ref.eval()
    ours.eval()
    g_ref, g_ours = real.fx.symbolic_trace(ref), T.fx.symbolic_trace(ours)
    assert nodes(g_ours) == nodes(g_ref)
    if compare_code:
        assert code(g_ours) == code(g_ref)
    assert list(g_ours.state_dict()) == list(g_ref.state_dict())
    x = np.random.RandomState(0).randn(*shape).astype("float32")
    expect = out(ref(real.tensor(x)))
    np.testing.assert_allclose(out(g_ours(T.tensor(x))), expect, rtol=1e-4, atol=atol)
    np.testing.assert_allclose(out(ours(T.tensor(x))), expect, rtol=1e-4, atol=atol)
    return g_ref, g_ours


def mlp(torch):
    class MLP(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = torch.nn.Linear(4, 8)
            self.fc2 = torch.nn.Linear(8, 3)
            self.scale = torch.nn.Parameter(torch.ones(3) * 0.5)
            self.register_buffer("shift", torch.arange(3.0))

        def forward(self, x):
            h = torch.relu(self.fc1(x))
            h = h.view(-1, 8) + 1
            return self.fc2(h) * self.scale - self.shift
    return MLP()


def test_mlp_nodes_code_state_and_outputs():
    g_ref, g_ours = trace_both(mlp, 2, 4)
    assert str(g_ours.graph) == str(g_ref.graph)
    assert str(g_ours) == str(g_ref)
    twin = copy.deepcopy(g_ours)
    assert type(twin).__name__ == "MLP" and twin.code == g_ours.code
    x = T.ones(2, 4)
    assert np.array_equal(out(twin(x)), out(g_ours(x)))


def test_plain_function_with_lists_slices_and_keywords():
    def fn(torch):
        def f(x, y, input):
            z = torch.cat([x, y], dim=0).sum(dim=0, keepdim=True)[..., 1:] * 2
            return torch.where(z > 1, z, input).to(torch.float64), x.shape[0]
        return torch.fx.symbolic_trace(f)
    ours, ref = fn(T), fn(real)
    assert nodes(ours) == nodes(ref) and ours.code == ref.code
    a = np.arange(6, dtype="float32").reshape(2, 3)
    got, n = ours(T.tensor(a), T.tensor(a), T.zeros(1, 2))
    want, m = ref(real.tensor(a), real.tensor(a), real.zeros(1, 2))
    assert got.dtype == T.float64 and np.array_equal(got.numpy(), want.numpy()) and n == m


def cnn(torch):
    class CNN(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.features = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, padding=1), torch.nn.BatchNorm2d(4),
                                                torch.nn.ReLU(), torch.nn.MaxPool2d(2))
            self.head = torch.nn.Linear(4 * 4 * 4, 5)

        def forward(self, x):
            x = self.features(x)
            x = torch.flatten(x, 1)
            return torch.nn.functional.log_softmax(self.head(x), dim=1)
    return CNN()


def test_cnn_sequential_is_traced_through_and_layers_stay_leaves():
    g_ref, g_ours = trace_both(cnn, 2, 3, 8, 8, compare_code=False)
    assert [n.op for n in g_ours.graph.nodes].count("call_module") == 5


def looped(torch):
    class Looped(torch.nn.Module):
        def __init__(self, depth=3, gate=True):
            super().__init__()
            self.layers = torch.nn.ModuleList(torch.nn.Linear(4, 4) for _ in range(depth))
            self.gate = gate
            self.const = torch.tensor([1.0, 2.0, 3.0, 4.0])

        def forward(self, x, y=2):
            for i, layer in enumerate(self.layers):
                x = layer(x) + i
                if self.gate:
                    x = torch.sigmoid(x)
            x = x.transpose(0, 1).contiguous().transpose(0, 1)
            return my_helper(x, y) + self.const + math.sqrt(4.0)
    return Looped()


def test_control_flow_on_attributes_wrap_and_tensor_constants():
    g_ref, g_ours = trace_both(looped, 3, 4)
    assert "my_helper" in g_ours.code and "self.const" in g_ours.code


def block(torch):
    F = torch.nn.functional

    class Block(torch.nn.Module):
        """A pre-norm transformer block written out by hand (no nn.MultiheadAttention)."""

        def __init__(self, dim=8, heads=2):
            super().__init__()
            self.heads = heads
            self.ln1 = torch.nn.LayerNorm(dim)
            self.qkv = torch.nn.Linear(dim, 3 * dim)
            self.proj = torch.nn.Linear(dim, dim)
            self.ln2 = torch.nn.LayerNorm(dim)
            self.mlp = torch.nn.Sequential(torch.nn.Linear(dim, 4 * dim), torch.nn.GELU(), torch.nn.Linear(4 * dim, dim))

        def forward(self, x):
            B, L, C = x.shape
            q, k, v = self.qkv(self.ln1(x)).chunk(3, dim=-1)
            q = q.view(B, L, self.heads, C // self.heads).transpose(1, 2)
            k = k.view(B, L, self.heads, C // self.heads).transpose(1, 2)
            v = v.view(B, L, self.heads, C // self.heads).transpose(1, 2)
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(C // self.heads))
            att = F.softmax(att, dim=-1)
            y = (att @ v).transpose(1, 2).contiguous().view(B, L, C)
            x = x + self.proj(y)
            return x + self.mlp(self.ln2(x))
    return Block()


def test_transformer_block():
    trace_both(block, 2, 5, 8, compare_code=False)


def test_graph_edit_relu_to_gelu_and_recompile():
    def edit(torch):
        torch.manual_seed(0)
        m = mlp(torch)
        gm = torch.fx.symbolic_trace(m)
        for node in gm.graph.nodes:
            if node.op == "call_function" and node.target is torch.relu:
                with gm.graph.inserting_after(node):
                    new = gm.graph.call_function(torch.nn.functional.gelu, node.args)
                node.replace_all_uses_with(new)
                gm.graph.erase_node(node)
        gm.graph.lint()
        gm.recompile()
        return gm
    g_ref, g_ours = edit(real), edit(T)
    copy_weights(g_ref, g_ours)
    assert nodes(g_ours) == nodes(g_ref) and code(g_ours) == code(g_ref) and "gelu" in g_ours.code
    x = np.linspace(-2, 2, 8, dtype="float32").reshape(2, 4)
    np.testing.assert_allclose(out(g_ours(T.tensor(x))), out(g_ref(real.tensor(x))), rtol=1e-4, atol=1e-5)
    # dead code goes, and the code says so
    for g in (g_ref, g_ours):
        with g.graph.inserting_before(next(iter(g.graph.nodes)).next):
            g.graph.call_method("sum", (next(iter(g.graph.nodes)),))
        g.graph.eliminate_dead_code()
        g.recompile()
    assert code(g_ours) == code(g_ref)


def test_concrete_args_specialize_with_asserts():
    def run(torch):
        def f(x, flag, n=2, mode=None):
            return x * n if flag else x
        g = torch.fx.symbolic_trace(f, concrete_args={"flag": True, "mode": None})
        try:
            g(torch.ones(2), False)
        except AssertionError as e:
            refused = str(e)
        return g.code, nodes(g), val(g(torch.ones(2), True, 3)), refused
    assert run(T) == run(real)


def test_proxy_iteration_bool_and_len_raise_like_torch():
    def errors(torch):
        found = []
        for body in (lambda x: [a for a in x], lambda x: x if x.sum() > 0 else -x, lambda x: len(x)):
            try:
                torch.fx.symbolic_trace(body)
            except Exception as e:
                found.append((type(e).__name__, str(e)))
        return found
    ours, ref = errors(T), errors(real)
    assert ours == ref
    assert [e[0] for e in ours] == ["TraceError", "TraceError", "RuntimeError"]
    assert issubclass(T.fx.proxy.TraceError, ValueError)


def test_tracer_leaf_override_interpreter_and_transformer():
    def run(torch):
        torch.manual_seed(0)

        class Leafy(torch.fx.Tracer):
            def is_leaf_module(self, m, qualname):
                return isinstance(m, type(inner)) or super().is_leaf_module(m, qualname)

        class Inner(torch.nn.Module):
            def forward(self, x):
                return x * 2

        class Outer(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = Inner()

            def forward(self, x):
                return self.inner(x) + torch.sin(x)
        inner = Inner()
        root = Outer()
        graph = Leafy().trace(root)
        gm = torch.fx.GraphModule(root, graph)

        class AddToMul(torch.fx.Transformer):
            def call_function(self, target, args, kwargs):
                if target is __import__("operator").add:
                    target = __import__("operator").mul
                return super().call_function(target, args, kwargs)
        x = torch.tensor([0.5, 1.0])
        interp = torch.fx.Interpreter(gm).run(x)
        swapped = AddToMul(gm).transform()
        return [nodes(gm), gm.code, val(interp), nodes(swapped), swapped.code, val(swapped(x)),
                type(gm).__name__, isinstance(gm, torch.fx.GraphModule)]
    ours, ref = run(T), run(real)
    assert ours == ref


def val(t):
    return np.round(t.detach().numpy().astype(float), 5).tolist()


def test_print_tabular_needs_tabulate_like_torch(capsys):
    gm = T.fx.symbolic_trace(mlp(T))
    try:
        import tabulate  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError):
            gm.graph.print_tabular()
        assert "tabulate" in capsys.readouterr().out
    else:
        gm.graph.print_tabular()
        assert "call_module" in capsys.readouterr().out


def test_replace_pattern_like_torch():
    def run(torch):
        class M(torch.nn.Module):
            def forward(self, x, w1, w2):
                m1 = torch.cat([torch.neg(w1), w2]).sum()
                m2 = torch.cat([torch.neg(w1), w2]).sum()
                kept = torch.neg(w2) * 2   # neg without the cat: no match
                return x + torch.max(m1) + torch.max(m2) + kept.sum() + torch.relu(x).add(1)

        def pattern(a1, a2):
            return torch.cat([torch.neg(a1), a2]).sum()

        def replacement(w1, w2):
            return torch.stack([w1, w2]).sum()

        def pattern2(a):
            return torch.relu(a).add(1)

        def replacement2(a):
            return torch.sigmoid(a)
        gm = torch.fx.symbolic_trace(M())
        matches = torch.fx.replace_pattern(gm, pattern, replacement)
        matches2 = torch.fx.replace_pattern(gm, pattern2, replacement2)
        x, w = torch.ones(3), torch.arange(3.0)
        return [len(matches), len(matches2), [m.anchor.name for m in matches], gm.code, val(gm(x, w, w * 2)),
                nodes(gm)]
    assert run(T) == run(real)


def resnet18(torch):
    """torchvision's ResNet-18 (BasicBlock, _forward_impl) written out, for the real-torch trace
    (real torchvision does not import beside torch 2.13 here)."""
    nn = torch.nn

    class BasicBlock(nn.Module):
        def __init__(self, inplanes, planes, stride=1, downsample=None):
            super().__init__()
            self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(planes)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(planes)
            self.downsample = downsample

        def forward(self, x):
            identity = x
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            if self.downsample is not None:
                identity = self.downsample(x)
            out += identity
            return self.relu(out)

    class ResNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.inplanes = 64
            self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
            self.bn1 = nn.BatchNorm2d(64)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(3, 2, 1)
            self.layer1 = self._make_layer(64, 1)
            self.layer2 = self._make_layer(128, 2)
            self.layer3 = self._make_layer(256, 2)
            self.layer4 = self._make_layer(512, 2)
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(512, 1000)

        def _make_layer(self, planes, stride):
            down = None
            if stride != 1 or self.inplanes != planes:
                down = nn.Sequential(nn.Conv2d(self.inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))
            layers = [BasicBlock(self.inplanes, planes, stride, down), BasicBlock(planes, planes)]
            self.inplanes = planes
            return nn.Sequential(*layers)

        def forward(self, x):
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            x = torch.flatten(self.avgpool(x), 1)
            return self.fc(x)
    return ResNet()


def test_torchvision_resnet18_traces_like_torch():
    from mstorch import proxy
    ref = resnet18(real)
    ours = proxy.get("torchvision.models").resnet18()
    copy_weights(ref, ours)
    ref.eval()
    ours.eval()
    g_ref, g_ours = real.fx.symbolic_trace(ref), T.fx.symbolic_trace(ours)
    assert nodes(g_ours) == nodes(g_ref)
    assert code(g_ours) == code(g_ref)
    assert list(g_ours.state_dict()) == list(ours.state_dict())
    x = np.random.RandomState(0).randn(1, 3, 32, 32).astype("float32")
    np.testing.assert_allclose(out(g_ours(T.tensor(x))), out(ref(real.tensor(x))), rtol=1e-3, atol=1e-4)
