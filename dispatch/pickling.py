"""pickle / copy.deepcopy of tensors (torch.save has its own format, see mstorch.serialization)."""
import numpy as np
from dispatch import upcalls as _upcalls
from dispatch import dtypes as _dt
from dispatch.pyapi import host_to_tensor
from dispatch.meta import reduce_meta
from dispatch.shared_memory import handle_of
from dispatch.tensor import strides_of
from dispatch.shared_memory import storage_from_handle, tensor_over
from dispatch.tensor import Tensor


# Engine state that other dispatch modules keep in a tensor's instance __dict__ (beside
# Tensor's slots and private class attributes): autograd/record.py, sparse.py, arrays.py.
_ENGINE_INSTANCE_ATTRS = frozenset(("_view_version", "_sp_indices", "_sp_values", "_sp_size", "_sp_coalesced"))


def is_engine_attribute(cls, name):
    """Whether `name` is engine state of a tensor of class `cls`, which an attribute
    dictionary from outside (a checkpoint's tensor state) must never set: every private
    name mstorch's own classes in `cls`'s bases define (slots, defaults such as
    _grad/_device, methods), dunders (__dict__, __class__), and the names above.  Private
    names a user's subclass defines stay the user's."""
    if not isinstance(name, str) or not name.startswith("_"):
        return False
    if name in _ENGINE_INSTANCE_ATTRS or name.startswith("_mstorch"):
        return True
    if name.startswith("__") and name.endswith("__"):
        return hasattr(cls, name)
    return any(name in vars(k) for k in cls.__mro__
               if getattr(k, "__module__", "").partition(".")[0] in ("dispatch", "mstorch"))


def _rebuild(host, dtype_name, requires_grad, cls=None):
    dtype = getattr(_dt, dtype_name if dtype_name != "bool" else "bool_")
    t = host_to_tensor(np.array(host, copy=True), dtype)
    if cls is not None and cls is not type(t):
        t = cls._from_plain(t) if hasattr(cls, "_from_plain") else t
    if requires_grad:
        t.requires_grad_(True)
    return t


def reduce_tensor(t):
    if t._grad_fn is not None:
        raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                           "protocol at the moment.")
    if t.is_meta:  # no data to send: the geometry alone (dispatch/meta.py)
        return reduce_meta(t)
    host = np.array(t.detach()._host_view(), copy=True)
    return (_rebuild, (host, t._dtype.name, t._requires_grad, type(t)))


def deepcopy_tensor(t, memo):
    if id(t) in memo:
        return memo[id(t)]
    fn, args = reduce_tensor(t)
    new = fn(*args)
    if t._grad is not None:
        new._grad = deepcopy_tensor(t._grad, memo)
    new._device = t._device
    new.__dict__.update({k: v for k, v in t.__dict__.items()})
    memo[id(t)] = new
    return new


# ---- multiprocessing: tensors cross processes through shared memory ----------------------
def register_for_multiprocessing(cls):
    """Make multiprocessing's pickler (queues, Pool, spawn arguments) send `cls` through
    shared memory.  Done for Tensor and each subclass as it is defined (dispatch/tensor.py),
    as PyTorch does at `import torch`: a process that only imported torch (a spawned child)
    sends tensors back shared, not copied."""
    from multiprocessing.reduction import ForkingPickler
    ForkingPickler.register(cls, reduce_tensor_shared)


def reduce_tensor_shared(t):
    """multiprocessing's reduction (registered by torch.multiprocessing): the storage moves
    into shared memory, as PyTorch's does, and only its handle and the geometry travel, so
    the receiver's tensor aliases the sender's memory."""
    if t._requires_grad and t._grad_fn is not None:
        raise RuntimeError("Cowardly refusing to serialize non-leaf tensor which requires_grad, since autograd does "
                           "not support crossing process boundaries.  If you just want to transfer the data, call "
                           "detach() on the tensor before serializing (e.g., putting it on the queue).")
    if t._hooks:
        import warnings
        warnings.warn("backward hooks on a tensor are not sent to another process with it", UserWarning)
    t.share_memory_()
    st = t._storage
    storage_dtype = _dt.from_numpy_dtype(st.numpy_flat().dtype)
    if storage_dtype is not t._dtype:
        raise NotImplementedError(f"mstorch: sending a {t._dtype} view of a {storage_dtype} storage to another "
                                  "process is not supported; send the tensor it views instead")
    return (_rebuild_shared, (handle_of(st), t._dtype.name, tuple(t.shape), strides_of(t), t.storage_offset(),
                              t._requires_grad, type(t)))


def _rebuild_shared(handle, dtype_name, size, stride, offset, requires_grad, cls):
    dtype = getattr(_dt, dtype_name if dtype_name != "bool" else "bool_")
    st = storage_from_handle(handle, dtype.np)
    t = Tensor._wrap(tensor_over(st, size, stride, offset), dtype, st)
    if cls is not Tensor:
        t = cls._from_plain(t) if hasattr(cls, "_from_plain") else t.as_subclass(cls)
    if requires_grad and not t._requires_grad:
        t.requires_grad_(True)
    return t

_upcalls.provide(reduce_tensor=reduce_tensor, deepcopy_tensor=deepcopy_tensor, reduce_tensor_shared=reduce_tensor_shared)
