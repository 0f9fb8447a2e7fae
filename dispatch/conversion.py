"""Tensor.to / .type / .float() ... : the Python conveniences around the `_to_copy` op."""
from dispatch import dtypes as _dt
from dispatch.device import device as _device
from dispatch.tensor import Tensor
from dispatch.dispatcher import function_for
from dispatch.devices import check
from dispatch.layout import check_memory_format
from dispatch import arrays
from dispatch.untyped_storage import of_storage, typed_storage_over
from dispatch.pyapi import tensor


def _parse_to(args, kwargs):
    """PyTorch's overloads: to(dtype), to(device[, dtype]), to(tensor), with keyword forms."""
    dtype = kwargs.pop("dtype", None)
    dev = kwargs.pop("device", None)
    non_blocking = kwargs.pop("non_blocking", False)
    copy = kwargs.pop("copy", False)
    memory_format = kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() received an invalid combination of arguments - got unexpected keyword "
                        f"'{next(iter(kwargs))}'")
    rest = list(args)
    if rest and isinstance(rest[0], Tensor):
        other = rest.pop(0)
        dtype, dev = other.dtype, other.device
    elif rest and isinstance(rest[0], _dt.dtype):
        dtype = rest.pop(0)
    elif rest and (isinstance(rest[0], (str, _device, int)) and not isinstance(rest[0], bool)):
        dev = rest.pop(0)
        if rest and isinstance(rest[0], _dt.dtype):
            dtype = rest.pop(0)
    if rest and isinstance(rest[0], bool):
        non_blocking = rest.pop(0)
        if rest and isinstance(rest[0], bool):
            copy = rest.pop(0)
    if rest:
        raise TypeError(f"to() received an invalid combination of arguments - got {tuple(type(a).__name__ for a in args)}")
    return dtype, dev, non_blocking, copy, memory_format


def to(self, *args, **kwargs):
    dtype, dev, non_blocking, copy, memory_format = _parse_to(args, dict(kwargs))
    if dev is not None:
        dev = check(dev)
        if (dev.type == "meta") != (self._device is not None and self._device.type == "meta"):
            # to or from the meta device (dispatch/meta.py): a new tensor, or PyTorch's error
            return function_for("_to_copy")(self, dtype=dtype or self._dtype, device=dev, non_blocking=non_blocking)
    if memory_format is not None:
        if not check_memory_format(memory_format):
            raise NotImplementedError(f"mstorch: to(memory_format={memory_format}) is not supported yet")
    if (dtype is None or dtype is self._dtype) and not copy:
        return self
    return function_for("_to_copy")(self, dtype=dtype or self._dtype, non_blocking=non_blocking)


def _caster(d):
    def method(self, memory_format=None):
        return to(self, d) if memory_format is None else to(self, d, memory_format=memory_format)
    method.__name__ = d.name
    return method


_LEGACY_TYPES = {"torch.FloatTensor": _dt.float32, "torch.DoubleTensor": _dt.float64, "torch.HalfTensor": _dt.float16,
                 "torch.BFloat16Tensor": _dt.bfloat16, "torch.LongTensor": _dt.int64, "torch.IntTensor": _dt.int32,
                 "torch.ShortTensor": _dt.int16, "torch.CharTensor": _dt.int8, "torch.ByteTensor": _dt.uint8,
                 "torch.BoolTensor": _dt.bool_}
_NAME_OF = {v: k for k, v in _LEGACY_TYPES.items()}


def type_(self, dtype=None, non_blocking=False, **kwargs):
    if dtype is None:
        return _NAME_OF.get(self._dtype, "torch." + self._dtype.name)
    if isinstance(dtype, str):
        if dtype not in _LEGACY_TYPES:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = _LEGACY_TYPES[dtype]
    elif not isinstance(dtype, _dt.dtype):
        dtype = getattr(dtype, "_legacy_dtype", None) or dtype
    return to(self, dtype, non_blocking=non_blocking)


def type_as(self, other):
    return to(self, other.dtype)


def cpu(self, memory_format=None):
    return self if self._device is None else to(self, "cpu")


def cuda(self, device=None, non_blocking=False, memory_format=None):
    check(_device("cuda", device) if isinstance(device, int) else (device or "cuda"))
    return self


def view_as_dtype(self, dtype):
    """Tensor.view(dtype): the same bytes read as another dtype (no copy), with PyTorch's rules
    when the element sizes differ: the last dimension is contiguous and it, every other stride
    and the storage offset scale by the size ratio.  Not differentiable, as in PyTorch."""
    old, new = self._dtype.itemsize, dtype.itemsize
    size, stride, offset = list(self.shape), list(self.stride()), self.storage_offset()
    if old != new:
        what = f"to view {self._dtype.scalar_type} as {dtype.scalar_type} (different element sizes)"
        if not size:
            raise RuntimeError(f"self.dim() cannot be 0 {what}")
        if stride[-1] != 1:
            raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {stride[-1]}")
        if old > new:
            ratio = old // new
            size[-1] *= ratio
            stride = [s * ratio for s in stride[:-1]] + [1]
            offset *= ratio
        else:
            ratio = new // old
            if size[-1] % ratio:
                raise RuntimeError(f"self.size(-1) must be divisible by {ratio} {what}, but got {size[-1]}")
            if offset % ratio:
                raise RuntimeError(f"self.storage_offset() must be divisible by {ratio} {what}, but got {offset}")
            for i, s in enumerate(stride[:-1]):
                if s % ratio:
                    raise RuntimeError(f"self.stride({i}) must be divisible by {ratio} {what}, but got {s}")
            size[-1] //= ratio
            stride = [s // ratio for s in stride[:-1]] + [1]
            offset //= ratio
    storage = self._storage if dtype is self._dtype else typed_storage_over(of_storage(self._storage), dtype)
    data = arrays.strided_view(storage, tuple(size), tuple(stride), offset)
    out = type(self)._wrap(data, dtype, storage)
    out._device = self._device
    return out


def new_tensor(self, data, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
    return tensor(data, dtype=dtype or self._dtype, device=device, requires_grad=requires_grad)


def install(cls):
    table_view = function_for("view", variant="method")

    def view(self, *shape, **kwargs):
        if len(shape) == 1 and isinstance(shape[0], _dt.dtype) and not kwargs:
            return view_as_dtype(self, shape[0])
        if not shape and isinstance(kwargs.get("dtype"), _dt.dtype) and len(kwargs) == 1:
            return view_as_dtype(self, kwargs["dtype"])
        return table_view(self, *shape, **kwargs)
    view.__doc__ = table_view.__doc__
    cls.view = view
    cls.new_tensor = new_tensor
    cls.to = to
    cls.type = type_
    cls.type_as = type_as
    cls.cpu = cpu
    cls.cuda = cuda
    for name, d in (("float", _dt.float32), ("double", _dt.float64), ("half", _dt.float16),
                    ("bfloat16", _dt.bfloat16), ("int", _dt.int32), ("long", _dt.int64), ("short", _dt.int16),
                    ("char", _dt.int8), ("byte", _dt.uint8), ("bool", _dt.bool_), ("cfloat", _dt.complex64),
                    ("cdouble", _dt.complex128)):
        setattr(cls, name, _caster(d))
