"""Which schema parameters are dimensions of a tensor, and against what they are checked.

`schema.parse` marks every `int`/`int[..]`/`int?`/`int[]?` parameter named like a dim
with `"dim_of"` (how to find the rank the dim must lie in) and, for dim lists whose
entries PyTorch requires to be distinct, `"dim_unique"`. The binder
(dispatch/binder.py) checks those marks on every call, so no entry can forget PyTorch's
IndexError "Dimension out of range (expected to be in range of [-N, N-1], but got D)".

Rules ("dim_of"):
  self      the rank of the op's first tensor (a 0-d tensor accepts -1 and 0)
  self+1    that rank plus one (the dim names a place for a new dimension)
  stack     the rank of the first tensor of the Tensor[] argument plus one
  cat       PyTorch's legacy cat rule: the first tensor that is not 1-D and empty
  bcast     the largest rank among the tensor arguments (ops that broadcast first)
  nonscalar as `self`, but a 0-d input is left to the op's own check, which PyTorch
            runs before wrapping the dim (and which raises RuntimeError, not IndexError)
  nonempty  as `self`, but an empty input is not checked: PyTorch returns before wrapping
  matrix    as `self`, but an input of fewer than 2 dimensions is left to the op's own check
"""

DIM_NAMES = frozenset({"dim", "dims", "dim0", "dim1", "dim2", "start_dim", "end_dim", "source", "destination",
                       "dimension"})

# Per-op rules differing from "self", each with the reason.
RULES = {
    ("cat", "dim"): "cat",
    ("stack", "dim"): "stack",
    ("unsqueeze", "dim"): "self+1",
    ("diag_embed", "dim1"): "self+1",       # the output has one dimension more than the input
    ("diag_embed", "dim2"): "self+1",
    ("cosine_similarity", "dim"): "bcast",  # x1 and x2 broadcast before the dim is wrapped
    ("cross", "dim"): "bcast",
    ("narrow", "dim"): "nonscalar",         # "narrow() cannot be applied to a 0-dim tensor."
    ("chunk", "dim"): "nonscalar",          # "chunk expects at least a 1-dimensional tensor"
    ("split", "dim"): "nonscalar",          # "split expects at least a 1-dimensional tensor"
    ("split_with_sizes", "dim"): "nonscalar",
    ("diff", "dim"): "nonscalar",           # "diff expects input to be at least one-dimensional"
    ("glu", "dim"): "nonscalar",            # "glu does not support scalars because halving size must be even"
    ("select", "dim"): "nonscalar",         # "select() cannot be applied to a 0-dim tensor."
    ("cummax", "dim"): "nonempty",          # an empty input returns early, whatever the dim
    ("cummin", "dim"): "nonempty",
    ("roll", "dims"): "nonempty",
    # diff returns its input early (n == 0 or an empty input) before its own code wraps the dim.
    ("diff", "dim"): None,
    # permute first checks that there are as many dims as dimensions (RuntimeError); its
    # geometry (ops_table/common/geometry.py) then wraps each with PyTorch's IndexError.
    ("permute", "dims"): None,
    # rot90 checks the number of dims and the input's rank before wrapping (RuntimeErrors).
    ("rot90", "dims"): None,
    ("matrix_norm", "dim"): "matrix",       # "The input tensor A must have at least 2 dimensions."
    # tile's `dims` are repetition counts, not dimensions.
    ("tile", "dims"): None,
    # private FFT helpers take dims already wrapped by their public callers.
    ("_fft_c2c", "dim"): None,
    ("_fft_r2c", "dim"): None,
    ("_fft_c2r", "dim"): None,
}

# Dim lists whose entries PyTorch requires to be distinct with "dim X appears multiple
# times in the list of dims" (reductions, flip). Not so for permute/movedim (their own
# messages), roll and fftshift (a repeated dim shifts twice).
_NOT_UNIQUE = frozenset({"permute", "movedim", "roll", "fftshift", "ifftshift"})


def dim_marks(op_name, arg_name, typ):
    """The marks for one schema parameter: {} when it is no dimension."""
    base = typ.rstrip("?")
    if arg_name not in DIM_NAMES or not base.startswith("int"):
        return {}
    rule = RULES.get((op_name, arg_name), "self")
    if rule is None:
        return {}
    marks = {"dim_of": rule}
    if base != "int" and op_name not in _NOT_UNIQUE:
        marks["dim_unique"] = True
    return marks
