"""torch.storage: the storage classes (dispatch/untyped_storage.py, dispatch/typed_storage.py)."""
from dispatch.typed_storage import LEGACY_STORAGES, TypedStorage, _LegacyStorage  # noqa: F401
from dispatch.untyped_storage import UntypedStorage, bytes_as_tensor, typed_storage_over

__all__ = ["TypedStorage", "UntypedStorage"]


def _asarray_of_storage(obj, dtype, device, copy):
    """torch.asarray(storage, ...): a 1-D tensor over the storage's bytes (shared unless copy=True)."""
    if isinstance(obj, TypedStorage):
        if dtype is not None and dtype is not obj.dtype:
            raise RuntimeError(f"Expected a Storage of type {dtype.scalar_type} or an UntypedStorage, but got "
                               f"{obj.dtype.scalar_type}")
        dtype, obj = obj.dtype, obj._untyped_storage
    elif dtype is None:
        # Measured: PyTorch 2.13 reads an UntypedStorage given no dtype as int64 elements.
        from dispatch import dtypes
        dtype = dtypes.int64
    # Measured: PyTorch 2.13 aliases a storage's memory even with copy=True (its asarray
    # reads storages before looking at `copy`); PyTorch's behaviour is followed.
    out = bytes_as_tensor(obj, dtype)
    if device is not None:
        from dispatch.device import device as _device
        if _device(device) != out.device:
            if copy is False:
                raise ValueError(f"can't alias tensor from device 'cpu' to '{_device(device)}'.")
            out = out.to(device=device)
    return out
