"""Factory kernels.  On CPU, MindSpore tensors over fresh NumPy buffers are the cheapest
way to allocate (from_numpy is zero-copy, ~1 us; ops.zeros is a ~15 us kernel launch)."""
import numpy as np

from ops_table.common._ms import from_host


def _shape(size):
    return tuple(size)


def zeros_host(size, dtype):
    return np.zeros(_shape(size), dtype.np)


def ones_host(size, dtype):
    return np.ones(_shape(size), dtype.np)


def empty_host(size, dtype):
    # torch.empty promises nothing about the values; zeros keep runs reproducible.
    return np.zeros(_shape(size), dtype.np)


def empty_strided_host(size, stride, dtype):
    # Only the element count matters here; the dispatcher lays the strides over it.
    return np.zeros(_shape(size), dtype.np)


def full_host(size, fill_value, dtype):
    return np.full(_shape(size), fill_scalar(fill_value, dtype.np), dtype.np)


def fill_scalar(value, npd):
    """A fill value as PyTorch converts a Scalar to the dtype: a number an integral dtype
    cannot hold raises (an int may wrap into an unsigned dtype from as far below zero as
    its maximum: -1 fills uint8 with 255).  (fill_ does not check: its value may have been
    a tensor, which PyTorch casts, and the binder has made it a number by now.)"""
    if isinstance(value, (bool, np.bool_)) or npd.kind not in "iu" and not isinstance(value, int):
        return value
    if isinstance(value, (int, np.integer)):
        v = int(value)
        if npd.kind not in "iu":
            return value
        info = np.iinfo(npd)
        least = -int(info.max) if info.min == 0 else int(info.min)
        if not least <= v <= info.max:
            raise RuntimeError(f"value cannot be converted to type {npd.name}_t without overflow")
        return np.array(v, np.int64).astype(npd) if v < 0 and npd.kind == "u" else v
    if isinstance(value, (float, np.floating)):
        info = np.iinfo(npd)
        if not info.min <= value <= info.max:  # NaN and inf included
            raise RuntimeError(f"value cannot be converted to type {npd.name}_t without overflow")
    return value


def arange_host(start, end, step, dtype):
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) / step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    n = int(np.ceil((end - start) / step))
    if dtype.np.kind in "fc":
        return (start + np.arange(n, dtype=np.float64) * step).astype(dtype.np)
    return (start + np.arange(n, dtype=np.int64) * int(step)).astype(dtype.np) if all(
        float(v).is_integer() for v in (start, step)) else np.floor(start + np.arange(n) * step).astype(dtype.np)


def linspace_host(start, end, steps, dtype):
    if steps < 0:
        raise RuntimeError("linspace(): number of steps must be non-negative")
    return _linspace(start, end, steps).astype(dtype.np)


def _linspace(start, end, steps):
    # PyTorch fills the first half from `start` and the second half backwards from `end`.
    if steps == 1:
        return np.array([start], dtype=np.float64)
    step = (end - start) / (steps - 1)
    idx = np.arange(steps, dtype=np.float64)
    half = steps // 2
    return np.where(idx < half, start + step * idx, end - step * (steps - 1 - idx))


def eye_host(n, m, dtype):
    return np.eye(n, n if m is None else m, dtype=dtype.np)


def _on_ms(fn):
    def kernel(*args):
        return from_host(fn(*args))
    kernel.__name__ = fn.__name__.replace("_host", "_ms")
    return kernel


zeros_ms = _on_ms(zeros_host)
ones_ms = _on_ms(ones_host)
empty_ms = _on_ms(empty_host)
empty_strided_ms = _on_ms(empty_strided_host)
full_ms = _on_ms(full_host)
arange_ms = _on_ms(arange_host)
linspace_ms = _on_ms(linspace_host)
eye_ms = _on_ms(eye_host)


def fill_host(self, value):
    return np.full(self.shape, value, dtype=self.dtype)


def fill_ms(self, value):
    return from_host(np.full(tuple(self.shape), value, dtype=_np_of(self)))


def _np_of(arr):
    from ops_table.common._ms import _MS_TO_NP
    return np.dtype(_MS_TO_NP[str(arr.dtype)]) if str(arr.dtype) != "BFloat16" else arr.asnumpy().dtype


def zero_host(self):
    return np.zeros_like(self)


def zero_ms(self):
    return from_host(np.zeros(tuple(self.shape), dtype=_np_of(self)))
