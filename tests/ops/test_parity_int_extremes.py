"""Integer parity at the extremes: every table entry whose samples include an integer
dtype, fed INT64_MIN/INT64_MAX, values float64 cannot hold (2**53 + 1, 2**62 + 3), zero
divisors and the bounds of every integer dtype (tests/parity/int_extremes.py), must give
PyTorch's exact values (wrapping where PyTorch wraps) or raise PyTorch's error type."""
import pytest
from hypothesis import HealthCheck, given, settings

import torch

import mstorch
from tests.parity.compare import assert_same
from tests.parity.int_extremes import CALLS, INT_DTYPES, evaluate, extreme_cases
from tests.parity.runner import SAMPLES, TABLE, builtin_error_type, check_forward

# Entries not fed extremes at all, each with why.
EXEMPT = {
    "one_hot": "the values are class numbers: num_classes = max + 1 asks for exabytes",
    "repeat_interleave": "the values are repeat counts: extremes ask for exabytes",
    "randint_like": "the values are not read (only shape and dtype)",
    "random": "the values are not read (only shape and dtype)",
    "geometric": "the values are not read (only shape and dtype)",
    "bernoulli_": "the values are not read (only shape and dtype)",
}
# Entries whose integer arguments at these positions are indices or sizes: they keep
# their drawn (valid) values, the other integer tensors go to the extremes.
_INDICES = "indices: out-of-range ones are the indexing suite's (PyTorch raises RuntimeError for some, IndexError " \
           "for others)"
KEEP = {
    "index_select": ((2,), _INDICES), "index_add": ((2,), _INDICES), "index_copy": ((2,), _INDICES),
    "index_fill": ((2,), _INDICES), "index": ((1,), _INDICES), "index_put": ((1,), _INDICES),
    "searchsorted": ((0,), "the sorted sequence must be sorted: extremes drawn at random leave the result unspecified"),
    "bucketize": ((1,), "the boundaries must be sorted: extremes drawn at random leave the result unspecified"),
}
# Values left out of the pool for an entry because PyTorch itself dies on them.
DROP = {
    "lcm": ("min", "PyTorch's lcm dies with SIGFPE on (INT_MIN, INT_MIN + 1) for int32/int64"),
    "div": ("min", "PyTorch's div(rounding_mode='trunc') dies with SIGFPE on INT_MIN / -1 for int32/int64"),
}

_EXAMPLES = {"ci": 3, "dev": 25}.get(settings._current_profile, 40)
_SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), max_examples=_EXAMPLES, derandomize=True)
NAMES = sorted(n for n in TABLE if set(SAMPLES[n]["dtypes"]) & set(INT_DTYPES))


@pytest.mark.parametrize("name", NAMES)
def test_integer_extremes(name):
    if name in EXEMPT:
        pytest.skip(EXEMPT[name])
    sample = SAMPLES[name]

    @settings(**_SETTINGS)
    @given(extreme_cases(sample, KEEP.get(name, ((),))[0], DROP.get(name, ((),))[0]))
    def run(case):
        _, args, kwargs = case
        check_forward(name, args, kwargs, sample)
    run()


def _check_call(src):
    ref, ref_exc = evaluate(torch, src)
    ours, ours_exc = evaluate(mstorch.torch, src)
    if ref_exc is not None:
        want = builtin_error_type(ref_exc)
        assert isinstance(ours_exc, want), f"torch raised {want.__name__}({ref_exc}); mstorch: {ours_exc!r} / {ours!r}"
        return
    if ours_exc is not None:
        raise AssertionError(f"mstorch raised {type(ours_exc).__name__}: {ours_exc}") from ours_exc
    assert_same(ours, ref, what=src)


_CHUNK = 24


@pytest.mark.parametrize("first", range(0, len(CALLS), _CHUNK))
def test_integer_calls(first):
    """Hand-written calls (tests/parity/int_extremes.py CALLS), a chunk per test: division
    by zero in every integer dtype and spelling, wrapping arithmetic, reductions, sorting
    and matmul above 2**53, constructors and fill values out of a dtype's range."""
    failures = []
    for src in CALLS[first:first + _CHUNK]:
        try:
            _check_call(src)
        except AssertionError as e:
            failures.append(f"{src}: {e}")
    assert not failures, "\n".join(failures)
