"""The generator (dispatch.random) and the stream
kernels (ops_table.random.torch_streams) against real torch 2.13 on CPU, element for element: the integer and
derived distributions (random_/randint, exponential_/geometric_/cauchy_/log_normal_,
bernoulli and dropout masks, randperm, multinomial) and the stream each consumes, alone
and in random mixes of calls.  The generator state and the floating draws are in
test_rng_streams.py.

Every comparison is on the raw bytes (so -0.0 vs +0.0 and NaN payloads
count). torch is only the oracle here; neither imports it.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from hypothesis import given, settings, strategies as st  # noqa: E402

from dispatch import random as R  # noqa: E402
from ops_table.random import torch_streams as S  # noqa: E402
from ops_table.random.torch_streams import permutation as P  # noqa: E402
from rng_compare import NP, assert_same, follow, needs_default_bernoulli, pair  # noqa: E402

torch.set_num_threads(1)
pytestmark = pytest.mark.filterwarnings("ignore:.*out of bounds.*:UserWarning")


# ---------------------------------------------------------------------------
# random_ / randint
# ---------------------------------------------------------------------------

INT_TYPES = [(torch.bool, np.bool_), (torch.uint8, np.uint8), (torch.int8, np.int8),
             (torch.int16, np.int16), (torch.int32, np.int32), (torch.int64, np.int64),
             (torch.uint16, np.uint16), (torch.uint32, np.uint32), (torch.uint64, np.uint64),
             (torch.float16, np.float16), (torch.float32, np.float32),
             (torch.float64, np.float64)]


def _both(fn_ours, fn_theirs):
    try:
        a = fn_ours()
        ea = None
    except Exception as e:  # noqa: BLE001
        a, ea = None, e
    try:
        b = fn_theirs()
        eb = None
    except Exception as e:  # noqa: BLE001
        b, eb = None, e
    return a, ea, b, eb


@pytest.mark.parametrize("tdt,dt", INT_TYPES)
def test_random_overloads(tdt, dt):
    g, tg = pair(41)
    for args in [(), (10,), (3, 200), (-5, 5), (0, 2 ** 40), (-2 ** 40, 2 ** 40 + 3),
                 (0, 2 ** 28), (0, 2 ** 28 - 1), (7, None), (-2 ** 63, None), (0, 1),
                 (2 ** 31, 2 ** 62)]:
        for n in [1, 17]:
            out = np.zeros(n, dt)
            a, ea, b, eb = _both(lambda: S.random_(g, out, *args),
                                 lambda: torch.zeros(n, dtype=tdt).random_(*args, generator=tg))
            assert (ea is None) == (eb is None), (args, ea, eb)
            if ea is not None:
                assert type(ea) is type(eb) and str(ea) == str(eb), (args, ea, eb)
                continue
            assert_same(a, b, "random_%s %s" % (args, tdt))
    follow(g, tg, "random_")


def test_randint_int64_ranges():
    for seed in [0, 2 ** 35 + 9]:
        g, tg = pair(seed)
        for lo, hi in [(0, 10), (-100, 100), (0, 2 ** 32), (0, 2 ** 32 + 1), (0, 2 ** 62),
                       (-2 ** 63, 2 ** 63 - 1), (5, 2 ** 28 + 5), (0, 2 ** 28 - 1)]:
            for n in [1, 6, 33]:
                assert_same(S.randint(g, lo, hi, (n,)),
                            torch.randint(lo, hi, (n,), generator=tg), "randint(%d,%d)" % (lo, hi))
        assert_same(S.randint(g, 17, (2, 3)), torch.randint(17, (2, 3), generator=tg), "randint(h)")
        assert_same(S.randint(g, 0, 9, (4,), np.int32),
                    torch.randint(0, 9, (4,), generator=tg, dtype=torch.int32), "int32")
        follow(g, tg, "randint")


def test_random_errors_match():
    for out, t, args in [(np.zeros(3, np.float32), torch.zeros(3), (5, 3)),
                         (np.zeros(3, np.int8), torch.zeros(3, dtype=torch.int8), (0, 300)),
                         (np.zeros(3, np.uint8), torch.zeros(3, dtype=torch.uint8), (-2 ** 63, None)),
                         (np.zeros(3, np.bool_), torch.zeros(3, dtype=torch.bool), (3, None)),
                         (np.zeros(3, np.float16), torch.zeros(3, dtype=torch.float16),
                          (0, 70000))]:
        with pytest.raises(Exception) as e1:
            S.random_(R.default_generator, out, *args)
        with pytest.raises(Exception) as e2:
            t.random_(*args)
        assert type(e1.value) is type(e2.value) and str(e1.value) == str(e2.value)


# ---------------------------------------------------------------------------
# exponential_, geometric_, cauchy_, log_normal_
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("tdt", [torch.float32, torch.float64, torch.float16])
def test_other_distributions(tdt):
    dt = NP[tdt]
    g, tg = pair(51)
    for n in [1, 2, 16, 17, 257]:
        out = np.empty(n, dt)
        for lam in [1.0, 0.25, 30.0]:
            S.exponential_(g, out, lam)
            assert_same(out, torch.empty(n, dtype=tdt).exponential_(lam, generator=tg), "exp")
        S.geometric_(g, out, 0.2)
        assert_same(out, torch.empty(n, dtype=tdt).geometric_(0.2, generator=tg), "geometric")
        S.cauchy_(g, out, -1.0, 3.0)
        assert_same(out, torch.empty(n, dtype=tdt).cauchy_(-1.0, 3.0, generator=tg), "cauchy")
        S.log_normal_(g, out, 0.5, 1.5)
        assert_same(out, torch.empty(n, dtype=tdt).log_normal_(0.5, 1.5, generator=tg), "lognormal")
    gi = np.empty(9, np.int64)
    S.geometric_(g, gi, 0.05)
    assert_same(gi, torch.empty(9, dtype=torch.int64).geometric_(0.05, generator=tg), "geom int")
    follow(g, tg, "others")


def test_parameter_errors_match():
    cases = [
        (lambda o: S.uniform_(R.default_generator, o, 3, 2), lambda t: t.uniform_(3, 2)),
        (lambda o: S.normal_(R.default_generator, o, 0, -1), lambda t: t.normal_(0, -1)),
        (lambda o: S.exponential_(R.default_generator, o, 0), lambda t: t.exponential_(0)),
        (lambda o: S.bernoulli_(R.default_generator, o, 1.5), lambda t: t.bernoulli_(1.5)),
        (lambda o: S.geometric_(R.default_generator, o, 1), lambda t: t.geometric_(1)),
        (lambda o: S.cauchy_(R.default_generator, o, 0, 0), lambda t: t.cauchy_(0, 0)),
        (lambda o: S.log_normal_(R.default_generator, o, 0, 0), lambda t: t.log_normal_(0, 0)),
    ]
    for ours, theirs in cases:
        with pytest.raises(Exception) as e1:
            ours(np.zeros(4, np.float32))
        with pytest.raises(Exception) as e2:
            theirs(torch.zeros(4))
        assert type(e1.value) is type(e2.value) and str(e1.value) == str(e2.value)
    with pytest.raises(RuntimeError) as e1:
        S.exponential_(R.default_generator, np.zeros(3, np.int32))
    with pytest.raises(RuntimeError) as e2:
        torch.zeros(3, dtype=torch.int32).exponential_()
    assert str(e1.value) == str(e2.value)
    with pytest.raises(NotImplementedError) as e1:
        S.normal_(R.default_generator, np.zeros(3, np.int32))
    with pytest.raises(NotImplementedError) as e2:
        torch.zeros(3, dtype=torch.int32).normal_()
    assert str(e1.value) == str(e2.value)


# ---------------------------------------------------------------------------
# bernoulli and dropout
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("ptdt", [torch.float32, torch.float64, torch.float16])
def test_bernoulli_tensor_p(ptdt):
    g, tg = pair(61)
    rng = np.random.default_rng(3)
    for shape in [(7,), (5, 16), (3, 4, 5)]:
        p = rng.random(shape).astype(NP[ptdt])
        tp = torch.from_numpy(p.copy())
        assert_same(S.bernoulli(g, p), torch.bernoulli(tp, generator=tg), "bernoulli(p)")
        # broadcast p into a bool / int / float out
        for tdt, dt in [(torch.bool, np.bool_), (torch.int64, np.int64), (torch.float32, np.float32)]:
            out = np.zeros((2,) + shape, dt)
            S.bernoulli_(g, out, p)
            assert_same(out, torch.zeros((2,) + shape, dtype=tdt).bernoulli_(tp, generator=tg),
                        "bernoulli_ broadcast")
    follow(g, tg, "bernoulli tensor")


@needs_default_bernoulli
def test_bernoulli_scalar_p():
    g, tg = pair(62)
    for n in [1, 16, 999]:
        for p in [0.0, 0.3, 0.5, 1.0]:
            for tdt, dt in [(torch.float32, np.float32), (torch.bool, np.bool_),
                            (torch.uint8, np.uint8), (torch.float64, np.float64)]:
                out = np.empty(n, dt)
                S.bernoulli_(g, out, p)
                assert_same(out, torch.empty(n, dtype=tdt).bernoulli_(p, generator=tg), "bern_")
        x = np.zeros((4, n), np.float32).T
        assert_same(S.bernoulli(g, x, p_scalar=0.4),
                    torch.bernoulli(torch.zeros(4, n).t(), 0.4, generator=tg), "bernoulli(x, p)")
    follow(g, tg, "bernoulli scalar")


@needs_default_bernoulli
@pytest.mark.parametrize("tdt", [torch.float32, torch.float64])
def test_dropout_mask_matches_F_dropout(tdt):
    dt = NP[tdt]
    F_ = torch.nn.functional
    for seed in [0, 2 ** 34 + 1]:
        rng = np.random.default_rng(seed % 97)
        for shape, tr in [((50,), False), ((8, 33), False), ((8, 33), True), ((4, 3, 5, 5), False)]:
            x = rng.standard_normal(shape).astype(dt)
            tx = torch.from_numpy(x.copy())
            if tr:
                x, tx = x.T, tx.t()
            for p in [0.1, 0.5, 0.9]:
                R.manual_seed(seed)
                torch.manual_seed(seed)
                mask = S.dropout_mask(R.default_generator, x, p)
                ours = x * mask
                theirs = F_.dropout(tx, p, training=True)
                assert_same(np.ascontiguousarray(ours), theirs.contiguous(), "dropout p=%g" % p)
                assert_same(S.rand(R.default_generator, (3,)), torch.rand(3), "after dropout")
            if len(shape) == 4:
                R.manual_seed(seed)
                torch.manual_seed(seed)
                mask = S.dropout_mask(R.default_generator, x, 0.3, feature=True)
                assert_same(x * mask, F_.dropout2d(tx, 0.3, training=True), "dropout2d")
    # p == 0 and p == 1 draw nothing
    R.manual_seed(1)
    torch.manual_seed(1)
    assert np.all(S.dropout_mask(R.default_generator, (5,), 0.0) == 1)
    assert np.all(S.dropout_mask(R.default_generator, (5,), 1.0) == 0)
    F_.dropout(torch.ones(5), 0.0, training=True)
    F_.dropout(torch.ones(5), 1.0, training=True)
    assert_same(S.rand(R.default_generator, (3,)), torch.rand(3), "p in {0,1}")


# ---------------------------------------------------------------------------
# randperm
# ---------------------------------------------------------------------------

def _swap_reference(z):
    n = z.size + 1
    a = list(range(n))
    for i, zi in enumerate(z.tolist()):
        a[i], a[i + zi] = a[i + zi], a[i]
    return np.array(a)


def _inside_out_reference(z):
    a = [0] * z.size
    for i, zi in enumerate(z.tolist()):
        a[i] = i
        a[i] = a[zi]
        a[zi] = i
    return np.array(a)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 300), st.integers(0, 2 ** 32 - 1))
def test_randperm_vectorisation_against_loops(n, s):
    rng = np.random.default_rng(s)
    z = np.array([rng.integers(0, n - i) for i in range(n - 1)], np.int64)
    assert np.array_equal(P._randperm_swap(z), _swap_reference(z))
    z2 = np.array([rng.integers(0, i + 1) for i in range(n)], np.int64)
    assert np.array_equal(P._randperm_inside_out(z2), _inside_out_reference(z2))


def test_randperm_matches_torch():
    for seed in [0, 5, 2 ** 32 + 3]:
        g, tg = pair(seed)
        for n in list(range(0, 20)) + [100, 1000, 100003]:
            assert_same(S.randperm(g, n), torch.randperm(n, generator=tg), "randperm %d" % n)
        for tdt, dt in [(torch.int32, np.int32), (torch.float32, np.float32),
                        (torch.float16, np.float16), (torch.float64, np.float64),
                        (torch.int16, np.int16)]:
            assert_same(S.randperm(g, 50, dt), torch.randperm(50, generator=tg, dtype=tdt),
                         "randperm dtype")
        follow(g, tg, "randperm")
    for n, tdt, dt in [(5000, torch.float16, np.float16), (300, torch.int8, np.int8), (-1, None, np.int64)]:
        with pytest.raises(RuntimeError) as e1:
            S.randperm(R.default_generator, n, dt)
        with pytest.raises(RuntimeError) as e2:
            torch.randperm(n, dtype=tdt) if tdt is not None else torch.randperm(n)
        assert str(e1.value) == str(e2.value)


# ---------------------------------------------------------------------------
# multinomial
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("tdt", [torch.float32, torch.float64])
def test_multinomial(tdt):
    dt = NP[tdt]
    g, tg = pair(71)
    rng = np.random.default_rng(5)
    for shape in [(10,), (4, 10), (3, 1000), (200,)]:
        probs = rng.random(shape).astype(dt)
        probs[..., 1] = 0
        tp = torch.from_numpy(probs.copy())
        for k in [1, 2, 5, 9]:
            for rep in [False, True]:
                assert_same(S.multinomial(g, probs, k, rep),
                            torch.multinomial(tp, k, rep, generator=tg),
                            "multinomial %s k=%d rep=%s" % (shape, k, rep))
        assert_same(S.multinomial(g, probs, 25, True),
                    torch.multinomial(tp, 25, True, generator=tg), "with replacement, many")
    # a transposed (dense) probability matrix: q is drawn in its memory order
    probs = rng.random((10, 4)).astype(dt).T
    tp = torch.from_numpy(probs.T.copy()).t()
    assert_same(S.multinomial(g, probs, 3), torch.multinomial(tp, 3, generator=tg), "transposed")
    follow(g, tg, "multinomial")


def test_multinomial_ties_use_libstdcxx_order():
    g, tg = pair(72)
    # zero probabilities tie at q = 0 once the positive ones are used up
    probs = np.zeros(40, np.float32)
    probs[[3, 17, 30]] = [0.2, 0.5, 0.3]
    tp = torch.from_numpy(probs.copy())
    for k in [5, 20, 40]:
        assert_same(S.multinomial(g, probs, k), torch.multinomial(tp, k, generator=tg), "ties %d" % k)
    probs = np.zeros(300, np.float32)
    probs[:2] = 1
    tp = torch.from_numpy(probs.copy())
    for k in [3, 4, 100, 300]:   # partial_sort path (k*64 <= n) and nth_element path
        assert_same(S.multinomial(g, probs, k), torch.multinomial(tp, k, generator=tg), "ties %d" % k)
    # equal weights over many categories: float32 p/q values collide
    probs = np.ones(20000, np.float32)
    tp = torch.ones(20000)
    assert_same(S.multinomial(g, probs, 20000), torch.multinomial(tp, 20000, generator=tg), "perm")
    follow(g, tg, "ties")


def test_multinomial_errors_match():
    cases = [
        (np.zeros(2, np.float32), 1, False), (np.ones(2, np.float32), 3, False),
        (np.array([1., -1.], np.float32), 1, True), (np.array([1., -1.], np.float32), 2, True),
        (np.zeros(2, np.float32), 2, True), (np.ones((2, 2, 2), np.float32), 1, False),
        (np.array([1., np.nan], np.float32), 2, True), (np.array([1., np.inf], np.float32), 2, True),
        (np.ones(3, np.float32), 0, True),
    ]
    for probs, k, rep in cases:
        with pytest.raises(RuntimeError) as e1:
            S.multinomial(R.default_generator, probs, k, rep)
        with pytest.raises(RuntimeError) as e2:
            torch.multinomial(torch.from_numpy(probs.copy()), k, rep)
        assert str(e1.value) == str(e2.value)


def test_multinomial_half_without_replacement():
    g, tg = pair(73)
    probs = np.random.default_rng(0).random(30).astype(np.float16)
    tp = torch.from_numpy(probs.copy())
    assert_same(S.multinomial(g, probs, 1), torch.multinomial(tp, 1, generator=tg), "half k=1")
    assert_same(S.multinomial(g, probs, 6), torch.multinomial(tp, 6, generator=tg), "half k=6")
    follow(g, tg, "half multinomial")


# ---------------------------------------------------------------------------


# Stream consumption across a mix of calls, randomised
# ---------------------------------------------------------------------------

def _step(op, n, g, tg):
    if op == 0:
        return S.randn(g, (n,)), torch.randn(n, generator=tg)
    if op == 1:
        return S.rand(g, (n,), np.float64), torch.rand(n, generator=tg, dtype=torch.float64)
    if op == 2:
        return S.randint(g, -7, 2 ** 33, (n,)), torch.randint(-7, 2 ** 33, (n,), generator=tg)
    if op == 3:
        return S.randperm(g, n), torch.randperm(n, generator=tg)
    if op == 4:
        out = np.empty(n, np.float32)
        return S.exponential_(g, out, 2.0), torch.empty(n).exponential_(2.0, generator=tg)
    if op == 5:
        return S.randn(g, (n,), np.float64), torch.randn(n, generator=tg, dtype=torch.float64)
    if op == 6:
        p = np.linspace(0.05, 1, n).astype(np.float32)
        return (S.multinomial(g, p, min(3, n), False),
                torch.multinomial(torch.from_numpy(p), min(3, n), False, generator=tg))
    if op == 7:
        p = np.linspace(0.05, 1, n).astype(np.float32)
        return (S.multinomial(g, p, 4, True),
                torch.multinomial(torch.from_numpy(p), 4, True, generator=tg))
    if op == 8:
        p = np.full(n, 0.4, np.float32)
        return S.bernoulli(g, p), torch.bernoulli(torch.from_numpy(p), generator=tg)
    if op == 9:
        out = np.empty((n, 2), np.float32).T
        tout = torch.empty(n, 2).t()
        return S.normal_(g, out, 1.0, 3.0), tout.normal_(1.0, 3.0, generator=tg)
    if op == 10:
        out = np.empty(n, np.float64)
        return S.log_normal_(g, out, 0.2, 0.9), torch.empty(n, dtype=torch.float64).log_normal_(
            0.2, 0.9, generator=tg)
    if op == 11:
        out = np.empty(n, np.int64)
        return S.random_(g, out), torch.empty(n, dtype=torch.int64).random_(generator=tg)
    if op == 12:
        out = np.empty(n, np.float32)
        return S.cauchy_(g, out), torch.empty(n).cauchy_(generator=tg)
    if op == 13:
        p = np.linspace(0.05, 1, 3 * n).astype(np.float64).reshape(3, n)
        k = max(1, n // 2)
        return (S.multinomial(g, p, k, n % 2 == 0),
                torch.multinomial(torch.from_numpy(p), k, n % 2 == 0, generator=tg))
    out = np.empty((4, n), np.float32)
    return S.uniform_(g, out, -2.0, 0.5), torch.empty(4, n).uniform_(-2.0, 0.5, generator=tg)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2 ** 64 - 1),
       st.lists(st.tuples(st.integers(0, 14), st.integers(1, 70)), min_size=1, max_size=8))
def test_stream_consumption_mix(seed, steps):
    g, tg = pair(seed)
    for op, n in steps:
        a, b = _step(op, n, g, tg)
        assert_same(a, b, "op %d n=%d" % (op, n))
    follow(g, tg, "mix")
    assert_same(g.get_state(), tg.get_state(), "state after mix")
