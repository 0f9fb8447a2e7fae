"""Random ops through the torch API: after `manual_seed(s)` on both sides, mstorch's
results equal real torch's element for element (values, dtype, shape), including
consecutive mixed calls, explicit generators, fills into strided tensors and the
dropout masks.  On Intel CPUs torch's MKL build draws scalar-p Bernoulli (and so
dropout) from MKL's stream (docs/random.md); those comparisons are skipped there."""
import functools
import pickle
import warnings

import numpy as np
import pytest
import torch

import mstorch

T = mstorch.torch
SEEDS = [0, 1, 42, 2 ** 40 + 3, -7]


@functools.lru_cache(maxsize=1)
def _mkl_on_intel():
    try:
        with open("/proc/cpuinfo") as f:
            intel = "GenuineIntel" in f.read(4096)
    except OSError:
        intel = False
    return intel and torch.backends.mkl.is_available()


needs_default_bernoulli = pytest.mark.skipif(_mkl_on_intel(), reason="torch uses MKL's Bernoulli on Intel CPUs")


def _np(t):
    if isinstance(t, torch.Tensor):
        t = t.detach()
        return (t.float() if t.dtype == torch.bfloat16 else t).numpy()
    t = t.detach()
    return np.asarray(t._host_view(), dtype=np.float32 if t.dtype.name == "bfloat16" else None)


def same(ours, ref, what=""):
    assert str(ours.dtype) == str(ref.dtype), f"{what}: dtype {ours.dtype} vs {ref.dtype}"
    assert tuple(ours.shape) == tuple(ref.shape), f"{what}: shape {tuple(ours.shape)} vs {tuple(ref.shape)}"
    np.testing.assert_array_equal(_np(ours), _np(ref), err_msg=what)


def seed_both(s):
    torch.manual_seed(s)
    T.manual_seed(s)


# (name, call(lib)) pairs; each call draws from the default generator
_FACTORIES = [
    ("rand", lambda L: L.rand(3, 5)),
    ("rand f64", lambda L: L.rand((4, 2), dtype=L.float64)),
    ("rand f16", lambda L: L.rand(7, dtype=L.float16)),
    ("randn small", lambda L: L.randn(5)),
    ("randn block", lambda L: L.randn(3, 37)),
    ("randn f64", lambda L: L.randn(40, dtype=L.float64)),
    ("randn f16", lambda L: L.randn(33, dtype=L.float16)),
    ("randint", lambda L: L.randint(10, (6,))),
    ("randint low", lambda L: L.randint(-5, 5, (2, 3), dtype=L.int32)),
    ("randint float", lambda L: L.randint(0, 100, (4,), dtype=L.float32)),
    ("randint big", lambda L: L.randint(0, 2 ** 40, (5,))),
    ("randperm", lambda L: L.randperm(17)),
    ("randperm f32", lambda L: L.randperm(9, dtype=L.float32)),
    ("normal ff", lambda L: L.normal(1.5, 2.0, (3, 8))),
    ("normal Tf", lambda L: L.normal(L.arange(20.0), 0.5)),
    ("normal fT", lambda L: L.normal(-1.0, L.ones(4, 5))),
    ("normal TT", lambda L: L.normal(L.zeros(2, 9, dtype=L.float64), L.full((2, 9), 3.0, dtype=L.float64))),
    ("bernoulli tensor p", lambda L: L.bernoulli(L.full((3, 4), 0.3))),
    ("bernoulli f64 p", lambda L: L.bernoulli(L.full((5,), 0.6, dtype=L.float64))),
    ("multinomial", lambda L: L.multinomial(L.tensor([0.1, 0.5, 0.2, 0.2]), 3)),
    ("multinomial repl", lambda L: L.multinomial(L.tensor([[1.0, 2.0, 3.0], [3.0, 0.0, 1.0]]), 5, True)),
    ("rand_like t", lambda L: L.rand_like(L.zeros(3, 4).t())),
    ("randn_like t", lambda L: L.randn_like(L.zeros(5, 6).t())),
    ("randn_like", lambda L: L.randn_like(L.zeros(4, 8))),
    ("randint_like", lambda L: L.randint_like(L.zeros(2, 3, dtype=L.int64), 7)),
    ("randint_like low", lambda L: L.randint_like(L.zeros(2, 3).t(), -3, 3)),
]


def _fill(method, *args, shape=(4, 6), transpose=False, dtype="float32", **kw):
    def run(L):
        x = L.zeros(*shape, dtype=getattr(L, dtype))
        if transpose:
            x = x.t()
        r = getattr(x, method)(*args, **kw)
        assert r is x
        return x
    return run


_FILLS = [
    ("uniform_", _fill("uniform_", -2.0, 3.0)),
    ("uniform_ t", _fill("uniform_", transpose=True)),
    ("uniform_ f64", _fill("uniform_", dtype="float64")),
    ("normal_", _fill("normal_", 1.0, 0.5)),
    ("normal_ t", _fill("normal_", transpose=True, shape=(5, 7))),
    ("normal_ f64", _fill("normal_", 0.0, 2.0, dtype="float64", shape=(3, 11))),
    ("random_", _fill("random_", dtype="int64")),
    ("random_ to", _fill("random_", 9, transpose=True)),
    ("random_ from to", _fill("random_", -4, 4, dtype="int32")),
    ("random_ from None", _fill("random_", 3, None, dtype="int16")),
    ("exponential_", _fill("exponential_", 2.0)),
    ("cauchy_", _fill("cauchy_", 1.0, 0.5, transpose=True)),
    ("log_normal_", _fill("log_normal_", 0.0, 0.5)),
    ("geometric_", _fill("geometric_", 0.3, dtype="int64")),
    ("bernoulli_ tensor p", lambda L: L.zeros(3, 4).t().bernoulli_(L.full((4, 3), 0.4))),
    ("bernoulli_ f64 p", lambda L: L.zeros(3, 4).bernoulli_(L.full((3, 4), 0.4, dtype=L.float64))),
]

_SCALAR_BERNOULLI = [
    ("bernoulli p", lambda L: L.bernoulli(L.zeros(3, 5), 0.3)),
    ("bernoulli_ float", _fill("bernoulli_", 0.7)),
    ("bernoulli_ default", _fill("bernoulli_", transpose=True)),
    ("multinomial 1 sample", lambda L: L.multinomial(L.ones(2, 7), 1)),
]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name,fn", _FACTORIES + _FILLS, ids=[n for n, _ in _FACTORIES + _FILLS])
def test_op_matches_torch(seed, name, fn):
    seed_both(seed)
    same(fn(T), fn(torch), name)
    # the generators are left in the same state
    same(T.get_rng_state(), torch.get_rng_state(), name + " state")


@needs_default_bernoulli
@pytest.mark.parametrize("seed", SEEDS[:3])
@pytest.mark.parametrize("name,fn", _SCALAR_BERNOULLI, ids=[n for n, _ in _SCALAR_BERNOULLI])
def test_scalar_bernoulli_matches_torch(seed, name, fn):
    seed_both(seed)
    same(fn(T), fn(torch), name)


@needs_default_bernoulli
def test_consecutive_mixed_calls():
    everything = _FACTORIES + _FILLS + _SCALAR_BERNOULLI
    for seed in (3, 11):
        seed_both(seed)
        order = np.random.default_rng(seed).permutation(len(everything))
        for k in order:
            name, fn = everything[k]
            same(fn(T), fn(torch), name)
        same(T.get_rng_state(), torch.get_rng_state(), "state after the sequence")


def test_generator_argument():
    g, tg = T.Generator(), torch.Generator()
    assert g.initial_seed() == tg.initial_seed()
    assert g.manual_seed(5) is g
    tg.manual_seed(5)
    seed_both(99)
    same(T.rand(4, generator=g), torch.rand(4, generator=tg), "rand gen")
    same(T.randn(20, generator=g), torch.randn(20, generator=tg), "randn gen")
    same(T.randint(3, 9, (5,), generator=g), torch.randint(3, 9, (5,), generator=tg), "randint gen")
    same(T.randperm(8, generator=g), torch.randperm(8, generator=tg), "randperm gen")
    same(T.zeros(3).uniform_(generator=g), torch.zeros(3).uniform_(generator=tg), "uniform_ gen")
    same(T.rand_like(T.zeros(2, 2), generator=g), torch.rand_like(torch.zeros(2, 2), generator=tg), "like gen")
    same(T.normal(T.zeros(3), 1.0, generator=g), torch.normal(torch.zeros(3), 1.0, generator=tg), "normal gen")
    same(T.multinomial(T.ones(5), 2, generator=g), torch.multinomial(torch.ones(5), 2, generator=tg), "mn gen")
    # the default generators were not touched
    same(T.rand(3), torch.rand(3), "default after gen")
    same(g.get_state(), tg.get_state(), "generator state")


def test_generator_errors():
    with pytest.raises(TypeError):
        T.rand(2, generator=5)
    with pytest.raises(TypeError):
        T.zeros(2).uniform_(generator="g")


def test_state_round_trip_and_interop():
    seed_both(123)
    st = T.get_rng_state()
    assert isinstance(st, T.Tensor) and st.dtype is T.uint8 and tuple(st.shape) == (5056,)
    same(st, torch.get_rng_state(), "state bytes")
    a = T.randn(10)
    T.set_rng_state(st)
    same(T.randn(10), a, "replay")
    # a state from real torch drives ours
    torch.manual_seed(77)
    torch.randn(3)
    T.set_rng_state(T.from_numpy(torch.get_rng_state().numpy().copy()))
    same(T.randn(25), torch.randn(25), "torch state")
    g = T.Generator().set_state(T.get_rng_state())
    same(T.rand(4, generator=g), torch.rand(4), "generator from state")
    with pytest.raises(TypeError):
        T.set_rng_state(5)
    with pytest.raises(RuntimeError):
        T.set_rng_state(T.zeros(10, dtype=T.uint8))


def test_default_generator_is_the_dispatchers():
    from dispatch import random as R
    T.manual_seed(4)
    assert T.default_generator.initial_seed() == 4 == R.default_generator.initial_seed()
    assert isinstance(T.default_generator, T.Generator)
    torch.manual_seed(4)
    same(T.rand(3, generator=T.default_generator), torch.rand(3, generator=torch.default_generator), "dg")
    same(T.rand(3), torch.rand(3), "after dg")
    assert T.random.initial_seed() == 4
    assert T.manual_seed(9) is T.default_generator


def test_fork_rng_and_pickle():
    T.manual_seed(8)
    with T.random.fork_rng():
        T.rand(5)
    torch.manual_seed(8)
    same(T.rand(2), torch.rand(2), "fork_rng restores")
    g2 = pickle.loads(pickle.dumps(T.Generator().manual_seed(31)))
    same(g2.get_state(), torch.Generator().manual_seed(31).get_state(), "pickle")
    assert str(T.Generator().device) == "cpu"


@needs_default_bernoulli
@pytest.mark.parametrize("seed", SEEDS[:3])
@pytest.mark.parametrize("p", [0.0, 0.25, 0.5, 1.0])
def test_dropout_masks(seed, p):
    F, TF = T.nn.functional, torch.nn.functional
    from dispatch import random as R
    from ops_table.random import torch_streams as S
    shape = (4, 3, 5)
    x = np.random.default_rng(seed).uniform(-2, 2, shape).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in ("dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"):
            seed_both(seed)
            xi = x if name != "dropout3d" else x[None]
            ours = getattr(F, name)(T.from_numpy(xi.copy()), p, True)
            ref = getattr(TF, name)(torch.from_numpy(xi.copy()), p, True)
            same(ours, ref, name)
    # the mask is the stream kernels' dropout_mask, and the backward is grad * mask
    seed_both(seed)
    xt = T.from_numpy(x.copy()).requires_grad_()
    out = F.dropout(xt, p, True)
    out.sum().backward()
    R.manual_seed(seed)
    mask = S.dropout_mask(R.default_generator, x, p)
    np.testing.assert_array_equal(_np(xt.grad), mask)
    np.testing.assert_array_equal(_np(out), x * mask)


@needs_default_bernoulli
def test_dropout_inplace_eval_and_grad():
    F, TF = T.nn.functional, torch.nn.functional
    x = T.ones(3, 4)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.alpha_dropout(x, 0.5) is x
    seed_both(5)
    a, b = T.ones(6, 4).t(), torch.ones(6, 4).t()
    ra, rb = F.dropout(a, 0.4, True, True), TF.dropout(b, 0.4, True, True)
    assert ra is a
    same(a, b, "inplace dropout on a transposed view")
    seed_both(6)
    xa = T.rand(2, 3, 4, requires_grad=True)
    xb = torch.rand(2, 3, 4, requires_grad=True)
    ga = T.autograd.grad(F.dropout2d(xa.unsqueeze(0), 0.5).sum(), xa)[0]
    gb = torch.autograd.grad(TF.dropout2d(xb.unsqueeze(0), 0.5).sum(), xb)[0]
    same(ga, gb, "dropout2d grad")
    with pytest.raises(ValueError):
        F.dropout(x, 1.5)
    with pytest.raises(RuntimeError):
        F.dropout1d(T.ones(2, 3, 4, 5))


def test_errors_match_torch_types():
    cases = [
        lambda L: L.rand(2, dtype=L.int64),
        lambda L: L.zeros(3).uniform_(2.0, 1.0),
        lambda L: L.randint(5, 2, (3,)),
        lambda L: L.randperm(-1),
        lambda L: L.normal(L.zeros(2), -1.0),
        lambda L: L.zeros(2).geometric_(1.5),
        lambda L: L.zeros(2).exponential_(-1.0),
        lambda L: L.bernoulli(L.full((2,), 2.0)),
        lambda L: L.zeros(2).bernoulli_(1.5),
        lambda L: L.multinomial(L.zeros(3), 1),
        lambda L: L.multinomial(L.ones(3), 4),
    ]
    for k, c in enumerate(cases):
        with pytest.raises(Exception) as ref:
            c(torch)
        want = next(cls for cls in type(ref.value).__mro__ if cls.__module__ == "builtins")
        with pytest.raises(want):
            c(T)


def test_zero_grads_like_torch():
    m = T.zeros(3, requires_grad=True)
    s = T.ones(3, requires_grad=True)
    T.normal(m, s).sum().backward()
    assert not np.any(_np(m.grad)) and not np.any(_np(s.grad))
    x = T.rand(3, requires_grad=True)
    T.bernoulli(x).sum().backward()
    assert not np.any(_np(x.grad))
    with pytest.raises(RuntimeError, match="derivative for aten::bernoulli"):
        T.bernoulli(x * 1, 0.5).sum().backward()
    y = T.rand(3, requires_grad=True)
    (y * 2).uniform_().sum().backward()
    assert not np.any(_np(y.grad))
    with pytest.raises(RuntimeError):
        y.uniform_()
