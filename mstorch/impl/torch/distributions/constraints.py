"""torch.distributions.constraints: the value sets a distribution's parameters and samples lie in."""

__all__ = ["Constraint", "real", "positive", "greater_than"]


class Constraint:
    is_discrete = False
    event_dim = 0

    def check(self, value):
        raise NotImplementedError(f"{type(self).__name__}.check(): a Constraint subclass must implement check()")

    def __repr__(self):
        return type(self).__name__[1:] + "()"


class _Real(Constraint):
    def check(self, value):
        return value == value  # False only at NaN


class _GreaterThan(Constraint):
    def __init__(self, lower_bound):
        self.lower_bound = lower_bound

    def check(self, value):
        return self.lower_bound < value

    def __repr__(self):
        return f"GreaterThan(lower_bound={self.lower_bound})"


real = _Real()
positive = _GreaterThan(0.0)
greater_than = _GreaterThan
