"""torch.FloatTensor, torch.LongTensor, ...: PyTorch's pre-0.4 typed tensor classes.

In PyTorch they are not subclasses of torch.Tensor but instances of the metaclass
`torch.tensortype`: calling one builds a plain torch.Tensor of that dtype (the legacy
constructor's rules), and `isinstance(t, torch.FloatTensor)` asks about t's dtype.
`x.type(torch.FloatTensor)` reads `_legacy_dtype` (dispatch/conversion.py).
"""
from dispatch import Tensor
from dispatch import dtypes as _dt
from dispatch.layout import strided as _strided


class tensortype(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls._legacy_dtype and obj.device.type == "cpu"

    def __call__(cls, *args, **kwargs):
        from dispatch.legacy import legacy_tensor_new
        return legacy_tensor_new(cls, args, dict(kwargs))

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"

    @property
    def dtype(cls):
        return cls._legacy_dtype

    @property
    def layout(cls):
        return _strided

    @property
    def is_cuda(cls):
        return False

    @property
    def is_sparse(cls):
        return False


def _make(name, dt):
    return tensortype(name, (), {"_legacy_dtype": dt, "__module__": "torch", "__qualname__": name})


FloatTensor = _make("FloatTensor", _dt.float32)
DoubleTensor = _make("DoubleTensor", _dt.float64)
HalfTensor = _make("HalfTensor", _dt.float16)
BFloat16Tensor = _make("BFloat16Tensor", _dt.bfloat16)
LongTensor = _make("LongTensor", _dt.int64)
IntTensor = _make("IntTensor", _dt.int32)
ShortTensor = _make("ShortTensor", _dt.int16)
CharTensor = _make("CharTensor", _dt.int8)
ByteTensor = _make("ByteTensor", _dt.uint8)
BoolTensor = _make("BoolTensor", _dt.bool_)

__all__ = ["FloatTensor", "DoubleTensor", "HalfTensor", "BFloat16Tensor", "LongTensor", "IntTensor",
           "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"]
