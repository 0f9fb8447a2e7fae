"""Sparse COO tensors against real torch: construction, coalescing, conversions, products
(with the gradient into the dense operand gcn/gat need), sums, and refusals."""
import warnings

import numpy as np
import pytest
import torch as real

import mstorch.torch as torch

real.set_num_threads(1)
warnings.filterwarnings("ignore", message="Sparse invariant checks")

IND = [[1, 0, 1, 2], [0, 1, 0, 2]]
VAL = [1.0, 2.0, 3.0, 4.0]


def _np(t):
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


def pair(dtype_real=None, dtype_ours=None):
    return (real.sparse_coo_tensor(IND, VAL, (3, 3), dtype=dtype_real),
            torch.sparse_coo_tensor(IND, VAL, (3, 3), dtype=dtype_ours))


def same_sparse(ours, ref):
    assert ours.layout is torch.sparse_coo and ours.is_sparse
    assert tuple(ours.shape) == tuple(ref.shape) and str(ours.dtype) == str(ref.dtype)
    assert ours.is_coalesced() == ref.is_coalesced()
    assert ours._nnz() == ref._nnz()
    assert (ours.sparse_dim(), ours.dense_dim()) == (ref.sparse_dim(), ref.dense_dim())
    np.testing.assert_array_equal(_np(ours._indices()), _np(ref._indices()))
    np.testing.assert_allclose(_np(ours._values()), _np(ref._values()), rtol=1e-6)


def test_construct_coalesce_and_convert():
    r, o = pair(real.int64, torch.int64)
    same_sparse(o, r)
    with pytest.raises(RuntimeError, match="uncoalesced"):
        o.indices()
    same_sparse(o.coalesce(), r.coalesce())
    np.testing.assert_array_equal(_np(o.to_dense()), _np(r.to_dense()))
    same_sparse(o.to(torch.float64), r.to(real.float64))
    assert o.to("cpu").device.type == "cpu"


def test_numpy_int32_indices_as_gcn_builds_them():
    edges = np.array([[0, 1], [1, 2], [0, 1]], dtype=np.int32)
    r = real.sparse_coo_tensor(edges.T, real.ones(3), (3, 3), dtype=real.int64)
    o = torch.sparse_coo_tensor(edges.T, torch.ones(3), (3, 3), dtype=torch.int64)
    same_sparse(o, r)
    dense_r, dense_o = real.eye(3) + r, torch.eye(3) + o
    assert o.layout is torch.sparse_coo and dense_o.layout is torch.strided
    assert str(dense_o.dtype) == str(dense_r.dtype)
    np.testing.assert_array_equal(_np(dense_o), _np(dense_r))


def test_to_sparse_from_dense():
    a = np.array([[0, 2, 0], [3, 0, 0], [0, 0, 5]], dtype=np.float32)
    same_sparse(torch.tensor(a).to_sparse(), real.tensor(a).to_sparse())
    same_sparse(torch.diag(torch.tensor([1.0, 0.0, 2.0])).to_sparse(),
                real.diag(real.tensor([1.0, 0.0, 2.0])).to_sparse())
    same_sparse(torch.tensor(a).to_sparse(1), real.tensor(a).to_sparse(1))


def test_products_and_sums():
    r, o = pair()
    dn = np.arange(6, dtype=np.float32).reshape(3, 2)
    np.testing.assert_allclose(_np(torch.sparse.mm(o, torch.tensor(dn))), _np(real.sparse.mm(r, real.tensor(dn))))
    np.testing.assert_allclose(_np(torch.spmm(o, torch.tensor(dn))), _np(real.spmm(r, real.tensor(dn))))
    np.testing.assert_allclose(_np(o @ torch.tensor(dn)), _np(r @ real.tensor(dn)))
    left = np.arange(6, dtype=np.float32).reshape(2, 3)
    ours_left, real_left = torch.tensor(left) @ o, real.tensor(left) @ r
    assert ours_left.layout is torch.strided
    np.testing.assert_allclose(_np(ours_left), _np(real_left))
    same_sparse(o @ o, r @ r)
    same_sparse(o.coalesce() + o.coalesce(), r.coalesce() + r.coalesce())
    np.testing.assert_allclose(_np(torch.sparse.sum(o)), _np(real.sparse.sum(r)))
    np.testing.assert_allclose(_np(torch.sum(o)), _np(real.sum(r)))


def test_gradient_into_the_dense_operand():
    r, o = pair()
    w = np.linspace(-1, 1, 6, dtype=np.float32).reshape(3, 2)
    wr, wo = real.tensor(w, requires_grad=True), torch.tensor(w, requires_grad=True)
    (real.spmm(r, wr) ** 2).sum().backward()
    (torch.spmm(o, wo) ** 2).sum().backward()
    np.testing.assert_allclose(_np(wo.grad), _np(wr.grad), rtol=1e-6)


def test_unsupported_ops_are_refused_by_name():
    _, o = pair()
    with pytest.raises(NotImplementedError, match="relu.*sparse_coo"):
        o.relu()
    with pytest.raises(NotImplementedError, match="sparse_coo"):
        o.numpy()
    with pytest.raises(NotImplementedError, match="mul.*sparse_coo"):
        o * 2


def test_bad_input_raises_pytorch_errors():
    with pytest.raises(RuntimeError, match="size is inconsistent"):
        torch.sparse_coo_tensor(IND, VAL, (2, 2))
    with pytest.raises(RuntimeError, match="cannot be multiplied"):
        torch.sparse.mm(pair()[1], torch.ones(2, 2))
