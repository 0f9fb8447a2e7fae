"""Sample-input strategies for entries, as plain data.  tests/parity/strategies.py turns
them into hypothesis strategies; nothing here imports hypothesis or torch.

A sample is `sample(args=[...], kwargs={...}, dtypes=(...))`.  Argument specs:
  tensor(...)   a tensor; by default of the sample's drawn shape and dtype.  The harness
                also makes it non-contiguous (transposed or step-sliced) at random.
  dim(of=0)     a valid dimension of tensor argument `of` (negative ones too)
  dims(of=0)    a tuple of distinct dims of argument `of`, or None
  choice(*v)    one of the given values;  integer(lo, hi) / real(lo, hi)
  shape_of(of)  the shape of argument `of` (for view/reshape-like ops), possibly permuted
  custom(name)  a generator in tests/parity/custom_samples.py (for ops whose inputs are coupled)
`invalid` lists calls that must fail with the same error type in torch and mstorch.
"""

FLOAT = ("float32", "float64")
FLOAT_AND_HALF = ("float32", "float64", "float16")
INT = ("int64", "int32")
NUMERIC = ("float32", "float64", "int64", "int32")
ALL = ("float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool")


def tensor(shape=None, bcast=False, dtype=None, low=None, high=None, ndim=None, min_size=0, unique=False):
    return {"kind": "tensor", "shape": shape, "bcast": bcast, "dtype": dtype, "low": low, "high": high,
            "ndim": ndim, "min_size": min_size, "unique": unique}


def dim(of=0, allow_none=False):
    return {"kind": "dim", "of": of, "allow_none": allow_none}


def dims(of=0, allow_none=True):
    return {"kind": "dims", "of": of, "allow_none": allow_none}


def choice(*values):
    return {"kind": "choice", "values": list(values)}


def integer(lo, hi):
    return {"kind": "int", "lo": lo, "hi": hi}


def real(lo, hi):
    return {"kind": "real", "lo": lo, "hi": hi}


def scalar_of(kinds=("int", "float")):
    """A Python number (for ops that take a Scalar where a tensor could be)."""
    return {"kind": "scalar", "kinds": list(kinds)}


def shape_of(of=0, mode="same"):
    return {"kind": "shape_of", "of": of, "mode": mode}


def custom(name):
    return {"kind": "custom", "name": name}


def sample(args, kwargs=None, dtypes=FLOAT, low=-5, high=5, invalid=(), ndim=(0, 4), grad=True,
           method=True, atol=None, rtol=None, variants=None, compare="values", oracle=None):
    """compare="meta" checks only shape, dtype and strides (ops whose values are unspecified, e.g. empty).
    oracle="torch.clone" names the PyTorch callable to compare a private op (no aten twin) with."""
    return {"args": list(args), "kwargs": kwargs or {}, "dtypes": list(dtypes), "low": low, "high": high,
            "invalid": list(invalid), "ndim": ndim, "grad": grad, "method": method, "atol": atol, "rtol": rtol,
            "variants": variants, "compare": compare, "oracle": oracle}


def call(*args, **kwargs):
    """An invalid call for `invalid=`: arguments as specs or literal values."""
    return {"args": list(args), "kwargs": kwargs}
