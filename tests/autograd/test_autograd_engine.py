"""Autograd engine parity with real torch: each test runs one program on both namespaces
(`L` is either real `torch` or `mstorch.torch`) and compares what it returns — tensors by
value/dtype/shape, grad_fn names, booleans — and errors by type and message."""
import ast
import pathlib
import re

import numpy as np
import pytest
import torch

import mstorch
from dispatch.tensor import Tensor

MT = mstorch.torch


class Raised:
    def __init__(self, exc):
        self.type, self.msg = type(exc).__name__, str(exc)

    def __repr__(self):
        return f"Raised({self.type}: {self.msg})"


def run(fn, L):
    try:
        return fn(L)
    except Exception as exc:  # the error itself is part of the behaviour compared
        return Raised(exc)


def _norm(v):
    """Comparable form: tensors -> numpy + dtype name; nodes -> their name."""
    if isinstance(v, (torch.Tensor, Tensor)):
        return ("T", str(v.dtype).replace("torch.", ""), tuple(v.shape),
                np.asarray(v.detach().cpu().numpy() if isinstance(v, torch.Tensor) else v.detach().numpy(),
                           dtype=np.float64 if v.dtype.is_floating_point else None))
    if isinstance(v, (list, tuple)):
        return type(v).__name__, [_norm(x) for x in v]
    if isinstance(v, dict):
        return {k: _norm(x) for k, x in v.items()}
    if isinstance(v, torch.dtype) or type(v).__name__ == "dtype":
        return str(v)
    return v


def assert_same(a, b, rtol=1e-5, atol=1e-6, path="result"):
    if isinstance(a, Raised) or isinstance(b, Raised):
        assert isinstance(a, Raised) and isinstance(b, Raised), f"{path}: torch {a!r} vs mstorch {b!r}"
        assert a.type == b.type, f"{path}: torch {a!r} vs mstorch {b!r}"
        assert a.msg == b.msg, f"{path}: message differs\n torch:   {a.msg}\n mstorch: {b.msg}"
        return
    if isinstance(a, tuple) and len(a) == 4 and a[0] == "T":
        assert isinstance(b, tuple) and len(b) == 4 and b[0] == "T", f"{path}: {a} vs {b}"
        assert a[1:3] == b[1:3], f"{path}: dtype/shape torch {a[1:3]} vs mstorch {b[1:3]}"
        np.testing.assert_allclose(b[3], a[3], rtol=rtol, atol=atol, err_msg=path, equal_nan=True)
        return
    if isinstance(a, tuple) and len(a) == 2 and a[0] in ("list", "tuple"):
        assert isinstance(b, tuple) and len(b[1]) == len(a[1]), f"{path}: torch {a} vs mstorch {b}"
        for k, (x, y) in enumerate(zip(a[1], b[1])):
            assert_same(x, y, rtol, atol, f"{path}[{k}]")
        return
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), f"{path}: {a} vs {b}"
        for k in a:
            assert_same(a[k], b[k], rtol, atol, f"{path}[{k!r}]")
        return
    if isinstance(a, float):
        assert b == pytest.approx(a, rel=rtol, abs=atol), f"{path}: torch {a} vs mstorch {b}"
        return
    assert a == b, f"{path}: torch {a!r} vs mstorch {b!r}"


def both(fn, rtol=1e-5, atol=1e-6):
    """Run `fn(L)` with real torch and with mstorch; assert the same outcome; return it."""
    a, b = run(fn, torch), run(fn, MT)
    assert_same(a if isinstance(a, Raised) else _norm(a), b if isinstance(b, Raised) else _norm(b), rtol, atol)
    return a, b


def names(node, depth=4):
    """grad_fn name and the names along next_functions (a comparable picture of the graph)."""
    if node is None:
        return None
    if depth == 0:
        return node.name()
    return [node.name(), [names(n, depth - 1) for n, _ in node.next_functions]]


@pytest.fixture(autouse=True)
def _fresh_modes():
    """A failing test must not leave grad mode or anomaly mode switched for the next one."""
    yield
    for L in (torch, MT):
        L.set_grad_enabled(True)
        L.autograd.set_detect_anomaly(False)


def x3(L, rg=True):
    return L.tensor([1.0, 2.0, 3.0], requires_grad=rg)


# ---- backward ---------------------------------------------------------------------------------

def test_backward_scalar_and_gradient_arg():
    def f(L):
        a = x3(L)
        (a * a).sum().backward()
        b = x3(L)
        (b * 2).backward(L.tensor([1.0, 0.5, -1.0]))
        return a.grad, b.grad
    both(f)


@pytest.mark.parametrize("case", ["nonscalar", "int_out", "no_grad_out", "bad_shape", "bad_shape_grad_api"])
def test_backward_errors(case):
    def f(L):
        a = x3(L)
        if case == "nonscalar":
            (a * 2).backward()
        elif case == "int_out":
            L.tensor([1, 2]).sum().backward()
        elif case == "no_grad_out":
            x3(L, False).sum().backward()
        elif case == "bad_shape":
            (a * 2).backward(L.ones(2))
        else:
            L.autograd.grad(a * 2, a, grad_outputs=L.ones(2))
    both(f)


def test_accumulation_rules():
    def f(L):
        a = x3(L)
        (a * a).sum().backward()
        g1 = a.grad
        first = g1.clone()
        (a * 3).sum().backward()
        same_obj = a.grad is g1            # accumulated in place into the existing buffer
        a.grad = None
        (a * 5).sum().backward()
        a.grad.zero_()
        (a * 7).sum().backward()
        # gradient argument must not become .grad itself
        b = x3(L)
        gr = L.ones(3)
        b.backward(gr)
        alias = b.grad is gr
        gr.mul_(5)
        # .grad of a leaf never requires grad without create_graph
        return first, a.grad, same_obj, alias, b.grad, a.grad.requires_grad, a.grad.grad_fn is None
    both(f)


def test_accumulation_with_create_graph():
    def f(L):
        a = x3(L)
        (a ** 3).sum().backward(create_graph=True)
        g = a.grad
        r = g.requires_grad
        (a ** 2).sum().backward(create_graph=True)
        return r, a.grad, a.grad.requires_grad, a.grad.grad_fn is not None
    both(f)


def test_grad_assign_errors():
    def f(L, kind):
        a = x3(L)
        if kind == 0:
            a.grad = L.ones(2)
        elif kind == 1:
            a.grad = L.ones(3, dtype=L.float64)
        else:
            a.grad = [1, 2, 3]
    for k in range(3):
        both(lambda L: f(L, k))


def test_retain_graph_and_freed_graph_error():
    def f(L):
        a = x3(L)
        y = (a.exp() * a).sum()
        y.backward(retain_graph=True)
        y.backward()
        g = a.grad.clone()
        y.backward()
        return g
    both(f, rtol=1e-5)

    def g(L):
        a = x3(L)
        y = (a * a).sum()
        L.autograd.grad(y, a)
        L.autograd.grad(y, a)
    both(g)


def test_graph_without_saved_tensors_can_rerun():
    def f(L):
        a = x3(L)
        y = (a + 1).sum()
        y.backward()
        y.backward()
        return a.grad
    both(f)


def test_autograd_grad_options():
    def f(L):
        a, b, c = x3(L), L.tensor([0.5, -1.0, 2.0], requires_grad=True), x3(L)
        y = a * b
        ga, gb = L.autograd.grad(y, (a, b), grad_outputs=L.tensor([1.0, 2.0, 3.0]), retain_graph=True)
        gu = L.autograd.grad(y.sum(), [a, c], allow_unused=True, retain_graph=True)
        gm = L.autograd.grad(y.sum(), [a, c], materialize_grads=True, retain_graph=True)
        g, = L.autograd.grad((a ** 3).sum(), a, create_graph=True)
        gg, = L.autograd.grad(g.sum(), a)
        return ga, gb, gu, gm, g, gg, g.requires_grad, a.grad
    both(f)


@pytest.mark.parametrize("case", ["unused", "no_req", "nonleaf_input", "multi_out"])
def test_autograd_grad_cases(case):
    def f(L):
        a, c = x3(L), x3(L)
        if case == "unused":
            return L.autograd.grad((a * 2).sum(), [a, c])
        if case == "no_req":
            return L.autograd.grad((a * 2).sum(), [x3(L, False)])
        if case == "nonleaf_input":
            m = a * 2
            return L.autograd.grad((m * m).sum(), m)
        y1, y2 = a * 2, a * a
        return L.autograd.grad([y1.sum(), y2.sum()], a)
    both(f)


def test_autograd_backward_and_inputs():
    def f(L):
        a, b = x3(L), x3(L)
        y1, y2 = a * b, (a * 3).sum()
        L.autograd.backward([y1, y2], [L.ones(3), None])
        c, d = x3(L), x3(L)
        (c * d).sum().backward(inputs=[c])
        return a.grad, b.grad, c.grad, d.grad
    both(f)


# ---- grad modes -----------------------------------------------------------------------------

def test_grad_modes_context_managers():
    def f(L):
        a = x3(L)
        out = []
        with L.no_grad():
            y = a * 2
            out.append((y.requires_grad, L.is_grad_enabled()))
            with L.enable_grad():
                out.append((a * 2).requires_grad)
        with L.set_grad_enabled(False):
            out.append((a * 2).requires_grad)
        L.set_grad_enabled(False)
        out.append((a * 2).requires_grad)
        L.set_grad_enabled(True)
        with L.inference_mode():
            z = a * 2
            out.append((z.requires_grad, L.is_inference_mode_enabled(), L.is_grad_enabled()))
        with L.inference_mode(False):
            out.append((a * 2).requires_grad)
        out.append((L.is_grad_enabled(), L.is_inference_mode_enabled()))
        return out
    both(f)


def test_grad_modes_decorators_and_generators():
    def f(L):
        a = x3(L)

        @L.no_grad()
        def g1():
            return (a * 2).requires_grad

        @L.no_grad
        def g2():
            return (a * 2).requires_grad

        @L.enable_grad()
        def g3():
            return (a * 2).requires_grad

        @L.inference_mode()
        def g4():
            return (a * 2).requires_grad, L.is_inference_mode_enabled()

        @L.set_grad_enabled(False)
        def g5():
            return (a * 2).requires_grad

        @L.no_grad()
        def gen():
            for i in range(2):
                yield (a * i).requires_grad, L.is_grad_enabled()

        res = [g1(), g2(), g4(), g5()]
        with L.no_grad():
            res.append(g3())
        it = gen()
        res.append(next(it))
        res.append(((a * 2).requires_grad, L.is_grad_enabled()))   # outside the generator: on again
        res.append(next(it))
        res.append(L.is_grad_enabled())
        res.append(g1.__name__)
        return res
    both(f)


def test_set_grad_enabled_restores_after_exception():
    def f(L):
        try:
            with L.no_grad():
                raise ValueError("x")
        except ValueError:
            pass
        return L.is_grad_enabled()
    both(f)


# ---- tensor flags ---------------------------------------------------------------------------

def test_requires_grad_detach_is_leaf():
    def f(L):
        a = L.tensor([1.0, 2.0])
        r = [a.requires_grad, a.is_leaf]
        a.requires_grad_()
        r += [a.requires_grad, a.is_leaf]
        y = a * 2
        r += [y.is_leaf, y.requires_grad]
        d = y.detach()
        r += [d.requires_grad, d.is_leaf, d.grad_fn is None]
        d.add_(1)                      # shares storage with y
        r.append(y)
        y2 = a * 3
        y2.detach_()
        r += [y2.requires_grad, y2.is_leaf, y2.grad_fn is None]
        a.requires_grad_(False)
        r.append(a.requires_grad)
        return r
    both(f)


@pytest.mark.parametrize("case", ["int_rg", "nonleaf_off", "view_detach_"])
def test_flag_errors(case):
    def f(L):
        if case == "int_rg":
            L.tensor([1, 2]).requires_grad_()
        elif case == "nonleaf_off":
            (x3(L) * 2).requires_grad_(False)
        else:
            b = x3(L) * 2
            b[0:2].detach_()
    both(f)


def test_grad_fn_names_and_next_functions():
    def f(L):
        a, b = x3(L), x3(L)
        y = (a * b + a.exp()).sum()
        z = (a * 2 - 1) / b
        w = L.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        m = (w * w.t()).relu().mean()  # (`@`, torch.mm/matmul are not in the table yet)
        return names(y.grad_fn), names(z.grad_fn), names(m.grad_fn)
    both(f)


def test_retain_grad():
    def f(L):
        a = x3(L)
        y = a * 2
        y.retain_grad()
        z = (y * y).sum()
        z.backward(retain_graph=True)
        g1 = y.grad.clone()
        z.backward()
        return g1, y.grad, y.retains_grad, a.retains_grad
    both(f)


def test_register_hook_leaf_and_nonleaf():
    def f(L):
        seen = []
        a = x3(L)
        h = a.register_hook(lambda g: g * 10)
        y = a * 2
        y.register_hook(lambda g: seen.append(g.clone()))
        y.register_hook(lambda g: g + 1)
        y.retain_grad()
        (y * y).sum().backward()
        r = [a.grad.clone(), y.grad, seen]
        h.remove()
        a.grad = None
        (a * 1).sum().backward()
        r.append(a.grad)
        return r
    both(f)


def test_register_hook_on_non_requiring_tensor():
    both(lambda L: x3(L, False).register_hook(lambda g: g))


def test_post_accumulate_grad_hook():
    def f(L):
        a = x3(L)
        seen = []
        a.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.clone()))
        (a * 3).sum().backward()
        return seen
    both(f)


def test_node_hooks():
    def f(L):
        a = x3(L)
        y = a * 2
        seen = []
        y.grad_fn.register_prehook(lambda go: (go[0] * 3,))
        y.grad_fn.register_hook(lambda gi, go: seen.append((gi[0].clone(), go[0].clone())))
        y.sum().backward()
        return a.grad, seen
    both(f)


# ---- in-place and views ---------------------------------------------------------------------

@pytest.mark.parametrize("op", ["mul_", "add_", "zero_", "setitem", "copy_"])
def test_inplace_on_leaf_requiring_grad_raises(op):
    def f(L):
        a = x3(L)
        if op == "mul_":
            a.mul_(2)
        elif op == "add_":
            a += 1
        elif op == "zero_":
            a.zero_()
        elif op == "setitem":
            a[0] = 5.0
        else:
            a.copy_(L.ones(3))
    both(f)


def test_inplace_on_leaf_under_no_grad_is_allowed():
    def f(L):
        a = x3(L)
        with L.no_grad():
            a.mul_(2)
            a[0] = 7.0
        (a * a).sum().backward()
        return a, a.grad, a.is_leaf, a._version
    both(f)


def test_inplace_on_view_of_leaf_raises():
    def f(L):
        a = x3(L)
        a[0:2].mul_(2)
    both(f)


def test_inplace_rebases_nonleaf_history():
    def f(L):
        a = x3(L)
        x = a * 1
        x.mul_(2)
        x.add_(a)
        x.exp_()
        r = [names(x.grad_fn)]
        x.sum().backward()
        return r, a.grad, x._version
    both(f)


@pytest.mark.parametrize("kind", ["index", "select", "slice", "view", "transpose", "setitem", "chain"])
def test_inplace_through_view_of_nonleaf(kind):
    def f(L):
        a = L.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
        x = a * 1
        if kind == "index":
            x[0].mul_(2)
        elif kind == "select":
            x.select(0, 0).mul_(2)
        elif kind == "slice":
            x[:, 1:].mul_(x[:, :2].detach())
        elif kind == "view":
            x.view(6)[2:4].add_(a.view(6)[0:2])
        elif kind == "transpose":
            x.t()[0].mul_(3)
        elif kind == "setitem":
            x[1, 0] = a[0, 0] * 5
        else:
            v = x[1]
            v.mul_(2)
            v[1:].exp_()
        r = [x.grad_fn.name(), x._version]
        (x * x).sum().backward()
        return r, a.grad
    both(f)


def test_view_grad_fn_after_inplace_on_base():
    def f(L):
        a = x3(L)
        x = a * 1
        v = x[1:]
        x.mul_(2)                      # the view sees the change; its history is regenerated
        (v * v).sum().backward()
        return a.grad, v
    both(f)


def test_grads_flow_from_views_to_bases():
    def f(L):
        a = L.arange(12.0).reshape(3, 4).requires_grad_()
        y = a[1:, ::2].sum() * 2 + a.t()[0].pow(2).sum() + a.view(-1)[5] + a.transpose(0, 1).unsqueeze(0).sum()
        y = y + a.narrow(1, 1, 2).exp().sum() * 0 + a.expand(2, 3, 4).sum() + a.permute(1, 0).reshape(-1)[3]
        y.backward()
        return a.grad
    both(f)


@pytest.mark.parametrize("kind", ["output", "input", "view_of_saved", "inplace_after_use"])
def test_saved_tensor_modified_inplace_raises(kind):
    def f(L):
        a = x3(L)
        if kind == "output":
            y = a.exp()
            y.add_(1)
            y.sum().backward()
        elif kind == "input":
            b = a * 1
            y = b * b
            b.add_(1)
            y.sum().backward()
        elif kind == "view_of_saved":
            b = a * 1
            y = b.sin()
            b[0].mul_(2)
            y.sum().backward()
        else:
            b = a * 1
            y = b + 2                  # add saves nothing: in-place later is fine
            b.mul_(3)
            y.sum().backward()
            return a.grad
    both(f)


# ---- anomaly detection ----------------------------------------------------------------------

def test_detect_anomaly_reports_nan_op():
    def f(L):
        a = L.tensor([0.0, 1.0], requires_grad=True)
        with pytest.warns(UserWarning):
            with L.autograd.detect_anomaly():
                y = a.sqrt() * 0
                y = (a.sqrt() / a).sum()
                y.backward()
    both(f)


def test_set_detect_anomaly_and_flags():
    from mstorch.impl.torch import grad_mode

    def f(L):
        # torch.is_anomaly_enabled is not exported by mstorch's top-level namespace yet
        # (reported); the autograd side is checked through grad_mode meanwhile.
        on = L.is_anomaly_enabled if L is torch else grad_mode.is_anomaly_enabled
        r = [on()]
        with L.autograd.set_detect_anomaly(True):
            r.append(on())
        r.append(on())
        with L.autograd.detect_anomaly(check_nan=False):
            r.append(on())
        L.autograd.set_detect_anomaly(True)
        r.append(on())
        L.autograd.set_detect_anomaly(False)
        r.append(on())
        return r
    both(f)


# ---- design rule ----------------------------------------------------------------------------

def _autograd_uses(tree):
    """Every reach into MindSpore's autograd in one module: imports and attribute chains."""
    banned = {"grad", "value_and_grad", "vjp", "jvp"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if "_c_expression" in a.name:
                    yield a.name
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if "_c_expression" in mod:
                yield mod
            if mod.split(".")[0] == "mindspore":
                for a in node.names:
                    if a.name in banned or a.name == "_c_expression":
                        yield f"from {mod} import {a.name}"
        elif isinstance(node, ast.Attribute):
            if node.attr == "_c_expression":
                yield "._c_expression"
            if node.attr in banned and isinstance(node.value, ast.Name) and \
                    node.value.id in ("mindspore", "ms", "ops", "mint"):
                yield f"{node.value.id}.{node.attr}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                node.value.startswith("mindspore._c_expression"):
            yield node.value  # importlib.import_module("mindspore._c_expression")


def test_dispatch_uses_no_mindspore_autograd():
    root = pathlib.Path(__file__).resolve().parents[2] / "dispatch"
    bad = [f"{p.relative_to(root.parent)}: {u}" for p in sorted(root.rglob("*.py"))
           for u in _autograd_uses(ast.parse(p.read_text()))]
    assert not bad, bad
    # the scanner itself must catch the spellings it is meant to catch
    probe = "import mindspore\nfrom mindspore import value_and_grad\nmindspore.grad(f)\n" \
            "from mindspore._c_expression import run_backward\nimport mindspore as ms\nms.vjp(f, x)\n"
    assert len(list(_autograd_uses(ast.parse(probe)))) == 4
