"""Argument checks of integer arithmetic that raise PyTorch's errors before a kernel runs."""


def pow_(self, exponent):
    # Only a Python int exponent is refused (a tensor exponent gives 0, as PyTorch's powi).
    if type(exponent) is int and exponent < 0 and not isinstance(self, (int, float, complex)) \
            and not self.is_floating_point() and not self.is_complex():
        raise RuntimeError("Integers to negative integer powers are not allowed.")


def full(size, fill_value, *_):
    # A Python int converts to PyTorch's Scalar only within int64 and uint64.
    if type(fill_value) is int and not -2 ** 63 <= fill_value < 2 ** 64:
        raise OverflowError("int too big to convert")
