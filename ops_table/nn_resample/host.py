"""NumPy constant padding (negative widths crop) and its argument check."""
import numpy as np


def constant_pad_nd(x, pad, value):
    """Pads the last len(pad)//2 dims (pairs from the last dim backwards); negative pads crop."""
    nd = len(pad) // 2
    crop = [slice(None)] * x.ndim
    widths = [(0, 0)] * x.ndim
    for i in range(nd):
        d = x.ndim - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        n = x.shape[d]
        crop[d] = slice(max(-lo, 0), n - max(-hi, 0))
        widths[d] = (max(lo, 0), max(hi, 0))
    x = x[tuple(crop)]
    if x.ndim == 0:
        return x.copy()
    v = value.item() if hasattr(value, "item") else value
    return np.pad(x, widths, constant_values=np.array(v).astype(x.dtype))


def check_constant_pad_nd(x, pad, value=0):
    if len(pad) % 2:
        raise RuntimeError("Length of pad must be even but instead it equals " + str(len(pad)))
    if len(pad) // 2 > x.dim():
        raise RuntimeError("Length of pad should be no more than twice the number of dimensions of the input. "
                           f"Pad length is {len(pad)} while the input has {x.dim()} dimensions.")
    for i in range(len(pad) // 2):
        d = x.dim() - 1 - i
        if x.shape[d] + pad[2 * i] + pad[2 * i + 1] < 0:
            raise RuntimeError(f"The input size {x.shape[d]}, plus negative padding {pad[2 * i]} and "
                               f"{pad[2 * i + 1]} resulted in a negative output size, which is invalid. Check "
                               f"dimension {d} of your input.")
