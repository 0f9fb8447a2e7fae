"""torch.testing.make_tensor: random tensors drawn with torch's own generator, so a seeded
call gives what PyTorch's gives (same ranges, same draws in the same order)."""
import collections.abc
import math
import warnings


def _torch():
    from mstorch.impl.torch._ns import torch
    return torch


def _bounds(dtype, low, high, lowest, highest_exclusive, default_low, default_high, integral):
    low = default_low if low is None else low
    high = default_high if high is None else high
    if any(isinstance(v, float) and math.isnan(v) for v in (low, high)):
        raise ValueError(f"`low` and `high` cannot be NaN, but got low={low} and high={high}")
    if low == high and not integral:
        warnings.warn("Passing `low==high` to `torch.testing.make_tensor` for floating or complex types is "
                      "deprecated since 2.1 and will be removed in 2.3. Use `torch.full(...)` instead.",
                      FutureWarning, stacklevel=3)
    elif low >= high:
        raise ValueError(f"`low` must be less than `high`, but got {low} >= {high}")
    elif high < lowest or low >= highest_exclusive:
        raise ValueError(f"The value interval specified by `low` and `high` is [{low}, {high}), but {dtype} only "
                         f"supports [{lowest}, {highest_exclusive})")
    low, high = (min(max(v, lowest), highest_exclusive) for v in (low, high))
    return (math.ceil(low), math.ceil(high)) if integral else (low, high)


def make_tensor(*shape, dtype, device, low=None, high=None, requires_grad=False, noncontiguous=False,
                exclude_zero=False, memory_format=None):
    torch = _torch()
    if len(shape) == 1 and isinstance(shape[0], collections.abc.Sequence):
        shape = shape[0]
    shape = tuple(shape)
    if noncontiguous and memory_format is not None:
        raise ValueError("The parameters `noncontiguous` and `memory_format` are mutually exclusive, but got "
                         f"noncontiguous={noncontiguous} and memory_format={memory_format}")
    integral = dtype is torch.bool or not (dtype.is_floating_point or dtype.is_complex)
    if requires_grad and integral:
        raise ValueError(f"`requires_grad=True` is not supported for boolean and integral dtypes, but got "
                         f"dtype={dtype}")
    noncontiguous = noncontiguous and math.prod(shape) > 1
    if noncontiguous:
        # Twice as wide, then the odd elements: PyTorch's draws, at a non-unit last stride.
        shape = (*shape[:-1], 2 * shape[-1])
    if dtype is torch.bool:
        low, high = _bounds(dtype, low, high, 0, 2, 0, 2, True)
        result = torch.randint(low, high, shape, device=device, dtype=dtype)
    elif integral:
        info = torch.iinfo(dtype)
        highest = info.max + (1 if dtype is not torch.int64 else 0)
        low, high = _bounds(dtype, low, high, info.min, highest, -9, 10, True)
        result = torch.randint(low, high, shape, device=device, dtype=dtype)
    else:
        info = torch.finfo(dtype)
        low, high = _bounds(dtype, low, high, info.min, info.max, -9, 9, False)
        result = torch.empty(shape, device=device, dtype=dtype)
        target = torch.view_as_real(result) if dtype.is_complex else result
        # uniform_ needs high - low to be finite in the dtype: draw half the range and double it.
        if high - low >= info.max:
            target.uniform_(low / 2, high / 2).mul_(2)
        else:
            target.uniform_(low, high)
    if noncontiguous:
        result = result[..., 1::2]
    elif memory_format is not None:
        result = result.clone(memory_format=memory_format)
    if exclude_zero:
        if integral:
            replacement = 1
        else:
            tiny = torch.finfo(dtype).tiny
            replacement = complex(tiny, tiny) if dtype.is_complex else tiny
        result[result == 0] = replacement
    if dtype.is_floating_point or dtype.is_complex:
        result.requires_grad = requires_grad
    return result
