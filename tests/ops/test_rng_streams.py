"""The generator (dispatch.random) and the stream
kernels (ops_table.random.torch_streams) against real torch 2.13 on CPU, element for element: the generator
object and its state, and the floating draws (rand/randn across sizes, seeds and dtypes,
non-contiguous outputs, uniform_/normal_ parameters, the libm emulations they rest on).
The integer and derived distributions are in test_rng_distributions.py.

Every comparison is on the raw bytes (so -0.0 vs +0.0 and NaN payloads
count). torch is only the oracle here; neither imports it.
"""

import math
import os

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from hypothesis import given, settings, strategies as st  # noqa: E402

from dispatch import random as R  # noqa: E402
from ops_table.random import torch_streams as S  # noqa: E402
from ops_table.random.torch_streams import float_math as F  # noqa: E402
from ops_table.random.torch_streams import uniform_normal as N  # noqa: E402
from rng_compare import NP, assert_same, follow, mkl_bernoulli, needs_default_bernoulli, pair, same  # noqa: E402

torch.set_num_threads(1)
pytestmark = pytest.mark.filterwarnings("ignore:.*out of bounds.*:UserWarning")

SEEDS = [0, 1, 1234, 2 ** 31 + 5, 2 ** 32 + 7, 2 ** 40 + 7, 2 ** 63 + 11,
         2 ** 64 - 1]
SIZES = list(range(1, 41)) + [1000, 100003]


def bf16(t):
    return t.float().numpy()


# ---------------------------------------------------------------------------
# Generator object and state
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS + [-1, -2 ** 63, 5])
def test_seed_state_bytes(seed):
    g = R.HostGenerator().manual_seed(seed)
    tg = torch.Generator().manual_seed(seed)
    assert g.initial_seed() == tg.initial_seed()
    assert_same(g.get_state(), tg.get_state(), "state after seeding")
    # after a mix of draws, including a cached Box-Muller sample
    S.randn(g, (3,))
    torch.randn(3, generator=tg)
    S.rand(g, (700,))
    torch.rand(700, generator=tg)
    assert_same(g.get_state(), tg.get_state(), "state after draws")


def test_default_seed_and_module_functions():
    assert R.HostGenerator().initial_seed() == 67280421310721
    assert_same(R.HostGenerator().get_state(), torch.Generator().get_state(), "default")
    R.manual_seed(77)
    assert R.initial_seed() == 77
    tg = torch.Generator().manual_seed(77)
    assert_same(R.get_rng_state(), tg.get_state(), "module state")
    st_ = R.get_rng_state()
    a = S.rand(R.default_generator, (5,))
    R.set_rng_state(st_)
    assert same(a, S.rand(R.default_generator, (5,)))
    # torch.manual_seed converts with int() first
    R.manual_seed(3.7)
    assert R.initial_seed() == 3
    R.manual_seed("12")
    assert R.initial_seed() == 12


def test_seed_argument_errors():
    g = R.HostGenerator()
    for bad, exc, msg in [(2 ** 64, ValueError, "Overflow when unpacking long long"),
                          (-2 ** 63 - 1, ValueError, "Overflow when unpacking long long"),
                          (1.5, RuntimeError, "manual_seed expected a long, but got float"),
                          (True, RuntimeError, "manual_seed expected a long, but got bool"),
                          ("5", RuntimeError, "manual_seed expected a long, but got str")]:
        with pytest.raises(exc, match=msg):
            g.manual_seed(bad)
        with pytest.raises(exc):
            torch.Generator().manual_seed(bad)


def test_nondeterministic_seed():
    g = R.HostGenerator()
    s = g.seed()
    assert 0 <= s < 2 ** 64 and g.initial_seed() == s
    tg = torch.Generator().manual_seed(s)
    assert_same(S.rand(g, (5,)), torch.rand(5, generator=tg), "after seed()")
    assert R.HostGenerator().seed() != s or R.HostGenerator().seed() != s


@pytest.mark.parametrize("seed", [3, 2 ** 40 + 1])
def test_state_round_trip_both_ways(seed):
    # torch -> ours: at every phase of the 624-word block and of the cache
    tg = torch.Generator().manual_seed(seed)
    g = R.HostGenerator()
    for k in [0, 1, 5, 311, 622, 1]:
        torch.rand(k, generator=tg)
        torch.randn(1, generator=tg)  # leaves a cached sample
        g.set_state(tg.get_state().numpy())
        assert_same(g.get_state(), tg.get_state(), "echo")
        assert_same(S.randn(g, (3,)), torch.randn(3, generator=tg), "continue")
        follow(g, tg, "after set_state")
    # ours -> torch
    g = R.HostGenerator(seed)
    for k in [0, 623, 624, 625, 3]:
        S.rand(g, (k,))
        S.randn(g, (5,))
        tg = torch.Generator()
        tg.set_state(torch.from_numpy(g.get_state()))
        assert_same(S.randn(g, (7,)), torch.randn(7, generator=tg), "ours->torch")
        follow(g, tg, "ours->torch")
    # the float cache field round-trips too
    st_ = torch.Generator().get_state().numpy().copy()
    st_[5048:5052] = np.frombuffer(np.float32(1.25).tobytes(), np.uint8)
    st_[5052] = 1
    g.set_state(st_)
    assert g.next_float_normal_sample == np.float32(1.25)
    tg = torch.Generator()
    tg.set_state(torch.from_numpy(st_))
    assert_same(g.get_state(), tg.get_state(), "float cache")


def test_hand_made_state_left_next_inconsistent():
    # A valid state torch accepts although next_ + left_ != 625.
    tg = torch.Generator().manual_seed(9)
    torch.rand(100, generator=tg)
    st_ = tg.get_state().numpy().copy()
    st_[8:12] = np.frombuffer(np.int32(40).tobytes(), np.uint8)   # left
    st_[16:24] = np.frombuffer(np.uint64(17).tobytes(), np.uint8)  # next
    tg.set_state(torch.from_numpy(st_))
    g = R.HostGenerator().set_state(st_)
    for k in [10, 25, 700]:
        assert_same(g.get_state(), tg.get_state(), "hand-made state")
        assert_same(S.rand(g, (k,)), torch.rand(k, generator=tg), "hand-made stream")


def test_set_state_errors():
    g = R.HostGenerator()
    tg = torch.Generator()
    cases = [
        (np.zeros(10, np.uint8), torch.zeros(10, dtype=torch.uint8), RuntimeError,
         "Expected a CPUGeneratorImplState of size 5056 but found the input RNG "
         "state size to be 10"),
        (np.zeros(5056, np.int8), torch.zeros(5056, dtype=torch.int8), TypeError,
         "RNG state must be a torch.ByteTensor"),
        (np.zeros(5056, np.uint8), torch.zeros(5056, dtype=torch.uint8), RuntimeError,
         "Invalid mt19937 state"),
        (np.zeros(10112, np.uint8)[::2], torch.zeros(10112, dtype=torch.uint8)[::2],
         RuntimeError, "RNG state must be contiguous"),
        ([1, 2], [1, 2], TypeError, "expected a torch.ByteTensor, but got list"),
    ]
    for ours, theirs, exc, msg in cases:
        with pytest.raises(exc) as e1:
            g.set_state(ours)
        with pytest.raises(exc) as e2:
            tg.set_state(theirs)
        assert str(e1.value) == msg == str(e2.value)
    # a 2-D contiguous byte state is accepted by both
    st_ = torch.Generator().manual_seed(4).get_state()
    g.set_state(st_.numpy().reshape(2, -1))
    assert g.initial_seed() == 4


def test_clone_pickle_deepcopy():
    import copy
    import pickle
    g = R.HostGenerator(5)
    S.randn(g, (3,))
    for h in (g.clone(), pickle.loads(pickle.dumps(g)), copy.deepcopy(g)):
        assert same(h.get_state(), g.get_state())
        assert same(S.randn(h, (20,)), S.randn(g.clone(), (20,)))
    # an empty draw does not touch the state
    g = R.HostGenerator(5)
    S.rand(g, (0,))
    assert_same(g.get_state(), torch.Generator().manual_seed(5).get_state(), "empty draw")


def test_threads_do_not_share_scratch():
    import threading
    want = {s: S.randn(R.HostGenerator(s), (200_000,)) for s in range(4)}
    got = {}

    def work(s):
        got[s] = S.randn(R.HostGenerator(s), (200_000,))

    ts = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert all(same(got[s], want[s]) for s in range(4))


# ---------------------------------------------------------------------------
# rand / randn across sizes, seeds, dtypes
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS[:6])
@pytest.mark.parametrize("tdt", [torch.float32, torch.float64, torch.float16])
def test_rand_randn_sizes(seed, tdt):
    g, tg = pair(seed)
    dt = NP[tdt]
    for n in SIZES:
        assert_same(S.randn(g, (n,), dt), torch.randn(n, dtype=tdt, generator=tg),
                    "randn %s n=%d" % (tdt, n))
        assert_same(S.rand(g, (n,), dt), torch.rand(n, dtype=tdt, generator=tg),
                    "rand %s n=%d" % (tdt, n))
    follow(g, tg, "sizes")


@pytest.mark.parametrize("seed", [0, 2 ** 33 + 1])
def test_bfloat16_emulation(seed):
    g, tg = pair(seed)
    for n in [1, 7, 15, 16, 17, 33, 1000]:
        out = np.empty(n, np.float32)
        S.normal_(g, out, torch_dtype="bfloat16")
        assert_same(out, bf16(torch.randn(n, dtype=torch.bfloat16, generator=tg)), "bf16 randn")
        S.uniform_(g, out, torch_dtype="bfloat16")
        assert_same(out, bf16(torch.rand(n, dtype=torch.bfloat16, generator=tg)), "bf16 rand")
        S.uniform_(g, out, -2.5, 7.0, torch_dtype="bfloat16")
        assert_same(out, bf16(torch.empty(n, dtype=torch.bfloat16).uniform_(-2.5, 7.0, generator=tg)),
                    "bf16 uniform")
        S.exponential_(g, out, 3.0, torch_dtype="bfloat16")
        assert_same(out, bf16(torch.empty(n, dtype=torch.bfloat16).exponential_(3.0, generator=tg)),
                    "bf16 exponential")
        S.random_(g, out, -50, 1000, torch_dtype="bfloat16")
        assert_same(out, bf16(torch.empty(n, dtype=torch.bfloat16).random_(-50, 1000, generator=tg)),
                    "bf16 random_")
    follow(g, tg, "bf16")


def test_randn_contiguous_nd_uses_block_path():
    g, tg = pair(8)
    for shape in [(4, 4), (3, 7), (2, 3, 5), (1, 1, 17)]:
        for tdt in [torch.float32, torch.float64]:
            assert_same(S.randn(g, shape, NP[tdt]), torch.randn(*shape, generator=tg, dtype=tdt),
                        "randn %s" % (shape,))
    follow(g, tg, "nd")


def test_bfloat16_half_other_kernels():
    F_ = torch.nn.functional
    g, tg = pair(2 ** 33 + 2)
    for n in [3, 17, 100]:
        out = np.empty(n, np.float32)
        for ours, theirs in [
            (lambda: S.bernoulli_(g, out, 0.3, torch_dtype="bfloat16"),
             lambda: torch.empty(n, dtype=torch.bfloat16).bernoulli_(0.3, generator=tg)),
            (lambda: S.geometric_(g, out, 0.3, torch_dtype="bfloat16"),
             lambda: torch.empty(n, dtype=torch.bfloat16).geometric_(0.3, generator=tg)),
            (lambda: S.cauchy_(g, out, 0.5, 2.0, torch_dtype="bfloat16"),
             lambda: torch.empty(n, dtype=torch.bfloat16).cauchy_(0.5, 2.0, generator=tg)),
            (lambda: S.log_normal_(g, out, 0.5, 0.7, torch_dtype="bfloat16"),
             lambda: torch.empty(n, dtype=torch.bfloat16).log_normal_(0.5, 0.7, generator=tg)),
            (lambda: S.normal_(g, out, 0.5, 0.7, torch_dtype="bfloat16"),
             lambda: torch.empty(n, dtype=torch.bfloat16).normal_(0.5, 0.7, generator=tg)),
            (lambda: S.random_(g, out, torch_dtype="bfloat16"),
             lambda: torch.empty(n, dtype=torch.bfloat16).random_(generator=tg)),
            (lambda: S.random_(g, out, -2 ** 63, None, torch_dtype="bfloat16"),
             lambda: torch.empty(n, dtype=torch.bfloat16).random_(-2 ** 63, None, generator=tg)),
        ]:
            assert_same(ours().copy(), bf16(theirs()), "bf16 kernel n=%d" % n)
    mean = np.random.default_rng(0).standard_normal((4, 9)).astype(np.float16)
    std = np.abs(mean) + np.float16(0.5)
    tm, ts = torch.from_numpy(mean.copy()), torch.from_numpy(std.copy())
    assert_same(S.normal_tensor(g, mean, std), torch.normal(tm, ts, generator=tg), "f16 T,T")
    assert_same(S.normal_tensor(g, 1.5, std), torch.normal(1.5, ts, generator=tg), "f16 f,T")
    assert_same(S.normal_tensor(g, mean, 0.3), torch.normal(tm, 0.3, generator=tg), "f16 T,f")
    follow(g, tg, "bf16/f16 kernels")
    if mkl_bernoulli():
        return
    x = torch.randn(40, generator=torch.Generator().manual_seed(1))
    for tdt in [torch.float16, torch.bfloat16]:
        xt = x.to(tdt)
        R.manual_seed(6)
        torch.manual_seed(6)
        y = F_.dropout(xt, 0.3, training=True)
        if tdt == torch.float16:
            xn = xt.numpy()
            assert_same(xn * S.dropout_mask(R.default_generator, xn, 0.3), y, "f16 dropout")
        else:
            xn = xt.float().numpy()
            m = S.dropout_mask(R.default_generator, xn, 0.3, torch_dtype="bfloat16")
            from ops_table.random.torch_streams.layout import round_bf16
            assert_same(round_bf16(xn * m), y.float(), "bf16 dropout")


def test_randn_large_f32_many_seeds():
    # the AVX path on a million values, with and without a ragged tail
    for seed in [7, 2 ** 36 + 3]:
        g, tg = pair(seed)
        for n in [1 << 20, (1 << 20) + 5]:
            assert_same(S.randn(g, (n,)), torch.randn(n, generator=tg), "randn 1M")
        follow(g, tg, "randn 1M")


def test_avx_fast_path_matches_exact_emulation():
    """The fast float32 log/sincos (no double-rounding repair) against the
    fma32-exact emulation on the inputs the kernel can produce: 2**24 values
    each. MSTORCH_RNG_EXHAUSTIVE=1 checks all of them (~10 s), otherwise
    every 16th."""
    step = 1 if os.environ.get("MSTORCH_RNG_EXHAUSTIVE") else 16
    k = np.arange(1, (1 << 24) + 1, step, dtype=np.int64)
    u1 = k.astype(np.float32) * np.float32(2.0 ** -24)
    ref = F.avx_log_exact(u1)
    m = F._CHUNK_PAIRS
    w = F._work(m)
    fast = np.empty_like(u1)
    for i in range(0, u1.size, m):
        F._log_into(u1[i:i + m].copy(), fast[i:i + m], w)
    assert same(fast, ref)
    theta = (np.arange(0, 1 << 24, step, dtype=np.int64).astype(np.float32)
             * N._TWO_PI_F_SCALED)
    rs, rc = F.avx_sincos_exact(theta)
    s = np.empty_like(theta)
    c = np.empty_like(theta)
    for i in range(0, theta.size, m):
        F._sincos_into(theta[i:i + m], s[i:i + m], c[i:i + m], w)
    assert same(s, rs) and same(c, rc)


def test_fma_emulations():
    rng = np.random.default_rng(1)
    from fractions import Fraction
    a = rng.standard_normal(3000)
    b = rng.standard_normal(3000) * 1e-3
    c = rng.standard_normal(3000)
    got = F.fma64(a, b, c)
    exp = [float(Fraction(x) * Fraction(y) + Fraction(z)) for x, y, z in zip(a, b, c)]
    assert same(got, np.array(exp))
    # signed zeros follow IEEE fma
    z = F.fma64(np.array([-0.0, 0.0, -0.0, 2.0]), np.array([1.0, -1.0, 1.0, 0.0]),
                np.array([-0.0, -0.0, 0.0, -0.0]))
    assert same(np.signbit(z), np.array([True, True, False, False]))
    a32, b32, c32 = a.astype(np.float32), b.astype(np.float32), c.astype(np.float32)
    # force double-rounding candidates: c large, a*b around half an ulp of c
    c32[:1000] = np.float32(1.0)
    a32[:1000] = np.float32(2.0 ** -24) * (1 + np.arange(1000, dtype=np.float32) * 2.0 ** -20)
    b32[:1000] = np.float32(1.0)
    got = F.fma32(a32, b32, c32)
    exp = []
    for x, y, z in zip(a32, b32, c32):
        v = Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z))
        lo = np.float32(float(v))
        # correct rounding to float32 of the exact rational value
        cands = [np.nextafter(lo, np.float32(-np.inf)), lo, np.nextafter(lo, np.float32(np.inf))]
        best = min(cands, key=lambda t: (abs(Fraction(float(t)) - v),
                                         int(np.float32(t).view(np.uint32)) & 1))
        exp.append(best)
    assert same(got, np.array(exp, np.float32))


# ---------------------------------------------------------------------------
# Non-contiguous outputs and layouts
# ---------------------------------------------------------------------------

def _layouts(tdt, dt):
    """(ours, theirs) pairs of equal layout."""
    out = []
    for shape, make in [
        ((5, 7), lambda a: a.T),
        ((6, 8), lambda a: a[:, ::2]),
        ((4, 6, 5), lambda a: a.transpose(2, 0, 1)),
        ((3, 1, 9), lambda a: a.transpose(2, 1, 0)),
        ((40,), lambda a: a[::3]),
        ((9, 9), lambda a: a[1:7, 2:8].T),
    ]:
        base = np.zeros(shape, dt)
        tbase = torch.zeros(shape, dtype=tdt)
        ours = make(base)
        theirs = torch.as_strided(tbase, ours.shape,
                                  [s // ours.itemsize for s in ours.strides],
                                  (ours.__array_interface__["data"][0]
                                   - base.__array_interface__["data"][0]) // ours.itemsize)
        out.append((ours, theirs))
    return out


@pytest.mark.parametrize("tdt", [torch.float32, torch.float64, torch.float16])
def test_non_contiguous_outputs(tdt):
    g, tg = pair(21)
    for ours, theirs in _layouts(tdt, NP[tdt]):
        S.uniform_(g, ours, -1.0, 3.0)
        theirs.uniform_(-1.0, 3.0, generator=tg)
        assert_same(ours, theirs, "uniform_ %s" % (ours.strides,))
        S.normal_(g, ours, 0.5, 2.0)
        theirs.normal_(0.5, 2.0, generator=tg)
        assert_same(ours, theirs, "normal_ %s" % (ours.strides,))
        S.exponential_(g, ours, 0.7)
        theirs.exponential_(0.7, generator=tg)
        assert_same(ours, theirs, "exponential_")
        S.random_(g, ours, 0, 100)
        theirs.random_(0, 100, generator=tg)
        assert_same(ours, theirs, "random_")
        S.cauchy_(g, ours, 1.0, 0.5)
        theirs.cauchy_(1.0, 0.5, generator=tg)
        assert_same(ours, theirs, "cauchy_")
        S.log_normal_(g, ours, 0.1, 0.4)
        theirs.log_normal_(0.1, 0.4, generator=tg)
        assert_same(ours, theirs, "log_normal_")
        S.geometric_(g, ours, 0.3)
        theirs.geometric_(0.3, generator=tg)
        assert_same(ours, theirs, "geometric_")
        p = np.linspace(0, 1, ours.size).reshape(ours.shape).astype(NP[tdt])
        S.bernoulli_(g, ours, p)
        theirs.bernoulli_(torch.from_numpy(p.copy()), generator=tg)
        assert_same(ours, theirs, "bernoulli_ tensor p")
    follow(g, tg, "layouts")


@needs_default_bernoulli
def test_non_contiguous_bernoulli_scalar():
    g, tg = pair(22)
    for ours, theirs in _layouts(torch.float32, np.float32):
        S.bernoulli_(g, ours, 0.3)
        theirs.bernoulli_(0.3, generator=tg)
        assert_same(ours, theirs, "bernoulli_ scalar")
    follow(g, tg, "bernoulli layouts")


def test_like_factories_follow_layout():
    g, tg = pair(23)
    x = np.zeros((8, 5), np.float32).T          # dense, transposed, 40 elements
    tx = torch.zeros(8, 5).t()
    assert_same(S.randn_like(g, x), torch.randn_like(tx, generator=tg), "randn_like")
    assert_same(S.rand_like(g, x), torch.rand_like(tx, generator=tg), "rand_like")
    assert_same(S.randint_like(g, x, 3, 9), torch.randint_like(tx, 3, 9, generator=tg),
                "randint_like")
    y = np.zeros((6, 8), np.float64)[:, ::2]     # not dense: contiguous result
    ty = torch.zeros(6, 8, dtype=torch.float64)[:, ::2]
    assert_same(S.randn_like(g, y), torch.randn_like(ty, generator=tg), "randn_like sliced")
    follow(g, tg, "like")


def test_overlapping_output_rejected():
    a = np.lib.stride_tricks.as_strided(np.zeros(2, np.float32), (2, 3), (4, 0))
    with pytest.raises(RuntimeError, match="more than one element"):
        S.uniform_(R.default_generator, a)


# ---------------------------------------------------------------------------
# uniform_ / normal_ with parameters, torch.normal with tensors
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("tdt", [torch.float32, torch.float64, torch.float16])
def test_uniform_and_normal_parameters(tdt):
    dt = NP[tdt]
    g, tg = pair(31)
    for lo, hi in [(-3.7, 5.3), (0.0, 1e-3), (-1e4, 1e4), (2.0, 2.0), (0.1, 0.2)]:
        for n in [5, 16, 100]:
            out = np.empty(n, dt)
            S.uniform_(g, out, lo, hi)
            assert_same(out, torch.empty(n, dtype=tdt).uniform_(lo, hi, generator=tg),
                        "uniform_(%g, %g)" % (lo, hi))
    for mean, std in [(0.3, 2.7), (-1.0, 0.0), (5.0, 1e-3), (0.0, 1.0)]:
        for n in [3, 15, 16, 33, 1000]:
            out = np.empty(n, dt)
            S.normal_(g, out, mean, std)
            assert_same(out, torch.empty(n, dtype=tdt).normal_(mean, std, generator=tg),
                        "normal_(%g, %g) n=%d" % (mean, std, n))
    follow(g, tg, "params")


@pytest.mark.parametrize("tdt", [torch.float32, torch.float64])
def test_normal_with_tensor_arguments(tdt):
    dt = NP[tdt]
    g, tg = pair(32)
    rng = np.random.default_rng(0)
    for shape in [(5,), (4, 9), (2, 3, 7)]:
        mean = rng.standard_normal(shape).astype(dt)
        std = np.abs(rng.standard_normal(shape)).astype(dt)
        tm, ts = torch.from_numpy(mean.copy()), torch.from_numpy(std.copy())
        assert_same(S.normal_tensor(g, mean, std), torch.normal(tm, ts, generator=tg), "T,T")
        assert_same(S.normal_tensor(g, mean, 0.7), torch.normal(tm, 0.7, generator=tg), "T,f")
        assert_same(S.normal_tensor(g, 1.3, std), torch.normal(1.3, ts, generator=tg), "f,T")
        # broadcasting mean against std
        m1 = mean[..., :1]
        assert_same(S.normal_tensor(g, m1, std),
                    torch.normal(torch.from_numpy(m1.copy()), ts, generator=tg), "broadcast")
    assert_same(S.randn(g, (3, 5), dt), torch.normal(0.0, 1.0, (3, 5), generator=tg, dtype=tdt),
                "normal(float, float, size)")
    follow(g, tg, "normal tensors")


@settings(max_examples=30, deadline=None)
@given(st.integers(-2 ** 63, 2 ** 64 - 1), st.integers(1, 200),
       st.sampled_from([torch.float32, torch.float64, torch.float16]))
def test_randn_rand_hypothesis(seed, n, tdt):
    g, tg = pair(seed)
    assert_same(S.randn(g, (n,), NP[tdt]), torch.randn(n, generator=tg, dtype=tdt), "randn")
    assert_same(S.rand(g, (n,), NP[tdt]), torch.rand(n, generator=tg, dtype=tdt), "rand")
    follow(g, tg, "hyp")


def test_libm_functions_match_math_module():
    # the glibc-exactness that f64 kernels rely on (numpy sin/cos is used
    # only when it agrees with libm; log/log1p/exp/tan always go via math)
    u = np.random.default_rng(9).random(20000)
    th = 2.0 * math.pi * u
    assert same(F.libm_sin(th), np.array([math.sin(v) for v in th]))
    assert same(F.libm_cos(th), np.array([math.cos(v) for v in th]))
    assert same(F.libm_log1p(-u), np.array([math.log1p(-v) for v in u]))
