"""torch.func transforms (vmap, jacrev, jacfwd, hessian, jvp, linearize, grad compositions)
against real torch.func as the oracle: each case runs the same program on both namespaces."""
import numpy as np
import pytest
import torch as real

import mstorch.torch as ms

real.set_num_threads(1)
BOTH = (ms, real)


def _np(tree):
    if isinstance(tree, (tuple, list)):
        return [_np(t) for t in tree]
    if isinstance(tree, dict):
        return {k: _np(v) for k, v in tree.items()}
    return tree.detach().numpy() if hasattr(tree, "detach") else tree


def _close(mine, theirs, rtol=1e-5, atol=1e-6):
    if isinstance(theirs, list):
        assert isinstance(mine, list) and len(mine) == len(theirs)
        for m, t in zip(mine, theirs):
            _close(m, t, rtol, atol)
    elif isinstance(theirs, dict):
        assert mine.keys() == theirs.keys()
        for k in theirs:
            _close(mine[k], theirs[k], rtol, atol)
    else:
        assert np.shape(mine) == np.shape(theirs)
        np.testing.assert_allclose(mine, theirs, rtol=rtol, atol=atol)


def _same(program, rtol=1e-5, atol=1e-6):
    """Run program(torch) on mstorch and on real torch; compare the (nested) results."""
    mine, theirs = program(ms), program(real)
    _close(_np(mine), _np(theirs), rtol, atol)
    return mine, theirs


def _data(*shape, seed=0):
    return np.random.default_rng(seed + len(shape)).standard_normal(shape).astype("f4")


def _error(call):
    with pytest.raises(Exception) as info:
        call()
    return info.type, str(info.value)


def _same_error(program):
    mine, theirs = _error(lambda: program(ms)), _error(lambda: program(real))
    assert mine == theirs


# -- vmap ---------------------------------------------------------------------------------------

def test_vmap_in_dims_out_dims_variants():
    a, b, c = _data(3, 4), _data(4, 3, seed=1), _data(4)

    def program(torch):
        x, y, w = torch.tensor(a), torch.tensor(b), torch.tensor(c)
        vmap = torch.func.vmap
        return [vmap(torch.dot)(x, y.t()),
                vmap(lambda p, q: p * q, in_dims=(0, None))(x, w),
                vmap(lambda p, q: p + q, in_dims=(1, 0))(y, x),
                vmap(lambda p: p.sum(0), in_dims=-1)(y),
                vmap(lambda p: (p, p * 2), out_dims=(1, 0))(x),
                vmap(lambda p: p.outer(p), out_dims=-1)(x),
                vmap(lambda p, k: p * k, in_dims=(0, None))(x, 3.0),
                vmap(lambda p, scale: p * scale)(x, scale=w),
                vmap(lambda p: (p.sum(), w * 2), out_dims=(0, None))(x),
                vmap(lambda p: (p.sum(), 7), out_dims=(0, None))(x)]
    _same(program)


def test_vmap_nested_pytrees():
    a, b = _data(2, 3), _data(3, 2, seed=1)

    def program(torch):
        x, y = torch.tensor(a), torch.tensor(b)

        def f(d, pair):
            return {"s": d["x"] + pair[0], "p": (d["y"] * pair[1], d["x"].sum())}
        return torch.func.vmap(f, in_dims=({"x": 0, "y": 1}, (0, None)),
                               out_dims={"s": 1, "p": (0, 0)})(
            {"x": x, "y": y}, (x, torch.tensor(2.0)))["s"]
    _same(program)

    def whole(torch):
        x, y = torch.tensor(a), torch.tensor(b)
        out = torch.func.vmap(lambda d: {"u": d["x"] * 2, "v": [d["y"], d["x"].sum()]},
                              in_dims=({"x": 0, "y": 1},))({"x": x, "y": y})
        return [out["u"], out["v"][0], out["v"][1]]
    _same(whole)


def test_nested_vmap():
    a, b = _data(2, 3, 4), _data(3, 4, seed=1)

    def program(torch):
        x, y = torch.tensor(a), torch.tensor(b)
        vmap = torch.func.vmap
        return [vmap(vmap(torch.dot))(x, x),
                vmap(vmap(torch.dot, in_dims=(0, None)), in_dims=(0, None))(x, y[0]),
                vmap(vmap(lambda p: p.sum(), in_dims=1), in_dims=2)(x),
                vmap(vmap(lambda p, q: p * q, in_dims=(None, 0)), in_dims=(0, None))(y[:, 0], y[0])]
    _same(program)


def test_vmap_chunk_size_gives_the_same_result():
    a = _data(5, 3)
    _same(lambda torch: [torch.func.vmap(lambda p: p.exp().sum(), chunk_size=k)(torch.tensor(a))
                         for k in (None, 1, 2, 5, 9)])


def test_vmap_result_is_differentiable():
    a, c = _data(4, 3), _data(3)

    def program(torch):
        x, w = torch.tensor(a, requires_grad=True), torch.tensor(c, requires_grad=True)
        torch.func.vmap(lambda p: (p * w).tanh().sum())(x).pow(2).sum().backward()
        return [x.grad, w.grad]
    _same(program)


def test_vmap_errors_match_torch():
    a = _data(3, 4)
    for call in (lambda t, x: t.func.vmap(lambda p: p, in_dims=2)(x),
                 lambda t, x: t.func.vmap(lambda p, q: p + q)(x, t.ones(4, 4)),
                 lambda t, x: t.func.vmap(lambda p: p, in_dims=[0])(x),
                 lambda t, x: t.func.vmap(lambda p: p, in_dims=None)(x),
                 lambda t, x: t.func.vmap(lambda p: p, in_dims=(0, 0))(x),
                 lambda t, x: t.func.vmap(lambda p: p, in_dims=0)(3),
                 lambda t, x: t.func.vmap(lambda p: p, in_dims=(None,))(x),
                 lambda t, x: t.func.vmap(lambda p: p)(),
                 lambda t, x: t.func.vmap(lambda p: 3)(x),
                 lambda t, x: t.func.vmap(lambda p: p * 2, out_dims=None)(x),
                 lambda t, x: t.func.vmap(lambda p: (p, p), out_dims=(0, 0, 0))(x),
                 lambda t, x: t.func.vmap(lambda p: p, out_dims="a")(x),
                 lambda t, x: t.func.vmap(lambda p: p, chunk_size=0)(x),
                 lambda t, x: t.func.vmap(lambda p: p, randomness="foo")(x),
                 lambda t, x: t.func.vmap(lambda p: p.unsqueeze(0), out_dims=3)(x)):
        _same_error(lambda torch: call(torch, torch.tensor(a)))


def test_vmap_randomness():
    a = _data(3, 4)

    def noisy(torch):
        return lambda p: p + torch.rand(4)

    # 'error' raises PyTorch's error and leaves the generator where it was
    def error(torch):
        torch.manual_seed(0)
        kind, message = _error(lambda: torch.func.vmap(noisy(torch))(torch.tensor(a)))
        return kind, message, torch.rand(2)
    (k1, m1, after1), (k2, m2, after2) = error(ms), error(real)
    assert (k1, m1) == (k2, m2) and "randomness error mode" in m1
    np.testing.assert_array_equal(after1.numpy(), after2.numpy())
    _same_error(lambda torch: torch.func.vmap(lambda p: torch.nn.functional.dropout(p, 0.5))(torch.tensor(a)))

    def same(torch):
        torch.manual_seed(1)
        out = torch.func.vmap(noisy(torch), randomness="same")(torch.tensor(a))
        return [out, torch.rand(3)]  # the stream moved on by one unbatched draw
    mine, _ = _same(same)
    assert np.allclose(mine[0].numpy() - a, (mine[0].numpy() - a)[0])

    ms.manual_seed(2)
    out = ms.func.vmap(noisy(ms), randomness="different")(ms.tensor(a)).numpy() - a
    assert not np.allclose(out[0], out[1]) and not np.allclose(out[1], out[2])


# -- per-sample gradients -------------------------------------------------------------------

def test_per_sample_gradients_of_an_mlp():
    xs, ys = _data(6, 5), np.array([0, 2, 1, 1, 0, 2])

    def program(torch):
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(5, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
        params = {k: v.detach() for k, v in model.named_parameters()}

        def loss_fn(p, x, y):
            out = torch.func.functional_call(model, p, (x.unsqueeze(0),))
            return torch.nn.functional.cross_entropy(out, y.unsqueeze(0))
        x, y = torch.tensor(xs), torch.tensor(ys)
        grads = torch.func.vmap(torch.func.grad(loss_fn), in_dims=(None, 0, 0))(params, x, y)
        # the per-sample gradients average to the batch gradient
        model.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        for k, v in model.named_parameters():
            np.testing.assert_allclose(grads[k].mean(0).numpy(), v.grad.numpy(), rtol=1e-4, atol=1e-6)
        values = torch.func.vmap(torch.func.grad_and_value(loss_fn), in_dims=(None, 0, 0))(params, x, y)[1]
        return [grads, values]
    _same(program, rtol=1e-4)


def test_vmap_over_vjp_and_jacrev():
    a, c = _data(4, 3), _data(3)

    def program(torch):
        x, w = torch.tensor(a), torch.tensor(c)
        _, vjp_fn = torch.func.vjp(lambda p: p.sin() * w, w)
        return [torch.func.vmap(vjp_fn)(x)[0],
                torch.func.vmap(torch.func.jacrev(lambda p: p.exp() * p.sum()))(x)]
    _same(program)


# -- jacobians, hessian ---------------------------------------------------------------------------

def test_jacrev_and_jacfwd_of_elementwise_and_matrix_functions():
    a, m = _data(4), _data(3, 4)

    def program(torch):
        x, mat = torch.tensor(a), torch.tensor(m)
        out = []
        for jac in (torch.func.jacrev, torch.func.jacfwd):
            out += [jac(torch.sin)(x),
                    jac(lambda p: mat @ p.tanh())(x),
                    jac(lambda p, q: q @ p, argnums=1)(x, mat),
                    jac(lambda p, q: (q @ p).sum(), argnums=(0, 1))(x, mat),
                    jac(lambda p: (p * 2, p.outer(p)))(x),
                    jac(lambda p: p["u"] * p["v"].sum())({"u": x, "v": mat}),
                    jac(lambda p: (p.exp(), p.sum()), has_aux=True)(x),
                    jac(lambda p, q: p * q, argnums=1)(x, x)]
        # negative argnums: PyTorch's jacfwd then differentiates nothing and returns zeros
        out.append(torch.func.jacrev(lambda p, q: p * q, argnums=-1)(x, x.cos()))
        out.append(torch.func.jacfwd(lambda p: (p.int(), p * 3))(x))  # an integer output: zero block
        return out
    _same(program)


def test_hessian_of_a_scalar_function():
    a, m = _data(4), _data(4, 4)

    def program(torch):
        x, mat = torch.tensor(a), torch.tensor(m)

        def f(p, q):
            return (p.sin() * (q @ p)).sum() + (p ** 4).sum()
        return [torch.func.hessian(f)(x, mat),
                torch.func.hessian(f, argnums=(0,))(x, mat),
                torch.func.jacrev(torch.func.jacrev(f))(x, mat),
                torch.func.jacfwd(torch.func.jacfwd(f))(x, mat),
                torch.autograd.functional.hessian(lambda p: f(p, mat), x)]
    _same(program, rtol=1e-4, atol=1e-5)


def test_jacobian_errors_match_torch():
    a = _data(3)
    for call in (lambda t, x: t.func.jacrev(lambda p: p, chunk_size=0)(x),
                 lambda t, x: t.func.jacrev(lambda p: p, argnums=(0, 0))(x),
                 lambda t, x: t.func.jacrev(lambda p: p, argnums=3)(x),
                 lambda t, x: t.func.jacrev(lambda p: p, argnums=[0])(x),
                 lambda t, x: t.func.jacrev(lambda p: p.int())(x),
                 lambda t, x: t.func.jacrev(lambda p: 3)(x),
                 lambda t, x: t.func.jacfwd(lambda p: 3)(x),
                 lambda t, x: t.func.jacfwd(lambda p: p, has_aux=True)(x),
                 lambda t, x: t.func.jacrev(lambda p: p, has_aux=True)(x),
                 lambda t, x: t.func.jacfwd(lambda p: p + t.rand(3))(x),
                 lambda t, x: t.func.jacfwd(lambda p: p, randomness="x")(x)):
        _same_error(lambda torch: call(torch, torch.tensor(a)))


def test_jacfwd_randomness_flags():
    a = _data(3)

    def same(torch):
        torch.manual_seed(3)
        return [torch.func.jacfwd(lambda p: p * torch.rand(3), randomness="same")(torch.tensor(a)), torch.rand(2)]
    _same(same)
    ms.manual_seed(3)
    jac = ms.func.jacfwd(lambda p: p * ms.rand(3), randomness="different")(ms.tensor(a)).numpy()
    assert np.count_nonzero(jac - np.diag(np.diag(jac))) == 0 and len(set(np.diag(jac).tolist())) == 3


# -- jvp, linearize, compositions -------------------------------------------------------------

def test_jvp_matches_forward_mode():
    a, b, m = _data(4), _data(4, seed=1), _data(3, 4)

    def program(torch):
        x, v, mat = torch.tensor(a), torch.tensor(b), torch.tensor(m)
        jvp = torch.func.jvp
        out = [jvp(torch.sin, (x,), (v,)),
               jvp(lambda p, q: (q @ p.exp(), p * 2), (x, mat), (v, mat * 0.5)),
               jvp(lambda p: {"a": p.tanh(), "b": p.sum()}, (x,), (v,))]
        o, t, aux = jvp(lambda p: (p ** 2, p.sum()), (x,), (v,), has_aux=True)
        out.append([o, t, aux])
        out.append(jvp(lambda p: mat.sum(0), (x,), (v,)))  # independent of the input: zero tangent
        return [out[0], out[1], [out[2][0]["a"], out[2][0]["b"], out[2][1]["a"], out[2][1]["b"]], out[3], out[4]]
    _same(program)


def test_jvp_errors_match_torch():
    a = _data(4)
    for call in (lambda t, x: t.func.jvp(lambda p: p, x, x),
                 lambda t, x: t.func.jvp(lambda p: 3, (x,), (x,)),
                 lambda t, x: t.func.jvp(lambda p: t.zeros(2), (x,), (x,), strict=True),
                 lambda t, x: t.func.jvp(lambda p: p, (x,), (t.ones(3),)),
                 lambda t, x: t.func.jvp(lambda p: p, (x,), [x]),
                 lambda t, x: t.func.jvp(lambda p: p, (x,), (x,), has_aux=True)):
        _same_error(lambda torch: call(torch, torch.tensor(a)))


def test_linearize():
    a, b = _data(4), _data(4, seed=1)

    def program(torch):
        x, v = torch.tensor(a), torch.tensor(b)
        out, jvp_fn = torch.func.linearize(lambda p: (p.sin() * p).exp(), x)
        return [out, jvp_fn(v), jvp_fn(torch.ones(4))]
    _same(program)
    _same_error(lambda torch: torch.func.linearize(torch.sin, torch.ones(3))[1](torch.ones(2)))


def test_grad_composes_without_perturbation_confusion():
    def program(torch):
        x = torch.tensor(1.5)
        grad = torch.func.grad
        # d/dx [d/dy (x * y) at y = x] = d/dx x = 1
        return [grad(lambda p: grad(lambda q: p * q)(p))(x),
                grad(lambda p: grad(lambda q: (p * q).sin())(torch.tensor(0.5)))(x),
                torch.func.jacrev(lambda p: torch.func.jvp(lambda q: (q * p).sin(), (p,), (p,))[1])(x)]
    _same(program)


def test_transforms_stay_differentiable_for_outer_autograd():
    a, c = _data(3), _data(3, seed=1)

    def program(torch):
        x, w = torch.tensor(a), torch.tensor(c, requires_grad=True)
        g = torch.func.grad(lambda p: (p * w).sin().sum())(x)  # w is captured and tracked outside
        j = torch.func.jacrev(lambda p: p * w)(x)
        _, t = torch.func.jvp(lambda p: (p * w).exp(), (x,), (x,))
        (g.sum() + j.sum() + t.sum()).backward()
        plain = torch.func.grad(lambda p: (p ** 3).sum())(x)
        assert not plain.requires_grad and g.requires_grad
        return [g, j, t, w.grad]
    _same(program)


# -- torch.autograd.functional --------------------------------------------------------------

def test_autograd_functional_matches_torch():
    a, b, m = _data(3), _data(3, seed=1), _data(2, 3)

    def program(torch):
        x, v, mat = torch.tensor(a), torch.tensor(b), torch.tensor(m)
        AF = torch.autograd.functional

        def f(p):
            return mat @ p.sin()

        def scalar(p, q):
            return (p.exp() * q).sum() + (p ** 3).sum()
        return [AF.vjp(f, x, torch.ones(2)), AF.jvp(f, x, v),
                AF.jacobian(f, x), AF.jacobian(f, x, vectorize=True, strategy="forward-mode"),
                AF.jacobian(lambda p, q: p * q, (x, v)),
                AF.hessian(scalar, (x, v)),
                AF.hessian(lambda p: scalar(p, v), x, vectorize=True, outer_jacobian_strategy="forward-mode"),
                AF.vhp(lambda p: scalar(p, v), x, v), AF.hvp(lambda p: scalar(p, v), x, v)]
    _same(program, rtol=1e-4, atol=1e-5)
    for call in (lambda t, x: t.autograd.functional.jacobian(t.sin, x, strategy="x"),
                 lambda t, x: t.autograd.functional.jacobian(t.sin, x, strategy="forward-mode"),
                 lambda t, x: t.autograd.functional.jacobian(t.sin, x, create_graph=True, strategy="forward-mode",
                                                            vectorize=True),
                 lambda t, x: t.autograd.functional.jacobian(t.sin, x, strict=True, vectorize=True)):
        _same_error(lambda torch: call(torch, torch.tensor(a)))
    with pytest.raises(NotImplementedError, match="strict=True"):
        ms.autograd.functional.vjp(ms.sin, ms.tensor(a), ms.ones(3), strict=True)
