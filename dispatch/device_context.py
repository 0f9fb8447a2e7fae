"""The default device stack behind `with torch.device(...)` and `torch.set_default_device`."""
_stack = []


def push(d):
    _stack.append(d)


def pop():
    _stack.pop()


def current():
    return _stack[-1] if _stack else None
