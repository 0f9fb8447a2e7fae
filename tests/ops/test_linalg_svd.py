"""torch.linalg.svd / svdvals, torch.svd, torch._linalg_svd, torch.svd_lowrank and
torch.pca_lowrank vs real torch.

Singular values are unique, and compared as values. Singular vectors are unique only up to the
sign of each (u_i, v_i) pair (for distinct singular values) and LAPACK builds choose the sign
differently (PyTorch links MKL, NumPy OpenBLAS), so vectors are compared up to that sign, and
gradients through sign-invariant functions of them, where PyTorch's are unique."""
import numpy as np
import pytest
import torch

import mstorch

T = mstorch.torch


def _pair(shape, dtype="float64", seed=0):
    a = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    return T.tensor(a), torch.tensor(a)


def _same_up_to_sign(got_u, want_u, got_vh, want_vh, tol):
    """Columns of U (rows of Vh) equal up to one sign per singular pair."""
    gu, wu, gv, wv = (np.asarray(x.tolist()) for x in (got_u, want_u, got_vh, want_vh))
    k = min(gu.shape[-1], gv.shape[-2])
    sign = np.sign(np.sum(gu[..., :, :k] * wu[..., :, :k], axis=-2))  # (..., k)
    np.testing.assert_allclose(gu[..., :, :k] * sign[..., None, :], wu[..., :, :k], atol=tol)
    np.testing.assert_allclose(gv[..., :k, :] * sign[..., :, None], wv[..., :k, :], atol=tol)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (2, 6, 4), (2, 3, 4, 2)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_linalg_svd_matches_torch(shape, dtype):
    a, ta = _pair(shape, dtype)
    got, want = T.linalg.svd(a, full_matrices=False), torch.linalg.svd(ta, full_matrices=False)
    assert type(got).__name__ == "linalg_svd" and got._fields == ("U", "S", "Vh")
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(got.S.tolist(), want.S.tolist(), rtol=tol, atol=tol)
    assert str(got.U.dtype) == str(want.U.dtype) and str(got.S.dtype) == str(want.S.dtype)
    assert [x.stride() for x in got] == [x.stride() for x in want]  # LAPACK's column-major factors
    _same_up_to_sign(got.U, want.U, got.Vh, want.Vh, 10 * tol)
    rebuilt = (got.U * got.S.unsqueeze(-2)) @ got.Vh
    np.testing.assert_allclose(rebuilt.tolist(), ta.tolist(), atol=10 * tol)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4)])
def test_full_matrices_give_orthonormal_square_factors(shape):
    a, ta = _pair(shape)
    got, want = T.linalg.svd(a), torch.linalg.svd(ta)
    assert [tuple(x.shape) for x in got] == [tuple(x.shape) for x in want]
    m, n = shape[-2:]
    np.testing.assert_allclose((got.U.mT @ got.U).tolist(), np.broadcast_to(np.eye(m), got.U.shape), atol=1e-12)
    np.testing.assert_allclose((got.Vh @ got.Vh.mT).tolist(), np.broadcast_to(np.eye(n), got.Vh.shape), atol=1e-12)
    np.testing.assert_allclose(got.S.tolist(), want.S.tolist(), rtol=1e-12)


def test_torch_svd_and_svdvals_match_torch():
    a, ta = _pair((4, 6))
    got, want = T.svd(a), torch.svd(ta)
    assert got._fields == ("U", "S", "V") and type(got).__name__ == "svd"
    _same_up_to_sign(got.U, want.U, got.V.mT, want.V.mT, 1e-12)
    assert [tuple(x.shape) for x in T.svd(a, some=False)] == [tuple(x.shape) for x in torch.svd(ta, some=False)]
    got, want = T.svd(a, compute_uv=False), torch.svd(ta, compute_uv=False)
    assert got.U.tolist() == want.U.tolist() and got.V.tolist() == want.V.tolist()  # zero-filled, as documented
    np.testing.assert_allclose(got.S.tolist(), want.S.tolist(), rtol=1e-12)
    np.testing.assert_allclose(T.linalg.svdvals(a).tolist(), torch.linalg.svdvals(ta).tolist(), rtol=1e-12)
    u, s, vh = T._linalg_svd(a, compute_uv=False)
    wu, ws, wvh = torch._linalg_svd(ta, compute_uv=False)
    assert tuple(u.shape) == tuple(wu.shape) == (0,) and tuple(vh.shape) == tuple(wvh.shape)


def test_empty_matrices_match_torch():
    for shape in [(3, 0), (0, 2), (2, 0, 0)]:
        a, ta = _pair(shape)
        got, want = T.linalg.svd(a), torch.linalg.svd(ta)
        for g, w in zip(got, want):
            assert tuple(g.shape) == tuple(w.shape) and g.tolist() == w.tolist()


def _grads(lib, a, w1, w2, w3, full_matrices):
    a = a.clone().requires_grad_(True)
    U, S, Vh = lib.linalg.svd(a, full_matrices=full_matrices)
    k = S.shape[-1]
    # squares of the entries do not see the sign of a singular pair
    loss = (U[..., :k] ** 2 * w1).sum() + (S * w2).sum() + (Vh[..., :k, :] ** 2 * w3).sum()
    loss.backward()
    return a.grad


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (2, 5, 3)])
@pytest.mark.parametrize("full_matrices", [False, True])
def test_svd_gradient_matches_torch(shape, full_matrices):
    m, n = shape[-2:]
    k = min(m, n)
    a, ta = _pair(shape)
    ws = [_pair(shape[:-2] + (m, k), seed=1), _pair(shape[:-1][:-1] + (k,), seed=2), _pair(shape[:-2] + (k, n), seed=3)]
    got = _grads(T, a, *(w[0] for w in ws), full_matrices)
    want = _grads(torch, ta, *(w[1] for w in ws), full_matrices)
    np.testing.assert_allclose(got.tolist(), want.tolist(), rtol=1e-8, atol=1e-10)


def test_svdvals_gradient_matches_torch_also_for_repeated_values():
    # the identity's singular vectors are any orthonormal basis, yet U diag(1) V^T is unique
    for data in (np.random.default_rng(4).standard_normal((4, 3)), np.eye(3)):
        a, ta = T.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
        T.linalg.svdvals(a).sum().backward()
        torch.linalg.svdvals(ta).sum().backward()
        np.testing.assert_allclose(a.grad.tolist(), ta.grad.tolist(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("call", [
    lambda lib: lib.linalg.svd(lib.ones(3)),
    lambda lib: lib.linalg.svd(lib.ones(3, 3, dtype=lib.long)),
    lambda lib: lib.linalg.svd(lib.ones(3, 3), driver="gesvd"),
    lambda lib: lib.linalg.svdvals(lib.ones(3)),
    lambda lib: lib.svd(lib.ones(3)),
    lambda lib: lib.linalg.svd(lib.ones(3, 3, dtype=lib.float16)),
    lambda lib: lib.pca_lowrank(lib.ones(3, 3), q=5),
])
def test_errors_match_torch(call):
    with pytest.raises(Exception) as want:
        call(torch)
    with pytest.raises(Exception) as got:
        call(T)
    assert type(got.value) is type(want.value)
    assert str(got.value) == str(want.value)


def _lowrank(lib, fn, shape, **kw):
    lib.manual_seed(11)
    a = lib.tensor(np.random.default_rng(5).standard_normal(shape))
    U, S, V = fn(lib)(a, **kw)
    return U, S, V, (U * S.unsqueeze(-2)) @ V.mT, lib.randn(3)


@pytest.mark.parametrize("shape,kw", [((12, 8), {"q": 3}), ((6, 10), {"q": 4, "niter": 3}), ((2, 9, 7), {}),
                                      ((10, 5), {"q": 5, "niter": 0})])
def test_svd_lowrank_draws_and_results_match_torch(shape, kw):
    got = _lowrank(T, lambda lib: lib.svd_lowrank, shape, **kw)
    want = _lowrank(torch, lambda lib: lib.svd_lowrank, shape, **kw)
    assert isinstance(got[:3], tuple) and [tuple(x.shape) for x in got[:3]] == [tuple(x.shape) for x in want[:3]]
    np.testing.assert_allclose(got[1].tolist(), want[1].tolist(), rtol=1e-10)
    np.testing.assert_allclose(got[3].tolist(), want[3].tolist(), atol=1e-10)  # U diag(S) V^T
    _same_up_to_sign(got[0], want[0], got[2].mT, want[2].mT, 1e-8)
    assert got[4].tolist() == want[4].tolist()  # the generator moved on exactly as torch's


def test_svd_lowrank_with_M_and_pca_lowrank_match_torch():
    for fn, kw in [(lambda lib: lib.pca_lowrank, {"q": 3}), (lambda lib: lib.pca_lowrank, {"center": False}),
                   (lambda lib: (lambda a, **k: lib.svd_lowrank(a, M=a.mean(0, keepdim=True), **k)), {"q": 2})]:
        got, want = _lowrank(T, fn, (9, 6), **kw), _lowrank(torch, fn, (9, 6), **kw)
        np.testing.assert_allclose(got[1].tolist(), want[1].tolist(), rtol=1e-10)
        np.testing.assert_allclose(got[3].tolist(), want[3].tolist(), atol=1e-10)
        assert got[4].tolist() == want[4].tolist()
