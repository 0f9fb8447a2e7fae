"""The vocabulary of table entries.  An entry is plain data: `op(...)` only checks and
normalises it.  See ops_table/README.md for the meaning of each field."""

VARIANTS = {"function", "method", "inplace", "out"}
PROMOTIONS = {
    "none",      # no casting; kernels see inputs as given
    "same",      # inputs promoted to a common dtype, result in that dtype
    "float",     # as "same", integral/bool results become the default float dtype
    "float_unless_rounded",  # as "float", but as "same" when the `rounding_mode` argument is given (div)
    "compare",   # inputs promoted to a common dtype, result bool
    "first",     # result dtype is the first tensor's dtype; others cast to it
    "int64",     # result int64 (indices, counts)
    "sum",       # like "first", but integral and bool inputs accumulate in int64 (sum, cumsum, prod)
}
BACKENDS = ("ascend", "gpu", "cpu", "host")
# The kernel columns an entry may write: `default` serves every MindSpore backend
# (ascend, gpu, cpu) that has no column of its own; `host` is the NumPy backend.
COLUMNS = ("default",) + BACKENDS
MS_BACKENDS = ("ascend", "gpu", "cpu")


def op(schema, *, kernels=None, composite=None, variants=("function", "method"), namespaces=("torch",), aliases=(),
       dunders=(), promote="same", backward=None, nondiff_outputs=(), view=None, check=None,
       samples=None, compute_dtypes=None, doc=None, factory_dtype=None):
    schemas = [schema] if isinstance(schema, str) else list(schema)
    if composite is not None:
        # A decomposition into table ops serves every backend, the host one included.
        if kernels is not None:
            raise ValueError(f"{schemas[0]}: give kernels or a composite, not both")
        kernels = {"default": composite, "host": composite}
    bad = set(variants) - VARIANTS
    if bad:
        raise ValueError(f"{schemas[0]}: unknown variants {bad}")
    if promote not in PROMOTIONS:
        raise ValueError(f"{schemas[0]}: unknown promotion {promote!r}")
    if kernels is not None:
        for b in kernels:
            if b not in COLUMNS:
                raise ValueError(f"{schemas[0]}: unknown backend {b!r}")
        if "default" in kernels and all(b in kernels for b in MS_BACKENDS):
            raise ValueError(f"{schemas[0]}: a `default` kernel column no backend uses")
        for b in MS_BACKENDS:
            if b in kernels and "default" in kernels and _as_list(kernels[b]) == _as_list(kernels["default"]):
                raise ValueError(f"{schemas[0]}: the {b} column repeats the default one")
        written = [b for b in MS_BACKENDS if b in kernels]
        for i, b in enumerate(written):
            for c in written[i + 1:]:
                if _as_list(kernels[b]) == _as_list(kernels[c]):
                    raise ValueError(f"{schemas[0]}: the {b} and {c} columns are identical: write them once "
                                     "as `default`")
    if isinstance(backward, list) and len(backward) != len(schemas):
        raise ValueError(f"{schemas[0]}: a list of backward formula dicts needs one per overload "
                         f"({len(schemas)}), got {len(backward)}")
    if samples is None:
        raise ValueError(f"{schemas[0]}: every entry needs a sample-input strategy")
    return {
        "schemas": schemas, "kernels": {b: _as_list(k) for b, k in (kernels or {}).items()},
        "variants": tuple(variants), "namespaces": tuple(namespaces), "aliases": tuple(aliases),
        "dunders": tuple(dunders), "promote": promote, "backward": backward,
        "nondiff_outputs": tuple(nondiff_outputs), "view": view, "check": check, "samples": samples,
        "compute_dtypes": compute_dtypes or {},
        # How a factory's `dtype=None` resolves: "float" (default float dtype),
        # "infer:<arg>,<arg>" (PyTorch's inference from those Python numbers), "like:<arg>".
        "factory_dtype": factory_dtype,
        "doc": doc,
    }


def _as_list(k):
    """A column's candidates: kernel functions (the entry's family's own modules, or
    common/) and `prim:`/`ops:`/`mint:`/`np:` strings, in order of preference."""
    return list(k) if isinstance(k, (list, tuple)) else [k]
