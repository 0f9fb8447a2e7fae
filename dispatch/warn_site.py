"""The stack level at which a warning names the user's line, not mstorch's.

PyTorch's warnings point at the caller's code. Here a call may pass through several
layers of mstorch (the __torch_function__ wrapper, the binder, proxies) before the code
that warns, and how many depends on the route, so a fixed stacklevel names one of them."""
import os
import sys

_OURS = tuple(os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep + pkg + os.sep
              for pkg in ("dispatch", "mstorch", "ops_table"))


def user_stacklevel():
    """For warnings.warn in the function calling this: the level of the first frame outside
    mstorch's packages (2 when the caller's caller is already the user's code)."""
    frame, level = sys._getframe(2), 2
    while frame is not None and frame.f_code.co_filename.startswith(_OURS):
        frame, level = frame.f_back, level + 1
    return level
