"""Forward and gradient parity of every table entry against real torch (the oracle).

Driven by the table itself: each entry's sample spec is turned into a hypothesis
strategy; values, dtypes, shapes, raised error types and gradients must agree."""
import pytest
from hypothesis import HealthCheck, given, settings

from tests.parity.runner import SAMPLES, TABLE, check_forward, check_grad, call_both, builtin_error_type
from tests.parity.strategies import cases, invalid_case

NAMES = sorted(TABLE)
# Hundreds of entries x (forward, gradient): the ci profile draws few examples per entry
# (the whole parity suite must fit ~8 minutes of CI); `dev` and longer runs draw more.
_EXAMPLES = {"ci": 8, "dev": 60}.get(settings._current_profile, 200)
_SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), max_examples=_EXAMPLES)


def test_every_entry_has_a_strategy():
    assert all(SAMPLES[n]["args"] is not None for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_forward(name):
    sample = SAMPLES[name]

    @settings(**_SETTINGS)
    @given(cases(sample))
    def run(case):
        _, args, kwargs = case
        check_forward(name, args, kwargs, sample)
    run()


@pytest.mark.parametrize("name", [n for n in NAMES if isinstance(TABLE[n]["backward"], dict)
                                  or (TABLE[n]["backward"] is None and SAMPLES[n]["grad"])])
def test_grad(name):
    sample = SAMPLES[name]
    if not sample["grad"]:
        return

    @settings(**_SETTINGS)
    @given(cases(sample))
    def run(case):
        _, args, kwargs = case
        check_grad(name, args, kwargs, sample)
    run()


@pytest.mark.parametrize("name", [n for n in NAMES if SAMPLES[n]["invalid"]])
def test_invalid_input_raises_like_torch(name):
    for call in SAMPLES[name]["invalid"]:
        args, kwargs = invalid_case(call, SAMPLES[name])
        ours, ours_exc, ref, ref_exc = call_both(name, args, kwargs)
        assert ref_exc is not None, f"the invalid call {call} does not fail in torch"
        want = builtin_error_type(ref_exc)
        assert isinstance(ours_exc, want), f"torch: {want.__name__}({ref_exc}); mstorch: {ours_exc!r}"
