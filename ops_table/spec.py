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


def op(schema, *, kernels, variants=("function", "method"), namespaces=("torch",), aliases=(),
       dunders=(), promote="same", backward=None, nondiff_outputs=(), view=None, check=None,
       samples=None, compute_dtypes=None, doc=None, factory_dtype=None):
    schemas = [schema] if isinstance(schema, str) else list(schema)
    bad = set(variants) - VARIANTS
    if bad:
        raise ValueError(f"{schemas[0]}: unknown variants {bad}")
    if promote not in PROMOTIONS:
        raise ValueError(f"{schemas[0]}: unknown promotion {promote!r}")
    if kernels is not None:
        for b in kernels:
            if b not in BACKENDS:
                raise ValueError(f"{schemas[0]}: unknown backend {b!r}")
    if samples is None:
        raise ValueError(f"{schemas[0]}: every entry needs a sample-input strategy")
    return {
        "schemas": schemas, "kernels": {b: list(k) if isinstance(k, (list, tuple)) else [k]
                                        for b, k in (kernels or {}).items()},
        "variants": tuple(variants), "namespaces": tuple(namespaces), "aliases": tuple(aliases),
        "dunders": tuple(dunders), "promote": promote, "backward": backward,
        "nondiff_outputs": tuple(nondiff_outputs), "view": view, "check": check, "samples": samples,
        "compute_dtypes": compute_dtypes or {},
        # How a factory's `dtype=None` resolves: "float" (default float dtype),
        # "infer:<arg>,<arg>" (PyTorch's inference from those Python numbers), "like:<arg>".
        "factory_dtype": factory_dtype,
        "doc": doc,
    }
