"""Argument checks of integer arithmetic that raise PyTorch's errors before a kernel runs."""


def pow_(self, exponent):
    # Only a Python int exponent is refused (a tensor exponent gives 0, as PyTorch's powi).
    if type(exponent) is int and exponent < 0 and not isinstance(self, (int, float, complex)) \
            and not self.is_floating_point() and not self.is_complex():
        raise RuntimeError("Integers to negative integer powers are not allowed.")
