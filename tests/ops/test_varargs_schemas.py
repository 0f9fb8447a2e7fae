"""Ops whose schema takes a Python varargs tensor list (`Tensor... tensors`): called with
the tensors spread or as one list, against real torch."""
import numpy as np
import pytest
import torch

import mstorch.torch as mt

torch.set_num_threads(1)

SIZES = (2, 3, 1, 2, 4)


def _pair(n):
    v = np.random.default_rng(n).standard_normal(n).astype(np.float32)
    return torch.tensor(v), mt.tensor(v)


@pytest.mark.parametrize("indexing", ["ij", "xy"])
@pytest.mark.parametrize("as_list", [False, True])
def test_meshgrid_of_five_tensors_equals_torchs(indexing, as_list):
    pairs = [_pair(n) for n in SIZES]
    ts, ms = [p[0] for p in pairs], [p[1] for p in pairs]
    want = torch.meshgrid(*ts, indexing=indexing)
    got = mt.meshgrid(ms, indexing=indexing) if as_list else mt.meshgrid(*ms, indexing=indexing)
    assert len(got) == len(want) == 5
    for g, w in zip(got, want):
        assert tuple(g.shape) == tuple(w.shape)
        np.testing.assert_array_equal(g.numpy(), w.numpy())


def test_broadcast_tensors_cartesian_prod_and_einsum_take_any_number_of_tensors():
    pairs = [_pair(n) for n in (2, 3, 4)]
    ts, ms = [p[0] for p in pairs], [p[1] for p in pairs]
    for g, w in zip(mt.broadcast_tensors(ms[0][:, None, None], ms[1][:, None], ms[2]),
                    torch.broadcast_tensors(ts[0][:, None, None], ts[1][:, None], ts[2])):
        np.testing.assert_array_equal(g.numpy(), w.numpy())
    np.testing.assert_array_equal(mt.cartesian_prod(*ms).numpy(), torch.cartesian_prod(*ts).numpy())
    np.testing.assert_allclose(mt.einsum("i,j,k->ijk", *ms).numpy(), torch.einsum("i,j,k->ijk", *ts).numpy(),
                               rtol=1e-6)
    np.testing.assert_allclose(mt.einsum("i,j->ij", [ms[0], ms[1]]).numpy(),
                               torch.einsum("i,j->ij", [ts[0], ts[1]]).numpy(), rtol=1e-6)


def test_a_non_tensor_in_the_list_is_a_type_error_like_torchs():
    with pytest.raises(TypeError):
        torch.meshgrid(torch.ones(2), 3)
    with pytest.raises(TypeError):
        mt.meshgrid(mt.ones(2), 3)
