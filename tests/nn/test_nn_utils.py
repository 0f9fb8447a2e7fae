"""torch.nn.utils (clipping, vector conversion, weight/spectral norm, parametrize) vs real torch."""
import warnings

import numpy as np
import pytest
import torch

import mstorch

T = mstorch.torch
RNG = np.random.RandomState(3)
W = [RNG.randn(5, 4).astype(np.float32), RNG.randn(5).astype(np.float32), RNG.randn(3, 2, 2).astype(np.float32)]
G = [RNG.randn(*w.shape).astype(np.float32) * 3 for w in W]


def _np(t):
    return t.detach().numpy()


def _with_grads(lib, skip_last=False):
    ps = [lib.nn.Parameter(lib.tensor(w.copy())) for w in W]
    for i, (p, g) in enumerate(zip(ps, G)):
        if not (skip_last and i == len(ps) - 1):
            p.grad = lib.tensor(g.copy())
    return ps


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, float("inf"), "inf", 0.5])
@pytest.mark.parametrize("foreach", [None, True, False])
def test_clip_grad_norm_matches_torch(norm_type, foreach):
    out = []
    for lib in (T, torch):
        ps = _with_grads(lib, skip_last=True)
        total = lib.nn.utils.clip_grad_norm_(ps, max_norm=1.5, norm_type=norm_type, foreach=foreach)
        out.append((total, [None if p.grad is None else _np(p.grad) for p in ps]))
    (t_m, g_m), (t_t, g_t) = out
    assert isinstance(t_m, T.Tensor) and t_m.dim() == 0 and str(t_m.dtype) == str(t_t.dtype)
    np.testing.assert_allclose(float(t_m), float(t_t), rtol=1e-6)
    for a, b in zip(g_m, g_t):
        if b is None:
            assert a is None
        else:
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_clip_grad_norm_no_clip_single_tensor_and_empty():
    for lib in (T, torch):
        p = _with_grads(lib)[0]
        total = lib.nn.utils.clip_grad_norm_(p, max_norm=1e6)
        np.testing.assert_allclose(_np(p.grad), G[0], rtol=1e-6)
        assert float(total) == pytest.approx(float(np.linalg.norm(G[0])), rel=1e-6)
        assert float(lib.nn.utils.clip_grad_norm_([], 1.0)) == 0.0
        with pytest.warns(UserWarning, match="empty generator"):
            lib.nn.utils.clip_grad_norm_((q for q in []), 1.0)


def test_clip_grad_norm_nonfinite():
    for lib in (T, torch):
        p = _with_grads(lib)[0]
        p.grad[0, 0] = float("nan")
        with pytest.raises(RuntimeError, match="non-finite"):
            lib.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
        total = lib.nn.utils.clip_grad_norm_([p], 1.0)
        assert total.isnan().item()


def test_get_total_norm_and_clip_grads_with_norm():
    res = []
    for lib in (T, torch):
        ps = _with_grads(lib)
        total = lib.nn.utils.get_total_norm([p.grad for p in ps], norm_type=2.0)
        lib.nn.utils.clip_grads_with_norm_(ps, 2.0, total)
        res.append((float(total), [_np(p.grad) for p in ps]))
    assert res[0][0] == pytest.approx(res[1][0], rel=1e-6)
    for a, b in zip(res[0][1], res[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_clip_grad_value_in_place():
    for lib in (T, torch):
        ps = _with_grads(lib, skip_last=True)
        alias = ps[0].grad.view(-1)
        assert lib.nn.utils.clip_grad_value_(ps, 0.7) is None
        np.testing.assert_allclose(_np(ps[0].grad), np.clip(G[0], -0.7, 0.7))
        np.testing.assert_allclose(_np(alias), np.clip(G[0], -0.7, 0.7).reshape(-1))


def test_parameters_vector_round_trip():
    for lib in (T, torch):
        ps = _with_grads(lib)
        vec = lib.nn.utils.parameters_to_vector(ps)
        np.testing.assert_allclose(_np(vec), np.concatenate([w.reshape(-1) for w in W]))
        lib.nn.utils.vector_to_parameters(vec * 2, ps)
        for p, w in zip(ps, W):
            np.testing.assert_allclose(_np(p), 2 * w)
        with pytest.raises(TypeError, match="expected torch.Tensor"):
            lib.nn.utils.vector_to_parameters([1.0], ps)


def _linear(lib, seed=0):
    lib.manual_seed(seed)
    return lib.nn.Linear(4, 3)


@pytest.mark.parametrize("dim", [0, 1, None])
def test_weight_norm_hook_matches_torch(dim):
    res = []
    for lib in (T, torch):
        m = _linear(lib)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            lib.nn.utils.weight_norm(m, dim=dim)
        x = lib.tensor(RNG.__class__(1).randn(2, 4).astype(np.float32))
        y = m(x)
        y.sum().backward()
        names = [n for n, _ in m.named_parameters()]
        res.append((names, _np(y), _np(m.weight_g.grad), _np(m.weight_v.grad), sorted(m.state_dict())))
        lib.nn.utils.remove_weight_norm(m)
        res[-1] += (sorted(m.state_dict()), _np(m.weight))
    for a, b in zip(*res):
        if isinstance(a, np.ndarray):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
        else:
            assert a == b


def test_spectral_norm_hook_matches_torch():
    res = []
    for lib in (T, torch):
        m = _linear(lib)
        lib.manual_seed(7)
        lib.nn.utils.spectral_norm(m, n_power_iterations=2)
        x = lib.tensor(np.random.RandomState(2).randn(2, 4).astype(np.float32))
        ys = [_np(m(x)) for _ in range(3)]
        m.eval()
        ys.append(_np(m(x)))
        sd = m.state_dict()
        res.append((ys, sorted(sd), _np(sd["weight_u"]), _np(sd["weight_v"])))
        lib.nn.utils.remove_spectral_norm(m)
        res[-1] += (sorted(m.state_dict()),)
    (ys_m, k_m, u_m, v_m, k2_m), (ys_t, k_t, u_t, v_t, k2_t) = res
    for a, b in zip(ys_m, ys_t):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(u_m, u_t, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(v_m, v_t, rtol=1e-5, atol=1e-6)
    assert k_m == k_t and k2_m == k2_t


def test_parametrizations_weight_norm_matches_torch():
    res = []
    for lib in (T, torch):
        m = _linear(lib)
        lib.nn.utils.parametrizations.weight_norm(m)
        x = lib.tensor(np.random.RandomState(4).randn(2, 4).astype(np.float32))
        y = m(x)
        y.sum().backward()
        pw = m.parametrizations.weight
        res.append((type(m).__name__, sorted(m.state_dict()), _np(y), _np(pw.original0.grad), _np(pw.original1.grad),
                    [n for n, _ in m.named_parameters()]))
        lib.nn.utils.parametrize.remove_parametrizations(m, "weight")
        res[-1] += (type(m).__name__, sorted(m.state_dict()), _np(m.weight))
    for a, b in zip(*res):
        if isinstance(a, np.ndarray):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
        else:
            assert a == b


def test_parametrizations_spectral_norm_matches_torch():
    res = []
    for lib in (T, torch):
        m = _linear(lib)
        lib.manual_seed(11)
        lib.nn.utils.parametrizations.spectral_norm(m)
        x = lib.tensor(np.random.RandomState(5).randn(2, 4).astype(np.float32))
        ys = [_np(m(x)) for _ in range(2)]
        res.append((ys, sorted(m.state_dict()), _np(m.parametrizations.weight[0]._u)))
    (ys_m, k_m, u_m), (ys_t, k_t, u_t) = res
    for a, b in zip(ys_m, ys_t):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(u_m, u_t, rtol=1e-5, atol=1e-6)
    assert k_m == k_t


def test_custom_parametrization_cached_and_setter():
    class Symmetric:
        pass

    for lib in (T, torch):
        class Sym(lib.nn.Module):
            def forward(self, X):
                return X.triu() + X.triu(1).transpose(-1, -2)

            def right_inverse(self, A):
                return A.triu()

        lib.manual_seed(0)
        m = lib.nn.Linear(3, 3)
        P = lib.nn.utils.parametrize
        P.register_parametrization(m, "weight", Sym())
        assert P.is_parametrized(m) and P.is_parametrized(m, "weight") and not P.is_parametrized(m, "bias")
        assert P.type_before_parametrizations(m) is lib.nn.Linear
        w = _np(m.weight)
        np.testing.assert_allclose(w, w.T)
        with P.cached():
            assert m.weight is m.weight
        A = lib.tensor(np.arange(9, dtype=np.float32).reshape(3, 3))
        m.weight = A
        np.testing.assert_allclose(_np(m.parametrizations.weight.original), np.triu(np.arange(9).reshape(3, 3)))
        P.remove_parametrizations(m, "weight", leave_parametrized=False)
        assert type(m) is lib.nn.Linear and "parametrizations" not in dict(m.named_children())
        with pytest.raises(ValueError, match="does not have a parameter, a buffer"):
            P.register_parametrization(m, "nope", Sym())
        with pytest.raises(ValueError, match="does not have a parametrization on weight"):
            P.remove_parametrizations(m, "weight")


def test_orthogonal_not_supported_names_itself():
    with pytest.raises(NotImplementedError, match="orthogonal"):
        T.nn.utils.parametrizations.orthogonal(T.nn.Linear(3, 3))
