"""Fixes found by running pytorch/examples under mstorch (tools/run_examples.py)."""
import io

import pytest
import torch

import mstorch
from time_limit import time_limit

T = mstorch.torch


@pytest.fixture(autouse=True)
def _time_limit():
    with time_limit(60):
        yield


@pytest.mark.parametrize("repeats", [(2, 1, 1, 1), (1, 1, 1), (3, 2, 1), (2, 1, 2, 2)])
def test_repeat_returns_new_memory_that_in_place_ops_write(repeats):
    # fast_neural_style: style.repeat(batch, 1, 1, 1) then batch.div_(255.0).
    base = torch.arange(12.).view(3, 2, 2)
    x = T.arange(12.).view(3, 2, 2)
    y = x.repeat(*repeats)
    ref = base.repeat(*repeats)
    assert y.stride() == ref.stride() and y.data_ptr() != x.data_ptr()
    y.div_(255.0)
    ref.div_(255.0)
    assert torch.equal(torch.from_numpy(y.numpy().copy()), ref)
    assert torch.equal(torch.from_numpy(x.numpy().copy()), base)


def test_repeat_gradient_sums_over_copies():
    x = T.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    x.repeat(2, 1, 3).sum().backward()
    assert x.grad.tolist() == [[6., 6.], [6., 6.]]


def test_attention_classes_under_pytorchs_module_paths():
    # word_language_model lists these in its torch.load safe_globals.
    assert T.nn.modules.activation.MultiheadAttention is T.nn.MultiheadAttention
    lin = T.nn.modules.linear.NonDynamicallyQuantizableLinear
    assert issubclass(lin, T.nn.Linear)
    assert type(T.nn.MultiheadAttention(4, 2).out_proj) is lin


def test_whole_multihead_attention_pickle_loads_in_real_torch():
    buf = io.BytesIO()
    T.save(T.nn.MultiheadAttention(4, 2), buf)
    data = buf.getvalue()
    assert b"torch.nn.modules.activation" in data and b"activation_attention" not in data
    m = torch.load(io.BytesIO(data), weights_only=False)
    assert type(m) is torch.nn.MultiheadAttention and type(m.out_proj).__name__ == "NonDynamicallyQuantizableLinear"
