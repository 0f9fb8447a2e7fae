"""Known differences between mstorch's keyword names and PyTorch 2.13's, each with its reason.

tests/surface/test_signatures.py fails when a difference is missing here or when one listed here
no longer exists, so this file is the exact list (and the to-do list: most lines name the
entry or module whose owner can remove them). `missing`: keyword names torch takes that
mstorch does not; `extra`: names mstorch takes that torch does not ("**": any keyword).
"""
from typing import NamedTuple


class Known(NamedTuple):
    missing: tuple
    extra: tuple
    reason: str


# Two rules instead of one line per function; test_signatures.py discounts exactly these.
NUMPY_SPELLINGS_ON_PYTHON_FUNCTIONS = """
Table functions take the NumPy spellings of PyTorch's argument parser (x/a/x1 for input,
x2 for other, axis, keepdims) in every namespace. Where PyTorch's function is Python code
(most of torch.nn.functional, torch.norm, Tensor.split ...) torch rejects them: the table
does not record which torch functions are Python code, and accepting a name torch rejects
changes no program that runs on torch. The other way round, mstorch's own Python-level
functions (torch.special.*, torch.is_complex, torch.linalg.cross ...) do not take the
NumPy spellings that PyTorch's builtins of the same name take.
"""

_SCALAR_SELF = ("PyTorch spells the first argument `self` only in the overload whose first argument is a "
                "Python number (torch.pow(self=2, exponent=t)); mstorch serves numbers through the Tensor "
                "overload, spelt `input`")
_DEPRECATED = ("only PyTorch's deprecated signature (torch.add(input, value, other), torch.addmm(beta, input, "
               "alpha, mat1, mat2)) spells it `self`; mstorch does not serve deprecated signatures")
_NO_OUT = "the table entry does not declare the `out` variant (add \"out\" to its variants in ops_table/<family>/entries.py)"
_OUT_DTYPE = "out_dtype= (PyTorch 2.13's mixed-precision matmul overloads) is not served"
_F_IN_TORCH = ("the entry serves torch.nn.functional's Python signature in the torch namespace too "
               "(inplace/_stacklevel/return_indices); needs a per-namespace signature in the entry")
_STARRED = ("torch's function is Python taking *tensors or *operands (no keyword names); the entry's varargs "
            "list (or its list overload) also answers to the schema's names, which torch does not have")
_OUT_NAMES = "out= of a multi-output op spelt with the result names is not served"
_OTHER_OWNER = "a Python-level function in another helper's file; the fix is renaming its parameters"

KNOWN = {
    # -- Tensor methods (dispatch/tensor.py, conversion.py, pyapi.py, table entries) --
    "Tensor.copy_": Known(("other", "x2"), ("src",), "the copy_ entry names the source `src` (ATen's schema); "
                          "PyTorch's Python binding calls it `other`"),
    "Tensor.heaviside": Known(("values",), ("other", "x2"), "the heaviside entry (pointwise_more._binary) names "
                              "its second argument `other`; PyTorch's is `values`"),
    "Tensor.heaviside_": Known(("values",), ("other", "x2"), "as Tensor.heaviside"),
    "Tensor.log_softmax": Known((), ("_stacklevel",), "the log_softmax entry's F-style overload is also the "
                                "method's"),
    "Tensor.softmax": Known((), ("_stacklevel",), "the softmax entry's F-style overload is also the method's"),
    "Tensor.new_tensor": Known((), ("layout",), "dispatch/pyapi: new_tensor takes layout=, PyTorch's does not"),
    "Tensor.swapaxes": Known(("axis0", "axis1"), ("dim0", "dim1"), "swapaxes is an alias of the transpose "
                             "entry, whose arguments are dim0/dim1; aliases cannot rename arguments yet"),
    "Tensor.to": Known(("copy", "device", "dtype", "memory_format", "non_blocking", "other"), ("**",),
                       "Tensor.to parses its overloads from *args/**kwargs (dispatch/conversion.py); it rejects "
                       "unknown keywords itself"),
    "Tensor.type": Known((), ("**",), "Tensor.type takes **kwargs (dispatch/conversion.py)"),
    "Tensor.view": Known(("dtype", "size"), ("**",), "Tensor.view(*shape / dtype) parses *args/**kwargs "
                         "(dispatch/conversion.py)"),
    "Tensor.resize_": Known(("size",), (), "dispatch/inplace_views.py: resize_(*size) does not take size= "
                            "(torch.Tensor.resize_(size=(2,)) works in PyTorch)"),
    "Tensor.squeeze_": Known(("dim",), ("**",), "dispatch/inplace_views.py: squeeze_(*dim, **kwargs) hands its "
                             "keywords to squeeze, which rejects unknown ones with TypeError"),
    "Tensor.true_divide": Known((), ("rounding_mode",), "true_divide is an alias of the div entry, which "
                                "takes rounding_mode"),
    "Tensor.true_divide_": Known((), ("rounding_mode",), "as Tensor.true_divide"),
    # -- torch.* --
    "torch.add": Known(("self",), (), _DEPRECATED),
    "torch.sub": Known(("self",), (), _DEPRECATED),
    "torch.addbmm": Known(("self",), (), _DEPRECATED),
    "torch.addcdiv": Known(("self",), (), _DEPRECATED),
    "torch.addcmul": Known(("self",), (), _DEPRECATED),
    "torch.addmv": Known(("self",), (), _DEPRECATED),
    "torch.addmm": Known(("out_dtype", "self"), (), _DEPRECATED + "; " + _OUT_DTYPE),
    "torch.baddbmm": Known(("out_dtype", "self"), (), _DEPRECATED + "; " + _OUT_DTYPE),
    "torch.mm": Known(("out_dtype",), (), _OUT_DTYPE),
    "torch.bmm": Known(("out_dtype",), (), _OUT_DTYPE),
    "torch.bitwise_and": Known(("self",), (), _SCALAR_SELF),
    "torch.bitwise_or": Known(("self",), (), _SCALAR_SELF),
    "torch.bitwise_xor": Known(("self",), (), _SCALAR_SELF),
    "torch.bitwise_left_shift": Known(("self",), (), _SCALAR_SELF),
    "torch.bitwise_right_shift": Known(("self",), (), _SCALAR_SELF),
    "torch.float_power": Known(("self",), (), _SCALAR_SELF),
    "torch.pow": Known(("self",), (), _SCALAR_SELF),
    "torch.remainder": Known(("self",), (), _SCALAR_SELF),
    "torch.xlogy": Known(("self",), (), _SCALAR_SELF),
    "torch.special.xlogy": Known(("self",), (), _SCALAR_SELF),
    "torch.special.xlog1py": Known(("self",), (), _SCALAR_SELF),
    "torch.where": Known(("out", "self"), (), _SCALAR_SELF + "; " + _NO_OUT),
    **{f"torch.{n}": Known(("out",), (), _NO_OUT) for n in (
        "argsort", "bernoulli", "bucketize", "hardshrink", "index_copy", "multinomial", "nonzero", "normal", "rand",
        "randint", "randn", "randperm", "slogdet", "tensordot", "linalg.det", "nn.functional.hardshrink")},
    "torch.softmax": Known(("out",), ("_stacklevel",), _NO_OUT + "; " + _F_IN_TORCH),
    "torch.log_softmax": Known(("out",), ("_stacklevel",), _NO_OUT + "; " + _F_IN_TORCH),
    "torch.threshold": Known(("out",), ("inplace",), _NO_OUT + "; " + _F_IN_TORCH),
    "torch.celu": Known((), ("inplace",), _F_IN_TORCH),
    "torch.selu": Known((), ("inplace",), _F_IN_TORCH),
    "torch.max_pool1d": Known((), ("return_indices",), _F_IN_TORCH),
    "torch.max_pool2d": Known((), ("return_indices",), _F_IN_TORCH),
    "torch.adaptive_max_pool1d": Known((), ("return_indices",), _F_IN_TORCH),
    "torch.rrelu": Known(("generator",), ("inplace",), "generator= of rrelu is not served; " + _F_IN_TORCH),
    "torch.rrelu_": Known(("generator",), (), "generator= of rrelu is not served"),
    "torch.nn.functional.rrelu_": Known(("generator",), (), "generator= of rrelu is not served"),
    **{f"torch.nn.functional.{n}": Known(("return_indices",), (), (
        "PyTorch's F.*_with_indices are Python functions with a return_indices argument; the entry is the ATen "
        "op, which has none")) for n in ("adaptive_max_pool2d_with_indices", "max_pool1d_with_indices",
                                         "max_pool2d_with_indices")},
    **{f"torch.{n}": Known((), tuple(extra), _STARRED) for n, extra in (
        ("atleast_1d", ("a", "input", "tensors", "x", "x1")), ("atleast_2d", ("a", "input", "tensors", "x", "x1")),
        ("atleast_3d", ("a", "input", "tensors", "x", "x1")), ("broadcast_tensors", ("tensors",)),
        ("meshgrid", ("tensors",)), ("cartesian_prod", ("tensors",)), ("einsum", ("equation", "tensors")))},
    "torch.split": Known(("split_size_or_sections", "tensor"), ("a", "input", "split_size", "x", "x1"),
                         "the split entry is ATen's split(self, split_size, dim); torch.split is Python: "
                         "split(tensor, split_size_or_sections, dim)"),
    "torch.swapaxes": Known(("axis0", "axis1"), ("dim0", "dim1"), "swapaxes is an alias of the transpose entry, "
                            "whose arguments are dim0/dim1; aliases cannot rename arguments yet"),
    "torch.heaviside": Known(("values",), ("other", "x2"), "the heaviside entry names its second argument "
                             "`other`; PyTorch's is `values`"),
    "torch.true_divide": Known((), ("rounding_mode",), "true_divide is an alias of the div entry"),
    "torch.full": Known(("names",), (), "named tensors (names=) are not served"),
    "torch.tril_indices": Known(("requires_grad",), (), "the entry's schema lacks requires_grad"),
    "torch.triu_indices": Known(("requires_grad",), (), "the entry's schema lacks requires_grad"),
    "torch.compile": Known(("isolate_recompiles", "name", "recompile_limit", "shapes_spec"), (),
                           "torch.compile's newest options are not taken (mstorch/impl/torch/_compile.py)"),
    "torch.is_tensor": Known((), ("obj",), "PyTorch's obj is positional-only; " + _OTHER_OWNER +
                             " (mstorch/impl/torch/__init__.py)"),
    "torch.set_default_device": Known(("device",), ("d",), _OTHER_OWNER + " (mstorch/impl/torch/__init__.py)"),
    # -- classes (constructors) --
    "torch.nn.LazyLinear": Known(("bias", "device", "dtype", "out_features"), ("**",),
                                 "LazyLinear takes *args/**kwargs and hands them to Linear "
                                 "(mstorch/impl/torch/nn/modules, another helper's file)"),
    "torch.utils.data.Sampler": Known((), ("data_source",), "PyTorch 2.13's Sampler takes no constructor "
                                      "arguments; mstorch's still takes the deprecated data_source"),
    # -- torch.linalg --
    "torch.linalg.cholesky": Known(("a", "input", "x", "x1"), ("A",), "PyTorch's schema spells linalg_cholesky's matrix `self` "
                                   "(input), not `A` as its docs do; the coverage entry says A"),
    "torch.linalg.eigh": Known(("a", "eigvals", "eigvecs", "input", "x", "x1"), ("A",), "as linalg.cholesky (input, not A); "
                               + _OUT_NAMES),
    "torch.linalg.norm": Known(("input",), ("A",), "linalg_norm's matrix is `self` (input) in PyTorch; "
                               + _OTHER_OWNER + " (mstorch/impl/torch/linalg.py)"),
    "torch.nn.functional.one_hot": Known(("a", "input", "x", "x1"), ("tensor",), "the one_hot entry names "
                                         "its input `tensor` as PyTorch's stub does; the binding says input"),
    "torch.linalg.qr": Known(("Q", "R"), (), _OUT_NAMES),
    "torch.linalg.slogdet": Known(("logabsdet", "sign"), (), _OUT_NAMES),
    "torch.linalg.svd": Known(("S", "U", "Vh"), ("out",), _OUT_NAMES + " (out= raises NotImplementedError naming it)"),
    "torch._linalg_svd": Known(("out",), (), _OUT_NAMES),
    "torch.svd": Known(("out",), (), _OUT_NAMES),
    "torch.linalg.cholesky_ex": Known(("L", "info"), ("out",), _OUT_NAMES + " (out= raises NotImplementedError naming it)"),
}

# Entries whose keyword spelling torch rejects although the names test sees no difference
# (the same names exist in another overload): {table entry: reason}.
KEYWORD_CALLS = {
    "arange": "the entry's one schema is arange(start, end=None, step=1); torch.arange(end=5) and "
              "torch.arange(start=0, end=5) work, but torch spells the one-argument form `end`, "
              "so torch.arange(start=5) is a TypeError in torch and arange(0, 5) in mstorch",
}
