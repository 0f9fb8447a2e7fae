"""torch.frombuffer: a 1-D tensor over the memory of a buffer-protocol object (no copy)."""
import warnings

from dispatch import dtypes as _dt

_warned_read_only = []


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    from dispatch.buffers import elements_of_buffer
    from dispatch.interop import from_numpy
    if not isinstance(dtype, _dt.dtype):
        raise TypeError(f"frombuffer(): argument 'dtype' must be torch.dtype, not {type(dtype).__name__}")
    for name, value in (("count", count), ("offset", offset)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"frombuffer(): argument '{name}' must be int, not {type(value).__name__}")
    arr = elements_of_buffer(buffer, dtype, count, offset)
    if not arr.flags.writeable and not _warned_read_only:
        # PyTorch warns once per process.
        _warned_read_only.append(True)
        warnings.warn("The given buffer is not writable, and PyTorch does not support non-writable tensors. This "
                      "means you can write to the underlying (supposedly non-writable) buffer using the tensor. You "
                      "may want to copy the buffer to protect its data or make it writable before converting it to "
                      "a tensor. This type of warning will be suppressed for the rest of this program.",
                      UserWarning, stacklevel=2)
    with warnings.catch_warnings():
        # from_numpy's own warning about read-only arrays would say the same again.
        warnings.simplefilter("ignore", UserWarning)
        out = from_numpy(arr)
    if requires_grad:
        out.requires_grad_(True)
    return out
