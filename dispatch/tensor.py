"""The Tensor type: metadata and host-side accessors.

Ops (arithmetic, reductions, views, operators) are not written here: the dispatcher
installs them from the ops table.  This file holds only what is not an op: geometry,
conversion to Python/NumPy, and the autograd fields the engine fills in.
"""
import numpy as np

from dispatch import dtypes as _dt
from dispatch.device import CPU, META, device as _device
from dispatch.size import Size
from dispatch.layout import check_memory_format, strided
from dispatch.storage import Storage, numpy_view, contiguous_strides
from dispatch.warn_site import user_stacklevel
from dispatch import upcalls as _up


def clear_bookkeeping(t):
    """A new tensor's autograd/device bookkeeping slots: no grad, hooks or device of its own."""
    t._grad = t._hooks = t._accumulator = t._device = t._view_version = t._post_accumulate_hooks = None
    t._output_nr = 0
    t._retains_grad = False


class Tensor:
    # Autograd and device bookkeeping are slots too, so an instance's __dict__ holds only user
    # attributes, as in PyTorch: code rebuilds Parameters with `type(p)(data, **p.__dict__)`
    # (accelerate's init_empty_weights) and checkpoints carry a tensor's __dict__.
    __slots__ = ("_data", "_storage", "_base", "_dtype", "_requires_grad", "_grad_fn",
                 "_grad", "_output_nr", "_hooks", "_retains_grad", "_accumulator", "_device",
                 "_view_version", "_post_accumulate_hooks", "__dict__", "__weakref__")

    # ---- construction -------------------------------------------------------------
    @classmethod
    def _wrap(cls, data, dtype=None, storage=None, base=None):
        """Wrap a backend array.  Without `storage`, `data` becomes the root of a new storage."""
        t = object.__new__(cls)
        t._data = data
        t._dtype = dtype or _array_dtype(data)
        t._storage = storage or Storage(data)
        t._base = base
        t._requires_grad = False
        t._grad_fn = None
        clear_bookkeeping(t)
        return t

    def __init_subclass__(cls, **kwargs):
        # nn.Parameter and users' subclasses cross processes through shared memory too.
        super().__init_subclass__(**kwargs)
        _register_for_multiprocessing(cls)

    def __new__(cls, *args, **kwargs):
        return _up.legacy_tensor_new(cls, args, kwargs)

    def __init__(self, *args, **kwargs):
        pass

    # ---- geometry -----------------------------------------------------------------
    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        shape = self._data.shape
        if dim is None:
            return Size(shape)
        return shape[_wrap_dim(dim, len(shape))]

    @property
    def dtype(self):
        return self._dtype

    @property
    def device(self):
        return self._device or CPU

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    @property
    def is_cpu(self):
        return self.device.type == "cpu"

    # Device kinds PyTorch tensors can report; a tensor here lives on cpu or cuda, so
    # each query compares the real device type.
    is_xpu = property(lambda self: self.device.type == "xpu")
    is_mps = property(lambda self: self.device.type == "mps")
    is_ipu = property(lambda self: self.device.type == "ipu")
    is_mtia = property(lambda self: self.device.type == "mtia")
    is_maia = property(lambda self: self.device.type == "maia")
    is_vulkan = property(lambda self: self.device.type == "vulkan")
    is_xla = property(lambda self: self.device.type == "xla")

    @property
    def is_meta(self):
        return self._device is META

    @property
    def is_nested(self):
        return False

    @property
    def is_mkldnn(self):
        return False

    @property
    def is_sparse_csr(self):
        return False

    @property
    def is_sparse(self):
        return False

    @property
    def is_quantized(self):
        return False

    def to_sparse(self, sparse_dim=None, *, layout=None, blocksize=None, dense_dim=None):
        return _up.dense_to_sparse(self, sparse_dim, layout=layout, blocksize=blocksize, dense_dim=dense_dim)

    # `z.real` / `z.imag` are views (table ops real/imag); assigning copies into them.
    @property
    def real(self):
        return _up.function_for("real")(self)

    @real.setter
    def real(self, value):
        self.real.copy_(value)

    @property
    def imag(self):
        return _up.function_for("imag")(self)

    @imag.setter
    def imag(self, value):
        self.imag.copy_(value)

    @property
    def layout(self):
        return strided

    def stride(self, dim=None):
        st = _strides(self)
        if dim is None:
            return st
        return st[_wrap_dim(dim, len(st))]

    def storage_offset(self):
        d = self._data
        if type(d) is np.ndarray:
            if d.size == 0:
                return 0
            return (d.ctypes.data - self._storage.data_ptr()) // d.itemsize
        return d.storage_offset()

    def is_contiguous(self, memory_format=None):
        if memory_format is not None:
            if not check_memory_format(memory_format):
                return _channels_last_contiguous(self)
        expected = 1
        for n, s in zip(reversed(self._data.shape), reversed(_strides(self))):
            if n != 1:
                if s != expected:
                    return False
                expected *= n
        return True

    def data_ptr(self):
        return self._storage.data_ptr() + self.storage_offset() * self._dtype.itemsize

    def element_size(self):
        return self._dtype.itemsize

    def numel(self):
        n = 1
        for s in self._data.shape:
            n *= s
        return n

    nelement = numel

    def dim(self):
        return len(self._data.shape)

    ndimension = dim

    @property
    def ndim(self):
        return len(self._data.shape)

    @property
    def nbytes(self):
        return self.numel() * self._dtype.itemsize

    @property
    def itemsize(self):
        return self._dtype.itemsize

    @property
    def _version(self):
        return self._storage.version

    def untyped_storage(self):
        return _up.of_storage(self._storage)

    def storage(self):
        return _up.tensor_typed_storage(self)

    def share_memory_(self):
        """Move this tensor's storage into shared memory (dispatch/shared_memory.py)."""
        _up.share_tensors([self])
        return self

    def is_shared(self):
        return self._storage.is_shared()

    def is_floating_point(self):
        return self._dtype.is_floating_point

    def is_complex(self):
        return self._dtype.is_complex

    def is_signed(self):
        return self._dtype.is_signed

    def get_device(self):
        d = self.device
        return -1 if d.type == "cpu" else (d.index or 0)

    def _is_view(self):
        return self._base is not None

    # ---- transposes as properties ---------------------------------------------------
    @property
    def T(self):
        if self.dim() not in (0, 2):
            import warnings
            warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                          "deprecated and it will throw an error in a future release. Consider `x.mT` to transpose "
                          "batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the "
                          "dimensions of a tensor.", UserWarning, stacklevel=user_stacklevel())
        return self.permute(tuple(range(self.dim() - 1, -1, -1)))

    @property
    def mT(self):
        if self.dim() < 2:
            raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got "
                               f"{self.dim()}-D tensor.")
        return self.transpose(-2, -1)

    @property
    def H(self):
        if self.dim() not in (0, 2):
            raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {self.dim()}-D tensor.")
        return self.conj().T if self.dim() else self.conj()

    @property
    def mH(self):
        return self.conj().mT

    def as_subclass(self, cls):
        """The same data and history seen as an instance of `cls` (a Tensor subclass)."""
        if not (isinstance(cls, type) and issubclass(cls, Tensor)):
            raise TypeError(f"as_subclass(): argument 'cls' must be a subclass of Tensor, not {cls!r}")
        t = cls._wrap(self._data, self._dtype, self._storage, self._base)
        t._requires_grad, t._grad_fn = self._requires_grad, self._grad_fn
        t._output_nr, t._device = self._output_nr, self._device
        return t

    def _resize_storage(self, shape):
        """Give this tensor a fresh buffer of `shape` (out= arguments of the wrong size)."""
        fresh = _up.host_to_tensor(np.zeros(shape, self._dtype.np), self._dtype)
        self._data, self._storage, self._base = fresh._data, fresh._storage, None

    # ---- host conversion ----------------------------------------------------------
    def _host_view(self):
        """Zero-copy NumPy alias of exactly this tensor's elements."""
        return numpy_view(self._storage, self._data.shape, _strides(self), self.storage_offset())

    def numpy(self, *, force=False):
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        if self._dtype is _dt.bfloat16:
            raise TypeError("Got unsupported ScalarType BFloat16")
        if self.device.type != "cpu":
            where = "meta" if self._device is META else f"{self.device.type}:{self.device.index or 0}"
            raise TypeError(f"can't convert {where} device type tensor to numpy. "
                            "Use Tensor.cpu() to copy the tensor to host memory first.")
        return self._host_view()

    def __array__(self, dtype=None, copy=None):
        a = self.detach().numpy() if self._requires_grad else self.numpy()
        return a if dtype is None else a.astype(dtype, copy=False)

    def item(self):
        if self.numel() != 1:
            raise RuntimeError(f"a Tensor with {self.numel()} elements cannot be converted to Scalar")
        if self._device is META:
            _up.no_item()
        v = self._host_view().reshape(()).item()
        return float(v) if self._dtype is _dt.bfloat16 else v

    def tolist(self):
        if self._dtype is _dt.bfloat16:
            return self._host_view().astype(np.float32).tolist()
        return self._host_view().tolist()

    def to_mindspore(self):
        """The MindSpore tensor holding this tensor's elements (a view, no copy, where MindSpore allows)."""
        return _up.to_mindspore(self)

    # ---- Python protocol ----------------------------------------------------------
    def __len__(self):
        shape = self._data.shape
        if not shape:
            raise TypeError("len() of a 0-d tensor")
        return shape[0]

    def __iter__(self):
        if not self._data.shape:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self):
        n = self.numel()
        if n != 1:
            if n == 0:
                raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __float__(self):
        return float(self._scalar("float"))

    def __int__(self):
        return int(self._scalar("int"))

    def __complex__(self):
        return complex(self._scalar("complex"))

    def __index__(self):
        if self._dtype.category not in (_dt._INT, _dt._BOOL) or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def _scalar(self, kind):
        if self.numel() != 1:
            raise TypeError(f"only one element tensors can be converted to Python scalars")
        return self.item()

    __hash__ = object.__hash__

    def __contains__(self, element):
        if isinstance(element, (Tensor, int, float, bool, complex)):
            return bool((self == element).any())
        raise RuntimeError(f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a {type(element)}.")

    def __repr__(self, *, tensor_contents=None):
        return _up.tensor_repr(self, tensor_contents=tensor_contents)

    def __str__(self):
        return self.__repr__()

    def __format__(self, spec):
        # PyTorch formats 0-d tensors as their Python value, anything else as str().
        if self.dim() == 0 and type(self) is Tensor:
            return self.detach().item().__format__(spec)
        return object.__format__(self, spec)

    def __reduce_ex__(self, proto):
        return _up.reduce_tensor(self)

    def __deepcopy__(self, memo):
        return _up.deepcopy_tensor(self, memo)

    def __dlpack__(self, stream=None):
        return self.detach().numpy().__dlpack__()

    def __dlpack_device__(self):
        return (1, 0)


def _array_dtype(data):
    if type(data) is np.ndarray:
        return _dt.from_numpy_dtype(data.dtype)
    return _dt.from_ms_dtype(data.dtype)


def _strides(t):
    d = t._data
    if type(d) is np.ndarray:
        item = d.itemsize
        return tuple(s // item for s in d.strides) if d.size else contiguous_strides(d.shape)
    return tuple(d.stride())


def _channels_last_contiguous(t):
    shape, st = t._data.shape, _strides(t)
    if len(shape) == 4:
        order = (1, 3, 2, 0)
    elif len(shape) == 5:
        order = (1, 4, 3, 2, 0)
    else:
        return False
    expected = 1
    for d in order:
        if shape[d] != 1:
            if st[d] != expected:
                return False
            expected *= shape[d]
    return True


def _wrap_dim(dim, ndim):
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not lo <= dim <= hi:
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")
    return dim % max(ndim, 1)


strides_of = _strides

def _register_for_multiprocessing(cls):
    # multiprocessing's pickler (queues, Pool, spawn arguments) sends Tensor and each subclass,
    # as it is defined, through shared memory, as PyTorch does at `import torch`: a process
    # that only imported torch (a spawned child) sends tensors back shared, not copied.
    from multiprocessing.reduction import ForkingPickler
    ForkingPickler.register(cls, _reduce_shared)


def _reduce_shared(t):
    return _up.reduce_tensor_shared(t)


_register_for_multiprocessing(Tensor)
