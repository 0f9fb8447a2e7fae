"""The storage types a checkpoint's pickle names (`torch.FloatStorage`, `torch.storage.UntypedStorage`, ...)
and the dtypes they stand for: PyTorch's legacy typed-storage class names say a storage's dtype."""

# PyTorch's legacy typed-storage class names, which the pickle uses to say a storage's dtype.
_STORAGE_DTYPES = {
    "BoolStorage": "bool_", "ByteStorage": "uint8", "CharStorage": "int8", "ShortStorage": "int16",
    "IntStorage": "int32", "LongStorage": "int64", "HalfStorage": "float16", "BFloat16Storage": "bfloat16",
    "FloatStorage": "float32", "DoubleStorage": "float64", "ComplexFloatStorage": "complex64",
    "ComplexDoubleStorage": "complex128",
}
STORAGE_TYPE_NAMES = tuple(_STORAGE_DTYPES)
# Storage types PyTorch can write that mstorch has no dtype for; loading them is refused by name.
_UNSERVED_STORAGES = ("QUInt8Storage", "QInt8Storage", "QInt32Storage", "QUInt4x2Storage", "QUInt2x4Storage")


def _dt():
    from dispatch import dtypes
    return dtypes


class _StorageType:
    """What `torch.FloatStorage` & co. mean inside a checkpoint: a storage dtype."""
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    @property
    def dtype(self):
        if self.name == "UntypedStorage":
            return _dt().uint8
        attr = _STORAGE_DTYPES.get(self.name)
        if attr is None:
            raise NotImplementedError(f"mstorch: torch.load of {self.name} tensors is not supported "
                                      "(no such dtype in mstorch)")
        return getattr(_dt(), attr)

    def __repr__(self):
        return f"StorageType(torch.{self.name})"

    def __call__(self, *args, **kwargs):
        raise NotImplementedError(f"mstorch: constructing torch.{self.name} is not supported; "
                                  "use tensors (torch.tensor / torch.empty)")


_STORAGE_TYPES = {}


def storage_type(name):
    st = _STORAGE_TYPES.get(name)
    if st is None:
        st = _STORAGE_TYPES[name] = _StorageType(name)
    return st


def _storage_name_for(dtype):
    for name, attr in _STORAGE_DTYPES.items():
        if getattr(_dt(), attr) is dtype:
            return name
    raise NotImplementedError(f"mstorch: torch.save of {dtype} tensors is not supported")
