"""The long profile: tests too slow for CI run only with MSTORCH_LONG_TESTS=1."""
import os

import pytest

LONG = os.environ.get("MSTORCH_LONG_TESTS") == "1"


def skip_unless_long(cost):
    """Skip marker naming what makes the test long (`cost`) and how to run it."""
    return pytest.mark.skipif(not LONG, reason=f"{cost}: long profile, MSTORCH_LONG_TESTS=1")
