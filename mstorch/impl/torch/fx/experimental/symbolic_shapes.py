"""torch.fx.experimental.symbolic_shapes: mstorch has no symbolic sizes (every size is a
Python int), so these guards reduce to the plain value, as PyTorch's do for non-symbolic input."""


def _plain_bool(x, who):
    if not isinstance(x, bool):
        raise AssertionError(f"Expected bool, got {type(x)}")
    return x


def guard_or_false(a):
    return _plain_bool(a, "guard_or_false")


def guard_or_true(a):
    return _plain_bool(a, "guard_or_true")


def statically_known_true(x):
    return _plain_bool(x, "statically_known_true")


def free_symbols(val):
    return set()


def free_unbacked_symbols(x):
    return set()


def has_free_symbols(val):
    return False


def is_concrete_int(a):
    return isinstance(a, int)


class GuardOnDataDependentSymNode(RuntimeError):
    pass
