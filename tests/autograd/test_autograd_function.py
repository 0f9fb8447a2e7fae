"""torch.autograd.Function parity: the same Function classes, defined per namespace, give the
same outputs, grads, flags and errors with real torch and with mstorch."""
import pytest
import torch

import mstorch
from test_autograd_engine import both, names  # noqa: F401  (shared comparison helpers)

MT = mstorch.torch


def make(L):
    """Function classes written against namespace L (as a user's module would be)."""
    F = L.autograd.Function

    class Exp(F):  # saves its output
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            y, = ctx.saved_tensors
            return g * y

    class MulConst(F):  # non-tensor argument, saves an input, needs_input_grad
        @staticmethod
        def forward(ctx, x, k, w):
            ctx.save_for_backward(x, w)
            ctx.k = k
            ctx.seen = ctx.needs_input_grad
            return x * w * k

        @staticmethod
        def backward(ctx, g):
            x, w = ctx.saved_tensors
            gx = g * w * ctx.k if ctx.needs_input_grad[0] else None
            gw = g * x * ctx.k if ctx.needs_input_grad[2] else None
            return gx, None, gw

    class Double_(F):  # in place with mark_dirty
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    class Outer(F):  # nested: another Function inside forward
        @staticmethod
        def forward(ctx, x):
            inner = Exp.apply(x)
            ctx.save_for_backward(x)
            return inner * 3, inner.requires_grad

        @staticmethod
        def backward(ctx, g, _):
            x, = ctx.saved_tensors
            return Exp.apply(x) * 3 * g

    class Square(F):  # setup_context style
        @staticmethod
        def forward(x, scale):
            return x * x * scale

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, scale = inputs
            ctx.save_for_backward(x)
            ctx.scale = scale

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 2 * x * g * ctx.scale, None

    class Once(F):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @L.autograd.function.once_differentiable
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 2 * x * g

    class SortLike(F):  # mark_non_differentiable on a second output
        @staticmethod
        def forward(ctx, x):
            vals = x * 2
            idx = (x > 1.5).to(x.dtype)
            ctx.mark_non_differentiable(idx)
            return vals, idx

        @staticmethod
        def backward(ctx, g, gi):
            return g * 2

    class NoMaterialize(F):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 1, x * 2

        @staticmethod
        def backward(ctx, g1, g2):
            # the unused second output's grad arrives as None, not zeros
            return g1 * 10 if g2 is None else g1 + 2 * g2

    class Materialize(F):
        @staticmethod
        def forward(ctx, x):
            return x * 1, x * 2

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 + 2 * g2  # g2 arrives as zeros when the second output is unused

    class NoneGrad(F):
        @staticmethod
        def forward(ctx, x, y):
            return x + y

        @staticmethod
        def backward(ctx, g):
            return g, None

    class WrongCount(F):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g, g

    return dict(Exp=Exp, MulConst=MulConst, Double_=Double_, Outer=Outer, Square=Square, Once=Once,
                SortLike=SortLike, NoMaterialize=NoMaterialize, Materialize=Materialize, NoneGrad=NoneGrad,
                WrongCount=WrongCount)


def x3(L, rg=True):
    return L.tensor([0.5, 1.0, 2.0], requires_grad=rg)


def test_saves_output():
    def f(L):
        x = x3(L)
        y = make(L)["Exp"].apply(x)
        y.sum().backward()
        return y, x.grad, y.requires_grad, y.is_leaf
    both(f)


def test_non_tensor_arg_saves_inputs_needs_input_grad():
    def f(L):
        fn = make(L)["MulConst"]
        x, w = x3(L), x3(L, False)
        y = fn.apply(x, 3.0, w)
        y.sum().backward()
        return y, x.grad, w.grad
    both(f)


def test_needs_input_grad_seen_in_forward():
    def f(L):
        fn = make(L)["MulConst"]
        x, w = x3(L), x3(L, False)

        class Probe(L.autograd.Function):
            @staticmethod
            def forward(ctx, a, k, b):
                Probe.seen = ctx.needs_input_grad
                return a * b

            @staticmethod
            def backward(ctx, g):
                return g, None, None
        Probe.apply(x, 2, w)
        return list(Probe.seen), fn is not None
    both(f)


def test_mark_dirty_inplace():
    def f(L):
        a = x3(L)
        x = a * 1
        y = make(L)["Double_"].apply(x)
        same = y is x
        (y * y).sum().backward()
        return same, x, a.grad, x._version
    both(f)


def test_mark_dirty_on_leaf_raises():
    def f(L):
        make(L)["Double_"].apply(x3(L))
    both(f)


def test_nested_function():
    def f(L):
        x = x3(L)
        y, inner_rg = make(L)["Outer"].apply(x)
        y.sum().backward()
        return y, inner_rg, x.grad
    both(f)


def test_setup_context_style():
    def f(L):
        x = x3(L)
        y = make(L)["Square"].apply(x, 0.5)
        g, = L.autograd.grad(y.sum(), x, create_graph=True)
        gg, = L.autograd.grad(g.sum(), x)
        return y, g, gg
    both(f)


def test_once_differentiable():
    def f(L):
        x = x3(L)
        y = make(L)["Once"].apply(x)
        y.sum().backward(create_graph=True)
        return x.grad, x.grad.requires_grad
    both(f)


def test_once_differentiable_double_backward_raises():
    def f(L):
        x = x3(L)
        y = make(L)["Once"].apply(x)
        g, = L.autograd.grad(y.sum(), x, create_graph=True)
        g.sum().backward()
    both(f)


def test_mark_non_differentiable():
    def f(L):
        x = x3(L)
        v, i = make(L)["SortLike"].apply(x)
        (v * 1).sum().backward()
        return v.requires_grad, i.requires_grad, x.grad
    both(f)


def test_materialize_grads():
    def f(L):
        fns = make(L)
        x = x3(L)
        a, _ = fns["Materialize"].apply(x)
        a.sum().backward()
        x2 = x3(L)
        b, _ = fns["NoMaterialize"].apply(x2)
        b.sum().backward()
        return x.grad, x2.grad
    both(f)


def test_none_gradients():
    def f(L):
        x, y = x3(L), x3(L)
        out = make(L)["NoneGrad"].apply(x, y)
        out.sum().backward()
        return x.grad, y.grad
    both(f)


def test_wrong_number_of_grads_raises():
    def f(L):
        make(L)["WrongCount"].apply(x3(L)).sum().backward()
    both(f)


def test_no_grad_inputs_give_plain_outputs():
    def f(L):
        y = make(L)["Exp"].apply(x3(L, False))
        with L.no_grad():
            z = make(L)["Exp"].apply(x3(L))
        return y.requires_grad, y.grad_fn is None, z.requires_grad
    both(f)


def test_saved_tensor_modified_after_save_raises():
    def f(L):
        x = x3(L)
        h = x * 1
        y = make(L)["MulConst"].apply(h, 2.0, x3(L, False))
        h.add_(1)
        y.sum().backward()
    both(f)


def test_grad_fn_name_and_ctx_attributes():
    def f(L):
        fns = make(L)
        x = x3(L)
        y = fns["Exp"].apply(x)
        return y.grad_fn.name(), type(y.grad_fn).__name__, len(y.grad_fn.next_functions)
    both(f)


def test_saved_variables_alias_and_freed_error():
    def f(L):
        x = x3(L)

        class Old(L.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.save_for_backward(a)
                return a * 2

            @staticmethod
            def backward(ctx, g):
                a, = ctx.saved_variables
                return g * 2 + a * 0
        y = Old.apply(x)
        y.sum().backward()
        g = x.grad.clone()
        y.sum().backward()
        return g
    both(f)


def _amp_module(L, ns):
    """torch.amp / torch.cuda.amp; mstorch's namespaces for them come with autocast (#9):
    until they export the decorators, check ours from mstorch's autograd package."""
    try:
        return L.amp if ns == "amp" else L.cuda.amp
    except AttributeError:
        import types
        from mstorch.impl.torch.autograd import function as fn
        return types.SimpleNamespace(custom_fwd=fn.custom_fwd, custom_bwd=fn.custom_bwd)


@pytest.mark.parametrize("ns", ["amp", "cuda.amp"])
def test_custom_fwd_bwd_decorators(ns):
    def f(L):
        mod = _amp_module(L, ns)
        kw = {"device_type": "cuda"} if ns == "amp" else {}

        class Lin(L.autograd.Function):
            @staticmethod
            @mod.custom_fwd(**kw)
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * 3

            @staticmethod
            @mod.custom_bwd(**kw) if ns == "amp" else mod.custom_bwd
            def backward(ctx, g):
                return g * 3

        class Lin2(L.autograd.Function):
            @staticmethod
            @mod.custom_fwd(cast_inputs=L.float32, **kw)
            def forward(ctx, x):
                return x * 4

            @staticmethod
            @mod.custom_bwd(**kw) if ns == "amp" else mod.custom_bwd
            def backward(ctx, g):
                return g * 4
        if ns == "cuda.amp":
            Bare = type("Bare", (L.autograd.Function,), {
                "forward": staticmethod(mod.custom_fwd(lambda ctx, x: x * 5)),
                "backward": staticmethod(mod.custom_bwd(lambda ctx, g: g * 5))})
        else:
            Bare = Lin
        x = x3(L)
        (Lin.apply(x) + Lin2.apply(x) + Bare.apply(x)).sum().backward()
        return x.grad
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        both(f)
