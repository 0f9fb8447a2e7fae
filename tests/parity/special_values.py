"""Special floating values (NaN, +inf, -inf, -0.0) substituted into drawn parity cases.

The ordinary parity draws (tests/parity/strategies.py) hold finite values only, so an op
that drops a NaN or loses the sign of a zero passes them.  Here every case an entry's
sample spec draws is rewritten into a few deterministic variants, each a copy of the case
with special values written at fixed positions of every floating tensor argument, and
compared with real torch by the ordinary runner (values, NaN/inf positions, dtypes, error
types) plus the sign of every zero in the result."""
from random import Random

import numpy as np

from tests.parity.compare import to_numpy
from tests.parity.strategies import Arr, _apply_np, cases

FLOATING = ("float32", "float64", "float16", "bfloat16")

# What each variant writes into a floating tensor argument (k: flat position in the
# tensor as the op sees it, i: which floating argument this is, n: its element count).
VARIANTS = ("nan", "inf", "signed_zero", "mixed")


def _positions(n, i):
    """Three fixed positions for argument i (i shifts them so that two same-shaped
    arguments do not get their special values at the same place)."""
    return (n // 2 + i) % n, (n // 3 + 2 * i + 1) % n, (2 * n // 3 + 3 * i + 2) % n


def _fill(values, variant, i):
    """Write `variant`'s specials into `values` (a view as the op sees it). NaN goes to
    every third element from the second on, so most slices hold one that is neither first
    nor last (a kernel that keeps only a leading NaN is caught)."""
    n = values.size
    if n == 0:
        return
    flat = values.reshape(-1) if values.flags.c_contiguous else None
    at = (lambda k, v: flat.__setitem__(k, v)) if flat is not None else (lambda k, v: values.flat.__setitem__(k, v))
    p_nan, p_inf, p_ninf = _positions(n, i)
    if variant == "nan":
        for k in [k for k in range(n) if (k + i) % 3 == 1] or [p_nan]:
            at(k, np.nan)
    elif variant == "inf":
        if n == 1:
            at(0, np.inf if i % 2 == 0 else -np.inf)
        for k in range(n):
            if (k + i) % 4 == 1:
                at(k, np.inf)
            elif (k + i) % 4 == 3:
                at(k, -np.inf)
    elif variant == "signed_zero":
        for k in range(n):
            at(k, -0.0 if (k + i) % 2 == 0 else 0.0)
    elif variant == "mixed":
        for k in range(0, n, 4):
            at(k, -0.0)
        at(p_inf, np.inf)
        at(p_ninf, -np.inf)
        at(p_nan, np.nan)
    else:
        raise ValueError(variant)


def substitute(args, kwargs, variant):
    """(args, kwargs, n): a copy of a drawn case with `variant`'s special values in every
    floating tensor, n the number of floating elements there were to write into."""
    index, count = [0], [0]

    def conv(v):
        if isinstance(v, Arr):
            if v.dtype not in FLOATING:
                return v
            out = Arr(v.buf.copy(), v.layout, v.dtype)
            view = _apply_np(out.buf, out.layout)
            _fill(view, variant, index[0])
            index[0] += 1
            count[0] += view.size
            return out
        if isinstance(v, list):
            return [conv(x) for x in v]
        if isinstance(v, tuple) and any(isinstance(x, Arr) for x in v):
            return tuple(conv(x) for x in v)
        return v
    return [conv(a) for a in args], {k: conv(v) for k, v in kwargs.items()}, count[0]


def floating_dtypes(sample):
    return [d for d in sample["dtypes"] if d in FLOATING]


def floating_entries(samples):
    return sorted(n for n, s in samples.items() if floating_dtypes(s))


def assert_same_zero_signs(ours, ref, what="result"):
    """Where torch's result holds a zero, mstorch's zero has the same sign."""
    import torch
    if isinstance(ref, (tuple, list)):
        for k, (a, b) in enumerate(zip(ours, ref)):
            assert_same_zero_signs(a, b, f"{what}[{k}]")
        return
    if not isinstance(ref, torch.Tensor) or not ref.dtype.is_floating_point:
        return
    a, b = to_numpy(ours), to_numpy(ref)
    zero = (b == 0) & (a == 0)
    bad = zero & (np.signbit(a) != np.signbit(b))
    if bad.any():
        k = tuple(int(x) for x in np.argwhere(bad)[0])
        raise AssertionError(f"{what}: zero sign differs at {k}: mstorch {a[k]!r}, torch {b[k]!r}")


def _provider():
    from hypothesis.internal.conjecture.providers import HypothesisProvider

    class SeededOnly(HypothesisProvider):
        """Hypothesis's own generator minus the constants it harvests from whatever modules
        happen to be imported (which made `derandomize` draws depend on test order)."""

        def _maybe_draw_constant(self, *args, **kwargs):
            return None
    return SeededOnly


def deterministic_cases(sample, count):
    """The first `count` cases seeds 0, 1, ... draw from the entry's sample spec, cycling
    through its floating dtypes (each at least once): [(dtype, args, kwargs)].  The same
    on every run and in any test order."""
    from hypothesis.errors import HypothesisException, StopTest
    from hypothesis.internal.conjecture.data import ConjectureData
    dtypes = floating_dtypes(sample)
    want = max(count, len(dtypes))
    out, seed = [], 0
    provider = _provider()
    while len(out) < want and seed < 8 * want:
        dtype = dtypes[len(out) % len(dtypes)]
        data = ConjectureData(random=Random(seed), provider=provider)
        seed += 1
        try:
            out.append(data.draw(cases(dict(sample, dtypes=[dtype]))))
        except (StopTest, HypothesisException):
            continue  # a rejected draw (assume / filter / too large): the next seed
    return out
