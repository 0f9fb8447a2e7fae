"""Argument checks for isin and bincount (PyTorch's error types and messages)."""
from ops_table.common.provided import get as _get


def _dtype_of(v):
    dtype = getattr(v, "dtype", None)
    if dtype is not None:
        return dtype
    return _get("scalar_dtype")(v)


def _flat_view_possible(t):
    """Whether t.view(-1) succeeds: every dimension of more than one element steps
    exactly over the ones after it."""
    expected = None
    for size, stride in reversed(list(zip(t.shape, t.stride()))):
        if size == 1:
            continue
        if expected is not None and stride != expected:
            return False
        expected = stride * size
    return True


def isin(elements, test_elements, assume_unique=False, invert=False):
    for v in (elements, test_elements):
        d = _dtype_of(v)
        if d.is_complex or d.name == "bool":
            raise RuntimeError(f"Unsupported input type encountered for isin(): {d.scalar_type}")
    if hasattr(test_elements, "stride"):
        # PyTorch 2.13 compares small test sets element by element after flattening them
        # with view(), which fails for test sets that are not flat-viewable.
        n_elements = elements.numel() if hasattr(elements, "numel") else 1
        if test_elements.numel() < int(10.0 * n_elements ** 0.145) and not _flat_view_possible(test_elements):
            raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                               "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")


def bincount(self, weights=None, minlength=0):
    if self.dtype.is_floating_point or self.dtype.is_complex or self.dtype.name == "bool":
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for '{self.dtype.scalar_type}'")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if self.dim() != 1 or (self.numel() and bool((self.detach() < 0).any())):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is not None and (weights.dim() != 1 or weights.shape[0] != self.shape[0]):
        raise RuntimeError("weights should be 1-d and have the same length as input")
