"""The top-level torch names about raw memory: the storage classes, the legacy
torch.FloatStorage & co., and torch.frombuffer."""
from dispatch.typed_storage import LEGACY_STORAGES as _LEGACY
from mstorch.impl.torch._frombuffer import frombuffer
from mstorch.impl.torch.storage import TypedStorage, UntypedStorage

FloatStorage, DoubleStorage, HalfStorage = _LEGACY["FloatStorage"], _LEGACY["DoubleStorage"], _LEGACY["HalfStorage"]
BFloat16Storage, LongStorage, IntStorage = _LEGACY["BFloat16Storage"], _LEGACY["LongStorage"], _LEGACY["IntStorage"]
ShortStorage, CharStorage, ByteStorage = _LEGACY["ShortStorage"], _LEGACY["CharStorage"], _LEGACY["ByteStorage"]
BoolStorage, ComplexFloatStorage = _LEGACY["BoolStorage"], _LEGACY["ComplexFloatStorage"]
ComplexDoubleStorage = _LEGACY["ComplexDoubleStorage"]

__all__ = ["frombuffer", "TypedStorage", "UntypedStorage", "FloatStorage", "DoubleStorage", "HalfStorage",
           "BFloat16Storage", "LongStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage",
           "BoolStorage", "ComplexFloatStorage", "ComplexDoubleStorage"]
