"""torch dtypes, their MindSpore / NumPy counterparts, and PyTorch's type promotion."""
import numpy as np

_BOOL, _INT, _FLOAT, _COMPLEX = range(4)


class dtype:
    __slots__ = ("name", "itemsize", "category", "is_signed", "np", "_ms", "_ms_name", "_rank", "scalar_type")

    def __init__(self, name, itemsize, category, is_signed, np_dtype, ms_name, rank, scalar_type):
        self.name = name
        self.itemsize = itemsize
        self.category = category
        self.is_signed = is_signed
        self.np = np_dtype
        self._ms = None
        self._ms_name = ms_name
        self._rank = rank
        self.scalar_type = scalar_type  # ATen's ScalarType name, as PyTorch's messages spell it

    @property
    def ms(self):
        if self._ms is None:
            import mindspore
            self._ms = getattr(mindspore, self._ms_name)
        return self._ms

    @property
    def is_floating_point(self):
        return self.category == _FLOAT

    @property
    def is_complex(self):
        return self.category == _COMPLEX

    def to_real(self):
        return {complex64: float32, complex128: float64}.get(self, self)

    def to_complex(self):
        return {float64: complex128}.get(self, complex64) if self.category != _COMPLEX else self

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        return (_by_name, (self.name,))


def _bf16_np():
    # MindSpore's asnumpy() hands bfloat16 out with ml_dtypes' numpy dtype.
    try:
        import ml_dtypes
        return np.dtype(ml_dtypes.bfloat16)
    except ImportError:  # pragma: no cover - ml_dtypes ships with mindspore
        return None


bool_ = dtype("bool", 1, _BOOL, False, np.dtype(np.bool_), "bool_", 0, "Bool")
uint8 = dtype("uint8", 1, _INT, False, np.dtype(np.uint8), "uint8", 1, "Byte")
int8 = dtype("int8", 1, _INT, True, np.dtype(np.int8), "int8", 1, "Char")
int16 = dtype("int16", 2, _INT, True, np.dtype(np.int16), "int16", 2, "Short")
int32 = dtype("int32", 4, _INT, True, np.dtype(np.int32), "int32", 3, "Int")
int64 = dtype("int64", 8, _INT, True, np.dtype(np.int64), "int64", 4, "Long")
float16 = dtype("float16", 2, _FLOAT, True, np.dtype(np.float16), "float16", 1, "Half")
bfloat16 = dtype("bfloat16", 2, _FLOAT, True, _bf16_np(), "bfloat16", 1, "BFloat16")
float32 = dtype("float32", 4, _FLOAT, True, np.dtype(np.float32), "float32", 2, "Float")
float64 = dtype("float64", 8, _FLOAT, True, np.dtype(np.float64), "float64", 3, "Double")
complex64 = dtype("complex64", 8, _COMPLEX, True, np.dtype(np.complex64), "complex64", 2, "ComplexFloat")
complex128 = dtype("complex128", 16, _COMPLEX, True, np.dtype(np.complex128), "complex128", 3, "ComplexDouble")

# PyTorch's "shell" dtypes: tensors of them exist, but few CPU kernels do, and PyTorch
# refuses to promote them with other dtypes (promote_types below).  The unsigned ones
# are stored as NumPy/MindSpore arrays of the same type.
uint16 = dtype("uint16", 2, _INT, False, np.dtype(np.uint16), "uint16", 2, "UInt16")
uint32 = dtype("uint32", 4, _INT, False, np.dtype(np.uint32), "uint32", 3, "UInt32")
uint64 = dtype("uint64", 8, _INT, False, np.dtype(np.uint64), "uint64", 4, "UInt64")


class _UnstoredDtype(dtype):
    """A dtype mstorch names and describes but cannot hold data of: NumPy has no such
    type and MindSpore's CPU backend cannot even cast to it (Cast has no float8 kernel),
    so any attempt to build an array of it fails here, naming the dtype."""
    __slots__ = ()

    @property
    def np(self):
        raise NotImplementedError(f"mstorch: tensors of dtype {self!r} are not supported (NumPy has no such type and "
                                  "MindSpore has no CPU kernels for it); keep the data in float16/bfloat16/float32")

    @property
    def ms(self):
        return self.np


def _unstored(name, scalar_type):
    d = object.__new__(_UnstoredDtype)
    for slot, value in (("name", name), ("itemsize", 1), ("category", _FLOAT), ("is_signed", True), ("_ms", None),
                        ("_ms_name", name), ("_rank", 0), ("scalar_type", scalar_type)):
        dtype.__dict__[slot].__set__(d, value)
    dtype.__dict__["np"].__set__(d, None)
    return d


float8_e4m3fn = _unstored("float8_e4m3fn", "Float8_e4m3fn")
float8_e5m2 = _unstored("float8_e5m2", "Float8_e5m2")

ALL = (bool_, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64, complex64, complex128)
# Served by name and in finfo/iinfo, but not drawn by the parity samples (PyTorch
# itself has almost no kernels for them).
SHELL = (uint16, uint32, uint64, float8_e4m3fn, float8_e5m2)
_UNSIGNED_WIDE = (uint16, uint32, uint64)
_FLOAT8 = (float8_e4m3fn, float8_e5m2)
ALIASES = {"bool": bool_, "half": float16, "float": float32, "double": float64, "short": int16,
           "int": int32, "long": int64, "cfloat": complex64, "cdouble": complex128}
_BY_NAME = {d.name: d for d in ALL + SHELL}
_BY_NP = {d.np: d for d in ALL + _UNSIGNED_WIDE if d.np is not None}
_BY_MS_NAME = {}


def _by_name(name):
    return _BY_NAME[name]


def from_numpy_dtype(np_dtype):
    try:
        return _BY_NP[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(f"can't convert np.ndarray of type {np.dtype(np_dtype)}. The only supported types are: "
                        "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, uint32, "
                        "uint16, uint8, and bool.")


def from_ms_dtype(ms_dtype):
    d = _BY_MS_NAME.get(ms_dtype)
    if d is None:
        for cand in ALL + _UNSIGNED_WIDE:
            if cand.ms == ms_dtype:
                _BY_MS_NAME[ms_dtype] = d = cand
                break
        else:
            raise TypeError(f"mstorch has no torch dtype for MindSpore dtype {ms_dtype}")
    return d


_default_float = [float32]


def get_default_dtype():
    return _default_float[0]


def set_default_dtype(d):
    if not isinstance(d, dtype) or d.category != _FLOAT:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float[0] = d


def promote_types(a, b):
    """PyTorch's promote_types: the smallest dtype both values fit in."""
    if a is b:
        return a
    if a in _FLOAT8 or b in _FLOAT8:
        raise RuntimeError(f"Promotion for Float8 Types is not supported, attempted to promote {a.scalar_type} "
                           f"and {b.scalar_type}")
    if a in _UNSIGNED_WIDE or b in _UNSIGNED_WIDE:
        # PyTorch promotes them with floating types only.
        other = b if a in _UNSIGNED_WIDE else a
        if other.category == _FLOAT:
            return other
        raise RuntimeError(f"Promotion for uint16, uint32, uint64 types is not supported, attempted to promote "
                           f"{a.scalar_type} and {b.scalar_type}")
    if a.category != b.category:
        hi, lo = (a, b) if a.category > b.category else (b, a)
        if hi.category == _COMPLEX and lo is float64:
            return complex128
        if hi.category == _INT and hi is uint8 and lo is bool_:
            return uint8
        return hi
    if a.category == _INT:
        if uint8 in (a, b):
            other = b if a is uint8 else a
            return int16 if other is int8 else other
        return a if a._rank > b._rank else b
    if {a, b} == {float16, bfloat16}:
        return float32
    return a if a._rank > b._rank else b


def scalar_dtype(value):
    """The dtype PyTorch gives a Python number that takes part in promotion."""
    if isinstance(value, bool):
        return bool_
    if isinstance(value, int):
        return int64
    if isinstance(value, float):
        return get_default_dtype()
    if isinstance(value, complex):
        return get_default_dtype().to_complex()
    raise TypeError(f"not a number: {type(value).__name__}")


def _combine(higher, lower):
    # An operand of a lower priority class (0-dim tensor, Python scalar) can only lift
    # the result to a higher category, never widen it within the category.
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.category == _COMPLEX:
        return higher
    if lower.category == _COMPLEX:
        return higher.to_complex() if higher.category == _FLOAT else lower
    if higher.category == _FLOAT:
        return higher
    if higher is bool_ or lower.category == _FLOAT:
        return promote_types(higher, lower)
    return higher


def result_type(*operands):
    """operands: (dtype, ndim) pairs for tensors, or Python numbers."""
    dim_res = zero_res = wrapped = None
    for op in operands:
        if isinstance(op, tuple):
            d, ndim = op
            if ndim > 0:
                dim_res = d if dim_res is None else promote_types(dim_res, d)
            else:
                zero_res = d if zero_res is None else promote_types(zero_res, d)
        else:
            d = scalar_dtype(op)
            wrapped = d if wrapped is None else promote_types(wrapped, d)
    return _combine(dim_res, _combine(zero_res, wrapped))


def can_cast(from_, to):
    """PyTorch's can_cast: no category may be lowered (float -> int, complex -> float, int -> bool)."""
    return from_.category <= to.category


def legacy_name(d):
    """PyTorch's legacy scalar-type name of dtype `d` ('Float', 'Long'), as its error messages spell it."""
    return {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
            "complex64": "ComplexFloat", "complex128": "ComplexDouble"}[d.name]
