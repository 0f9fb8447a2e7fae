"""torch.testing.assert_close: nested inputs compared pairwise, with PyTorch's per-dtype
default tolerances, its AssertionError/TypeError/ValueError and the shape of its messages."""
import cmath
import collections.abc
import math

import numpy as np

# (rtol, atol) per dtype name; any other dtype compares exactly.
_TOLERANCES = {"float16": (1e-3, 1e-5), "bfloat16": (1.6e-2, 1e-5), "float32": (1.3e-6, 1e-5),
               "float64": (1e-7, 1e-7), "complex32": (1e-3, 1e-5), "complex64": (1.3e-6, 1e-5),
               "complex128": (1e-7, 1e-7)}


class _Mismatch(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type, self.message = error_type, message


def _torch():
    from mstorch.impl.torch._ns import torch
    return torch


def _is_tensor_like(x):
    return isinstance(x, (_torch().Tensor, np.ndarray))


def _is_number(x):
    return isinstance(x, (int, float, complex)) and not isinstance(x, bool)


def _tolerances(dtypes, rtol, atol):
    if (rtol is None) != (atol is None):
        raise ValueError("Both 'rtol' and 'atol' must be either specified or omitted, but got no "
                         f"{'rtol' if rtol is None else 'atol'}.")
    if rtol is not None:
        return rtol, atol
    pairs = [_TOLERANCES.get(d, (0.0, 0.0)) for d in dtypes]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


def _dtype_name(dtype):
    return str(dtype).rpartition(".")[2]


def _report(kind, rtol, atol):
    """The first lines of a failure message: header and the tolerance notes."""
    exact = rtol == 0 and atol == 0
    header = f"{kind} are not {'equal' if exact else 'close'}!\n\n"
    up_to = (lambda tol: "") if exact else (lambda tol: f" (up to {tol} allowed)")
    return header, up_to


def _scalar_message(kind, actual, expected, abs_diff, rel_diff, rtol, atol):
    header, up_to = _report(kind, rtol, atol)
    return (f"{header}Expected {expected} but got {actual}.\nAbsolute difference: {abs_diff}{up_to(atol)}\n"
            f"Relative difference: {rel_diff}{up_to(rtol)}")


def _close(a, e, rtol, atol, equal_nan):
    with np.errstate(invalid="ignore", over="ignore"):
        close = a == e
        finite = np.isfinite(a) & np.isfinite(e)
        close |= finite & (np.abs(a - e) <= atol + rtol * np.abs(e))
        if equal_nan:
            close |= np.isnan(a) & np.isnan(e)
    return close


def _compare_numbers(actual, expected, rtol, atol, equal_nan):
    if isinstance(actual, complex) or isinstance(expected, complex):
        dtype = "complex128"
    elif isinstance(actual, float) or isinstance(expected, float):
        dtype = "float64"
    else:
        dtype = "int64"
    rtol, atol = _tolerances([dtype], rtol, atol)
    if actual == expected or (equal_nan and _isnan(actual) and _isnan(expected)):
        return
    abs_diff = abs(actual - expected)
    if math.isfinite(abs(abs_diff)) and abs_diff <= atol + rtol * abs(expected):
        return
    rel_diff = abs_diff / abs(expected) if expected != 0 else math.inf
    raise _Mismatch(AssertionError, _scalar_message("Scalars", actual, expected, abs_diff, rel_diff, rtol, atol))


def _isnan(x):
    return cmath.isnan(x) if isinstance(x, complex) else math.isnan(x)


def _as_numpy(t):
    torch = _torch()
    if isinstance(t, np.ndarray):
        return t
    t = t.detach().cpu()
    if t.dtype is torch.bfloat16:
        t = t.float()
    return t.numpy()


def _check_attributes(actual, expected, check_device, check_dtype, check_layout, check_stride):
    def differ(name, a, e):
        raise _Mismatch(AssertionError, f"The values for attribute '{name}' do not match: {a} != {e}.")
    if actual.shape != expected.shape:
        differ("shape", actual.shape, expected.shape)
    if isinstance(actual, np.ndarray):
        if check_dtype and actual.dtype != expected.dtype:
            differ("dtype", actual.dtype, expected.dtype)
        return
    if check_device and actual.device != expected.device:
        differ("device", actual.device, expected.device)
    if check_dtype and actual.dtype != expected.dtype:
        differ("dtype", actual.dtype, expected.dtype)
    if check_layout and actual.layout != expected.layout:
        differ("layout", actual.layout, expected.layout)
    if check_stride and actual.stride() != expected.stride():
        differ("stride()", actual.stride(), expected.stride())


def _compare_tensors(actual, expected, rtol, atol, equal_nan, checks):
    _check_attributes(actual, expected, *checks)
    dtypes = [_dtype_name(actual.dtype), _dtype_name(expected.dtype)]
    rtol, atol = _tolerances(dtypes, rtol, atol)
    a, e = _as_numpy(actual), _as_numpy(expected)
    if a.dtype != e.dtype:
        common = np.promote_types(a.dtype, e.dtype)
        a, e = a.astype(common), e.astype(common)
    if a.dtype == np.bool_:
        a, e = a.astype(np.int64), e.astype(np.int64)
    close = _close(a, e, rtol, atol, equal_nan)
    if close.all():
        return
    integral = a.dtype.kind in "iu"
    if integral:
        a, e = a.astype(np.int64), e.astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        abs_diff = np.abs(a - e)
        # PyTorch reports integer relative differences in the default float dtype.
        rel_diff = (abs_diff.astype(np.float32) / np.abs(e).astype(np.float32)) if integral else abs_diff / np.abs(e)
    abs_diff, rel_diff = np.asarray(abs_diff), np.asarray(rel_diff)
    if a.ndim == 0:
        message = _scalar_message("Scalars", a.item(), e.item(), abs_diff.item(), rel_diff.item(), rtol, atol)
        raise _Mismatch(AssertionError, message)
    header, up_to = _report("Tensor-likes", rtol, atol)
    mismatched, total = int((~close).sum()), close.size

    def greatest(diff):
        flat = int(np.argmax(diff.ravel()))
        return diff.ravel()[flat].item(), tuple(int(i) for i in np.unravel_index(flat, diff.shape))
    max_abs, abs_at = greatest(abs_diff)
    max_rel, rel_at = greatest(rel_diff)
    raise _Mismatch(AssertionError, f"{header}Mismatched elements: {mismatched} / {total} "
                    f"({mismatched / total:.1%})\nGreatest absolute difference: {max_abs} at index {abs_at}"
                    f"{up_to(atol)}\nGreatest relative difference: {max_rel} at index {rel_at}{up_to(rtol)}")


def _compare(actual, expected, path, options):
    rtol, atol, equal_nan, allow_subclasses, checks = options
    if not allow_subclasses and type(actual) is not type(expected):
        raise _Mismatch(TypeError, f"No comparison pair was able to handle inputs of type {type(actual)} and "
                        f"{type(expected)}.")
    try:
        if actual is None or expected is None:
            if actual is not expected:
                raise _Mismatch(AssertionError, f"None mismatch: {actual} is not {expected}")
        elif isinstance(actual, bool) and isinstance(expected, bool):
            if actual is not expected:
                raise _Mismatch(AssertionError, f"Booleans mismatch: {actual} is not {expected}")
        elif _is_number(actual) and _is_number(expected):
            _compare_numbers(actual, expected, rtol, atol, equal_nan)
        elif _is_tensor_like(actual) and _is_tensor_like(expected) and \
                isinstance(actual, np.ndarray) == isinstance(expected, np.ndarray):
            _compare_tensors(actual, expected, rtol, atol, equal_nan, checks)
        elif _is_sequence(actual) and _is_sequence(expected):
            if len(actual) != len(expected):
                raise _Mismatch(AssertionError, f"The length of the sequences mismatch: {len(actual)} != "
                                f"{len(expected)}")
            for i, (a, e) in enumerate(zip(actual, expected)):
                _compare(a, e, path + (i,), options)
            return
        elif isinstance(actual, collections.abc.Mapping) and isinstance(expected, collections.abc.Mapping):
            _compare_mappings(actual, expected, path, options)
            return
        else:
            raise _Mismatch(TypeError, f"No comparison pair was able to handle inputs of type {type(actual)} and "
                            f"{type(expected)}.")
    except _Mismatch as mismatch:
        if path and not getattr(mismatch, "located", False):
            mismatch.message += "\n\nThe failure occurred for item " + "".join(f"[{k!r}]" for k in path)
            mismatch.located = True
        raise


def _is_sequence(x):
    return isinstance(x, collections.abc.Sequence) and not isinstance(x, str)


def _compare_mappings(actual, expected, path, options):
    if actual.keys() != expected.keys():
        missing = sorted(set(expected) - set(actual), key=repr)
        extra = sorted(set(actual) - set(expected), key=repr)
        raise _Mismatch(AssertionError, "The keys of the mappings do not match:\n"
                        f"Missing keys in the actual mapping: {missing}\n"
                        f"Additional keys in the actual mapping: {extra}")
    for key in expected:
        _compare(actual[key], expected[key], path + (key,), options)


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None, equal_nan=False,
                 check_device=True, check_dtype=True, check_layout=True, check_stride=False, msg=None):
    if (rtol is None) != (atol is None):
        _tolerances([], rtol, atol)
    options = (rtol, atol, equal_nan, allow_subclasses, (check_device, check_dtype, check_layout, check_stride))
    try:
        _compare(actual, expected, (), options)
    except _Mismatch as mismatch:
        message = mismatch.message
        if mismatch.error_type is AssertionError and msg is not None:
            message = msg(message) if callable(msg) else msg
        raise mismatch.error_type(message) from None
