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


def _integral(x):
    return not isinstance(x, (float, complex)) and (
        isinstance(x, int) or not (x.is_floating_point() or x.is_complex()))


def lerp(self, end, weight):
    if _integral(self):
        raise NotImplementedError(f"\"lerp_kernel_scalar\" not implemented for '{_TORCH[str(self.dtype)]}'")


def alpha(self, other, alpha):
    # add/sub: an integral result takes no floating alpha, and alpha must fit its dtype
    if alpha == 1 or type(alpha) is bool:
        return
    if _integral(self) and _integral(other):
        if isinstance(alpha, float):
            raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
        dtype = self.dtype if not isinstance(self, int) else other.dtype
        _fits(alpha, dtype)


def clamp(self, lo=None, hi=None):
    # Python int bounds of an integral tensor must fit its dtype
    if not isinstance(self, (int, float, complex)) and _integral(self):
        for v in (lo, hi):
            if type(v) is int:
                _fits(v, self.dtype)


_TORCH = {"torch.int64": "Long", "torch.int32": "Int", "torch.int16": "Short", "torch.int8": "Char",
          "torch.uint8": "Byte", "torch.bool": "Bool"}
_BOUNDS = {"torch.int64": (-2 ** 63, 2 ** 63 - 1), "torch.int32": (-2 ** 31, 2 ** 31 - 1),
           "torch.int16": (-2 ** 15, 2 ** 15 - 1), "torch.int8": (-128, 127), "torch.uint8": (-255, 255)}


def _fits(v, dtype):
    """PyTorch's Scalar-to-dtype conversion check (an int wraps into uint8 from -255)."""
    lo, hi = _BOUNDS.get(str(dtype), (None, None))
    if lo is not None and not lo <= v <= hi:
        name = str(dtype).replace("torch.", "")
        raise RuntimeError(f"value cannot be converted to type {name}_t without overflow")
