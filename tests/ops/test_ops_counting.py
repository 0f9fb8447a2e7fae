"""isin / bincount / cartesian_prod beyond the parity samples: scalar overloads, output
dtypes, errors that need particular data (negative counts), identity for one operand."""
import pytest
import torch as real

import mstorch.torch as T

real.set_num_threads(1)


def _both(fn):
    try:
        expected = fn(real)
    except Exception as e:  # noqa: BLE001 - the oracle's error type is the expectation
        with pytest.raises(type(e)) as info:
            fn(T)
        assert str(info.value) == str(e)
        return
    assert repr(fn(T)) == repr(expected)


@pytest.mark.parametrize("case", [
    lambda m: m.isin(m.tensor([1, 2, 3]), 2),
    lambda m: m.isin(2, m.tensor([1, 2])),
    lambda m: m.isin(m.tensor([1, 2, 3]), m.tensor([1.0, 2.5])),
    lambda m: m.isin(m.tensor([1.0, float("nan")]), m.tensor([float("nan"), 1.0]), invert=True),
    lambda m: m.isin(m.tensor([True]), m.tensor([1])),
    lambda m: m.bincount(m.tensor([0, 3, 1, 1]), m.tensor([1, 2, 3, 4])),
    lambda m: m.bincount(m.tensor([0, 3, 1, 1]), m.tensor([0.5, 1, 2, 3], dtype=m.float16)),
    lambda m: m.tensor([0, 3, 1], dtype=m.uint8).bincount(minlength=6),
    lambda m: m.bincount(m.tensor([], dtype=m.int64), minlength=2),
    lambda m: m.bincount(m.tensor([1, -1])),
    lambda m: m.bincount(m.tensor([1.0])),
    lambda m: m.bincount(m.tensor(1)),
    lambda m: m.cartesian_prod(m.tensor([1, 2]), m.tensor([3]), m.tensor([4, 5])),
    lambda m: m.cartesian_prod(m.ones(0), m.ones(2)).shape,
    lambda m: m.cartesian_prod(),
    lambda m: m.cartesian_prod(m.ones(())),
])
def test_matches_torch(case):
    _both(case)


def test_cartesian_prod_of_one_tensor_is_that_tensor_and_grads_flow():
    a = T.tensor([1.0, 2.0], requires_grad=True)
    assert T.cartesian_prod(a) is a
    T.cartesian_prod(a, a * 3).pow(2).sum().backward()
    ar = real.tensor([1.0, 2.0], requires_grad=True)
    real.cartesian_prod(ar, ar * 3).pow(2).sum().backward()
    assert a.grad.tolist() == ar.grad.tolist()
