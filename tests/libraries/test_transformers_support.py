"""Small facts transformers relies on, each checked against real torch: an in-place write to
a loss after its forward (Trainer's `loss *= scale`), silent float->int casts of inf/NaN,
pytree's PyTorch-named key flatteners, torch.xpu's answers, DTensor isinstance checks."""
import warnings

import pytest
import torch as real

import mstorch.torch as T


def test_inplace_scale_of_cross_entropy_loss_keeps_backward():
    logits = [[0.2, -1.0, 0.5], [1.5, 0.3, -0.2], [0.0, 0.1, 0.2], [-0.7, 0.9, 0.4]]
    grads = []
    for lib in (T, real):
        x = lib.tensor(logits, requires_grad=True)
        loss = lib.nn.functional.cross_entropy(x, lib.tensor([0, 1, 2, 1]))
        loss *= 0.5  # legal in PyTorch: nll_loss's backward does not read its output
        loss.backward()
        grads.append(x.grad.flatten().tolist())
    assert grads[0] == pytest.approx(grads[1], rel=1e-5, abs=1e-7)


def test_sort_values_written_in_place_after_forward_keeps_backward():
    grads = []
    for lib in (T, real):
        x = lib.tensor([3.0, 1.0, 2.0], requires_grad=True)
        values, _ = lib.sort(x)
        values.mul_(2)  # sort's backward reads the indices only
        values.sum().backward()
        grads.append(x.grad.tolist())
    assert grads[0] == grads[1]


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool"])
def test_float_to_int_cast_of_inf_and_nan_is_silent_and_equal(dtype):
    values = [float("-inf"), float("inf"), float("nan"), 3e20, 1.5]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = T.tensor(values).to(getattr(T, dtype)).tolist()
    assert got == real.tensor(values).to(getattr(real, dtype)).tolist()


def test_pytree_key_flatteners_have_pytorch_names():
    import torch.utils._pytree as theirs
    ours = T.utils._pytree
    for name in ("_dict_flatten_with_keys", "_list_flatten_with_keys", "_tuple_flatten_with_keys",
                 "_ordereddict_flatten_with_keys", "_defaultdict_flatten_with_keys", "_deque_flatten_with_keys",
                 "_namedtuple_flatten_with_keys"):
        assert callable(getattr(ours, name)), name
    pairs, ctx = ours._dict_flatten_with_keys({"a": 1, "b": 2})
    want_pairs, want_ctx = theirs._dict_flatten_with_keys({"a": 1, "b": 2})
    assert [(str(k), v) for k, v in pairs] == [(str(k), v) for k, v in want_pairs] and ctx == want_ctx


def test_xpu_answers_as_a_build_without_xpu():
    assert (T.xpu.is_available(), T.xpu.device_count(), T.xpu.is_initialized()) == \
        (real.xpu.is_available(), real.xpu.device_count(), real.xpu.is_initialized())
    with pytest.raises(AssertionError, match="not compiled with XPU"):
        T.xpu.current_device()


def test_dtensor_is_a_class_no_tensor_belongs_to():
    DTensor = T.distributed.tensor.DTensor
    assert issubclass(DTensor, T.Tensor) and not isinstance(T.zeros(2), DTensor)
    with pytest.raises(NotImplementedError, match="DTensor"):
        DTensor.from_local(T.zeros(2))


def test_transform_getitem_to_index_indexes_by_tensors():
    TransformGetItemToIndex = T._dynamo._trace_wrapped_higher_order_op.TransformGetItemToIndex
    x = T.arange(12.).reshape(3, 4)
    with TransformGetItemToIndex():
        got = x[T.tensor(1), T.tensor(2)]
    assert got.item() == 6.0
