"""The `enabled` fixture: the import hook on for one test, off afterwards whatever happens."""
import pytest

import mstorch


@pytest.fixture
def enabled():
    mstorch.enable()
    try:
        yield mstorch.torch
    finally:
        mstorch.disable()
