"""`out=` arguments: write a computed result into a caller's tensor."""
from dispatch import arrays, dtypes as _dt
from dispatch.tensor import Tensor
from dispatch.writeback import check_no_internal_overlap, write_into


def write_out(op_name, out, result, tensors):
    if isinstance(result, tuple):
        if not isinstance(out, (tuple, list)) or len(out) != len(result):
            raise TypeError(f"{op_name}(): argument 'out' must be tuple of {len(result)} Tensors")
        for o, r in zip(out, result):
            write_out(op_name, o, r, tensors)
        return tuple(out)
    if not isinstance(out, Tensor):
        raise TypeError(f"{op_name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if not _dt.can_cast(result._dtype, out._dtype):
        raise RuntimeError(f"result type {_dt.legacy_name(result._dtype)} can't be cast to the desired output "
                           f"type {_dt.legacy_name(out._dtype)}")
    if tuple(out.shape) != tuple(result.shape):
        if out.numel() != 0:
            import warnings
            warnings.warn(f"An output with one or more elements was resized since it had shape {list(out.shape)}, "
                          "which does not match the required output shape "
                          f"{list(result.shape)}. This behavior is deprecated, and in a future PyTorch release "
                          "outputs will not be resized unless they have zero elements. You can explicitly reuse an "
                          "out tensor t by resizing it, inplace, to zero elements with t.resize_(0).", UserWarning)
        out._resize_storage(tuple(result.shape))
    check_no_internal_overlap(out)
    data = result._data if result._dtype is out._dtype else arrays.cast(result._data, out._dtype)
    write_into(out, data)
    return out
