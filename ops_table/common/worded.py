"""Errors a kernel raises on purpose in PyTorch's own words (e.g. integer division by zero,
which only the data can tell): the dispatcher passes them on as they are, where MindSpore's
errors get the op's name put in front and their C++ trace cut."""

_MARK = "_mstorch_pytorch_worded"


def worded(exc):
    """`exc`, marked to reach the user unchanged."""
    setattr(exc, _MARK, True)
    return exc


def is_worded(exc):
    return getattr(exc, _MARK, False)
