"""The real, unmodified einops on mstorch tensors (through the import hook), against the
same calls on real torch: values, dtypes, exceptions and gradients for every dtype
mstorch serves; einops.layers.torch inside nn.Modules; and einops' own test-suite
(shipped in the wheel, einops/tests) run for the torch backend in a child process."""
import contextlib
import os
import subprocess
import sys

import numpy as np
import pytest
import torch as real

import einops
import mstorch
from einops.layers import torch as _real_layers  # noqa: F401  (bound to real torch until enable())

T = mstorch.torch
DTYPES = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"]
FLOATS = {"float32", "float64", "float16", "bfloat16"}
TOL = {"float32": 1e-5, "float64": 1e-12, "float16": 2e-3, "bfloat16": 1e-2}


@contextlib.contextmanager
def served():
    mstorch.enable()
    try:
        import torch
        assert torch is T
        yield
    finally:
        mstorch.disable()


def _array(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.random(shape) > 0.5
    if dtype in FLOATS:
        return rng.standard_normal(shape).astype(np.float32)
    lo = 0 if dtype == "uint8" else -3
    return rng.integers(lo, 4, shape).astype(dtype)


def _make(lib, a, dtype, grad):
    t = lib.tensor(a).to(getattr(lib, dtype))
    return t.requires_grad_() if grad else t


def _host(x):
    if isinstance(x, (list, tuple)):
        return [_host(v) for v in x]
    if isinstance(x, dict):
        return {k: _host(v) for k, v in x.items()}
    if hasattr(x, "detach"):
        x = x.detach()
        if str(x.dtype).endswith("bfloat16"):
            x = x.float()
        return (str(x.dtype).replace("torch.", ""), x.numpy())
    return x


def _run(lib, fn, arrays, dtype, grad):
    tensors = [_make(lib, a, dtype, grad) for a in arrays]
    try:
        out = fn(lib, *tensors)
    except Exception as exc:  # the oracle's exception type is part of the contract
        return ("raised", type(exc).__name__), None
    grads = None
    if grad:
        first = out[0] if isinstance(out, (list, tuple)) else out
        weights = lib.tensor(np.linspace(-1, 1, first.numel(), dtype=np.float32).reshape(tuple(first.shape)))
        (first * weights.to(first.dtype)).sum().backward()
        grads = [_host(t.grad) if t.grad is not None else None for t in tensors]
    return _host(out), grads


def _assert_same(ours, ref, dtype):
    if isinstance(ref, list):
        assert isinstance(ours, list) and len(ours) == len(ref)
        for o, r in zip(ours, ref):
            _assert_same(o, r, dtype)
    elif isinstance(ref, dict):
        assert ours.keys() == ref.keys()
        for k in ref:
            _assert_same(ours[k], ref[k], dtype)
    elif isinstance(ref, tuple) and len(ref) == 2 and isinstance(ref[1], np.ndarray):
        assert ours[0] == ref[0], (ours[0], ref[0])
        assert ours[1].shape == ref[1].shape
        tol = TOL.get(dtype, 0)
        np.testing.assert_allclose(ours[1].astype(np.float64), ref[1].astype(np.float64), rtol=tol, atol=tol)
    else:
        assert ours == ref


def _compare(fn, shapes, dtype, grad=None):
    if grad is None:
        grad = dtype in ("float32", "float64")
    arrays = [_array(s, dtype, i) for i, s in enumerate(shapes)]
    with served():
        ours = _run(T, fn, arrays, dtype, grad)
    ref = _run(real, fn, arrays, dtype, grad)
    _assert_same(ours[0], ref[0], dtype)
    if ref[1] is not None:
        for o, r in zip(ours[1], ref[1]):
            _assert_same(o, r, dtype)


OPS = {
    "rearrange_split": (lambda lib, x: einops.rearrange(x, "b (h w) c -> b c h w", h=2), [(2, 6, 3)]),
    "rearrange_merge": (lambda lib, x: einops.rearrange(x, "b c h w -> (b h) (w c)"), [(2, 3, 2, 4)]),
    "rearrange_list": (lambda lib, x, y: einops.rearrange([x, y], "n a b -> a (n b)"), [(3, 4), (3, 4)]),
    "repeat": (lambda lib, x: einops.repeat(x, "h w -> (h 2) w c", c=3), [(3, 4)]),
    "repeat_new_axis": (lambda lib, x: einops.repeat(x, "c -> b c", b=4), [(5,)]),
    "reduce_sum": (lambda lib, x: einops.reduce(x, "b c (h h2) -> b h c", "sum", h2=2), [(2, 3, 4)]),
    "reduce_mean": (lambda lib, x: einops.reduce(x, "b c h w -> b c", "mean"), [(2, 3, 4, 2)]),
    "reduce_max": (lambda lib, x: einops.reduce(x, "b c (h 2) -> b c h", "max"), [(2, 3, 4)]),
    "reduce_min": (lambda lib, x: einops.reduce(x, "b c h -> c", "min"), [(2, 3, 4)]),
    "reduce_prod": (lambda lib, x: einops.reduce(x, "b c -> c", "prod"), [(2, 3)]),
    "reduce_any": (lambda lib, x: einops.reduce(x, "b c -> b", "any"), [(2, 3)]),
    "einsum": (lambda lib, x, y: einops.einsum(x, y, "b i k, b k j -> b i j"), [(2, 3, 4), (2, 4, 5)]),
    "einsum_trace_sum": (lambda lib, x: einops.einsum(x, "i j -> i"), [(3, 4)]),
    "pack_unpack": (lambda lib, x, y: einops.unpack(*einops.pack([x, y], "b * c"), "b * c"),
                    [(2, 3, 4), (2, 4)]),
    "pack": (lambda lib, x, y: einops.pack([x, y], "b * c")[0], [(2, 3, 5, 4), (2, 4)]),
    "parse_shape": (lambda lib, x: einops.parse_shape(x, "b _ h w"), [(2, 3, 4, 5)]),
}


NO_GRAD = {"parse_shape", "reduce_any"}  # outputs are a dict of ints / a bool tensor

# Engine gaps found by these tests (one line each, reported to the ops-table owner). strict: a fix
# turns the case into XPASS, which fails, so the line gets removed.
KNOWN_GAPS = {
    ("einsum_trace_sum", d): "einsum 'i j -> i' on small ints keeps the dtype; torch's sum promotes to int64"
    for d in ("int32", "int16", "int8", "uint8", "bool")
}
KNOWN_GAPS[("einsum", "bool")] = "einsum on bool raises RuntimeError (bmm kernel); torch raises NotImplementedError"


def _gap(op, dtype):
    reason = KNOWN_GAPS.get((op, dtype))
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


@pytest.mark.parametrize("op,dtype", [pytest.param(op, d, marks=_gap(op, d)) for op in sorted(OPS) for d in DTYPES])
def test_op_matches_real_torch(op, dtype):
    fn, shapes = OPS[op]
    _compare(fn, shapes, dtype, grad=False if op in NO_GRAD else None)


@pytest.mark.parametrize("op,dtype", [
    pytest.param(op, d)
    for op in ("rearrange_merge", "repeat", "reduce_sum", "pack_unpack") for d in ("float16", "bfloat16")])
def test_half_precision_backward(op, dtype):
    fn, shapes = OPS[op]
    _compare(fn, shapes, dtype, grad=True)


def test_errors_match():
    for bad in (lambda lib, x: einops.rearrange(x, "a b -> a"),
                lambda lib, x: einops.rearrange(x, "(a b) c -> a b c", a=4)):
        _compare(bad, [(3, 5)], "float32", grad=False)
    with served():
        with pytest.raises(einops.EinopsError):
            einops.rearrange(T.zeros(3, 5), "a b c -> a")


def _layers_model(lib, layers):
    nn = lib.nn
    return nn.Sequential(
        nn.Conv2d(3, 4, kernel_size=3),
        layers.Reduce("b c (h h2) (w w2) -> b c h w", "max", h2=2, w2=2),
        layers.Rearrange("b c h w -> b (c h w)"),
        nn.Linear(4 * 3 * 3, 6),
        layers.EinMix("b c1 -> b c2", weight_shape="c1 c2", bias_shape="c2", c1=6, c2=5),
        layers.Reduce("b (c k) -> b c", "mean", k=5),
    )


class _Block:
    """A user nn.Module holding einops layers, written once for either torch."""

    @staticmethod
    def build(lib, layers):
        class Block(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.split = layers.Rearrange("b (g c) -> b g c", g=2)
                self.mix = layers.EinMix("b g c -> b g d", weight_shape="g c d", g=2, c=3, d=4)

            def forward(self, x):
                return einops.reduce(self.mix(self.split(x)), "b g d -> b d", "sum")
        return Block()


def _train_once(lib, seed, x_np):
    import einops.layers.torch as layers
    lib.manual_seed(seed)
    model = _layers_model(lib, layers)
    block = _Block.build(lib, layers)
    x = lib.tensor(x_np, requires_grad=True)
    y = model(x)
    z = block(lib.tensor(x_np[:, 0, 0, :6]))
    (y.square().sum() + z.sum()).backward()
    state = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
    grads = {k: p.grad.numpy().copy() for k, p in model.named_parameters()}
    return y.detach().numpy(), z.detach().numpy(), x.grad.numpy(), state, grads, repr(model)


def test_layers_inside_modules_match_real_torch():
    x = np.random.default_rng(0).standard_normal((2, 3, 8, 8)).astype(np.float32)
    with served():
        ours = _train_once(T, 11, x)
    ref = _train_once(real, 11, x)
    assert list(ours[3]) == list(ref[3])  # same state_dict keys, e.g. 4.weight / 4.bias of EinMix
    for k in ref[3]:
        np.testing.assert_array_equal(ours[3][k], ref[3][k], err_msg=k)  # seeded init is torch's
    for o, r in zip(ours[:3], ref[:3]):
        np.testing.assert_allclose(o, r, rtol=1e-4, atol=1e-5)
    for k in ref[4]:
        np.testing.assert_allclose(ours[4][k], ref[4][k], rtol=1e-4, atol=1e-5, err_msg=k)
    assert ours[5] == ref[5]


def test_layers_pickle_and_state_dict_roundtrip():
    import pickle
    with served():
        import einops.layers.torch as layers
        T.manual_seed(0)
        model = _layers_model(T, layers)
        clone = pickle.loads(pickle.dumps(model))
        x = T.randn(2, 3, 8, 8)
        np.testing.assert_array_equal(model(x).detach().numpy(), clone(x).detach().numpy())
        other = _layers_model(T, layers)
        other.load_state_dict(model.state_dict())
        np.testing.assert_array_equal(model(x).detach().numpy(), other(x).detach().numpy())


# --- einops' own test-suite, torch backend -------------------------------------------------------------

def test_einops_own_suite_torch_backend(tmp_path):
    tests_dir = os.path.join(os.path.dirname(einops.__file__), "tests")
    assert os.path.isfile(os.path.join(tests_dir, "test_ops.py")), "the einops wheel ships its tests"
    env = {k: v for k, v in os.environ.items() if k not in ("MSTORCH_ENABLE", "PYTEST_ADDOPTS")}
    env.update(MSTORCH_ENABLE="1", EINOPS_TEST_BACKENDS="torch")
    # test_torch_compile_for_functions compares a float32 run with a float64 one at 1e-5 on an unseeded
    # torch.rand input; its einsum sums 68,880 float32 terms near 23,000, which real torch's eager
    # kernels get wrong by 0.05-0.36 depending on the draw (measured: the same errors as ours), over
    # the 0.23 allowed, so with compile running eagerly it passes or fails by the draw (1 run in 3).
    flaky = "einops/tests/test_other.py::test_torch_compile_for_functions"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
                           os.path.dirname(os.path.dirname(tests_dir)), "--deselect", flaky, "--pyargs", "einops.tests"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240)
    tail = proc.stdout[-4000:] + proc.stderr[-2000:]
    assert proc.returncode == 0, tail
    passed = [line for line in proc.stdout.splitlines() if " passed" in line]
    assert passed and "failed" not in proc.stdout, tail
    assert int(passed[-1].split(" passed")[0].split()[-1]) >= 50, tail  # the suite really ran
