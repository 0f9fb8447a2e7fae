"""torch.compile / torch.jit / torch.library / cpp_extension / legacy typed tensors / interop,
in-process beside real torch (the oracle) where real torch has the same API."""
import numpy as np
import pytest
import torch as real

import mstorch

T = mstorch.torch


def test_legacy_types_like_pytorch():
    for name in ("FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor",
                 "ByteTensor", "BoolTensor", "BFloat16Tensor"):
        ours, ref = getattr(T, name), getattr(real, name)
        assert str(ours.dtype) == str(ref.dtype) and repr(ours) == repr(ref)
        assert str(ours(2).dtype) == str(ref(2).dtype) and list(ours(2, 3).shape) == [2, 3]
        assert issubclass(ours, T.Tensor) is issubclass(ref, real.Tensor)
    assert isinstance(T.zeros(2), T.FloatTensor) and not isinstance(T.zeros(2), T.LongTensor)
    assert T.zeros(2).type(T.LongTensor).type() == "torch.LongTensor"
    with pytest.raises(TypeError):
        T.FloatTensor(T.zeros(2, dtype=T.int64))


def test_compile_checks_and_shapes():
    m = T.nn.Linear(2, 2)
    c = T.compile(m, backend="eager", dynamic=True, fullgraph=True)
    assert list(c.state_dict()) == ["_orig_mod.weight", "_orig_mod.bias"] and c.in_features == 2
    assert T.compile(m, disable=True) is m
    with pytest.raises(RuntimeError, match="Unrecognized mode"):
        T.compile(m, mode="fast")
    with pytest.raises(RuntimeError, match="Invalid backend"):
        T.compile(m, backend="nonexist")
    with pytest.raises(AssertionError):
        T.compile(3)


def test_jit_runs_eagerly_and_refuses_saving(tmp_path):
    m = T.nn.Linear(2, 2)
    for s in (T.jit.script(m), T.jit.trace(m, T.ones(1, 2))):
        assert T.equal(s(T.ones(1, 2)), m(T.ones(1, 2))) and s.weight is m.weight
        with pytest.raises(NotImplementedError, match="save"):
            s.save(str(tmp_path / "m.pt"))
        with pytest.raises(NotImplementedError, match="graph"):
            s.graph
    with pytest.raises(NotImplementedError, match="torch.jit.save"):
        T.jit.save(m, str(tmp_path / "m.pt"))
    f = T.jit.script(lambda x: x + 1)
    assert f(T.ones(1)).item() == 2 and not T.jit.is_scripting() and not T.jit.is_tracing()
    with pytest.raises(NotImplementedError, match="ScriptFunction.save"):
        f.save("x")
    assert T.jit.ignore(len) is len and T.jit.unused(len) is len and T.jit.export(len) is len


def test_custom_op_errors_match_pytorch():
    Tensor = T.Tensor
    with pytest.raises(ValueError, match="must have a type annotation"):
        T.library.custom_op("cmp::noann", mutates_args=())(lambda x: x)

    @T.library.custom_op("cmp::ident", mutates_args=())
    def ident(x: Tensor) -> Tensor:
        return x
    with pytest.raises(RuntimeError, match="may not alias any inputs"):
        ident(T.ones(1))

    @T.library.custom_op("cmp::two", mutates_args=())
    def two(x: Tensor, k: float = 1.0) -> tuple[Tensor, Tensor]:
        return x + k, x - k
    a, b = two(T.ones(1), k=2.0)
    assert (a.item(), b.item()) == (3.0, -1.0)
    assert two._schema == "cmp::two(Tensor x, float k=1.) -> (Tensor, Tensor)"
    with pytest.raises(NotImplementedError, match="opcheck"):
        T.library.opcheck(two, (T.ones(1),))


def test_ms_tensor_operators_both_ways():
    import mindspore
    ms = mindspore.Tensor(np.array([1.0, 2.0], np.float32))
    t = T.tensor([3.0, 4.0])
    for op in (lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b, lambda a, b: a ** b):
        x, y = op(ms, t), op(t, ms)
        assert type(x) is T.Tensor and type(y) is T.Tensor
        assert np.allclose(x.numpy(), op(ms.asnumpy(), t.numpy()))
    assert type(ms + ms) is mindspore.Tensor  # MindSpore's own operators are untouched


def test_from_torch_shares_memory():
    r = real.arange(4, dtype=real.float64)
    t = mstorch.from_torch(r)
    r[1] = 9
    assert t.tolist() == [0.0, 9.0, 2.0, 3.0] and str(t.dtype) == "torch.float64"
    with pytest.raises(TypeError, match="from_torch"):
        T.add(t, r)
    with pytest.raises(TypeError):
        mstorch.from_torch(np.ones(2))
