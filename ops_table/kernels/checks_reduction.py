"""Checks for reductions (PyTorch's errors for bad dims and dtypes)."""


def dims(self, dim=None, *rest):
    n = self.dim()
    if dim is None:
        return
    lo, hi = (-1, 0) if n == 0 else (-n, n - 1)
    seen = set()
    for d in dim:
        if not lo <= d <= hi:
            raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {d})")
        w = d % max(n, 1)
        if w in seen:
            raise RuntimeError(f"dim {w} appears multiple times in the list of dims")
        seen.add(w)


def mean(self, dim=None, keepdim=False, dtype=None):
    dims(self, dim)
    d = dtype or self.dtype
    if not (d.is_floating_point or d.is_complex):
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point or "
                           f"complex dtype. Got: {_legacy(d)}")


def _legacy(d):
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}.get(d.name, d.name)
