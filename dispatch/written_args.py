"""Ops whose kernel writes some of its arguments itself (schema `Tensor(a!)`, `Tensor(a!)[]`).

Every other in-place op is computed out of place and copied back (dispatch/writeback.py).
That copy is what makes an optimizer step cost several passes more than its arithmetic,
so ops like `_fused_adam_` get kernels that write in place: MindSpore primitives with
ref inputs (Adam, Assign) really write into the buffer they are given (docs/mindspore-facts.md, F4),
and NumPy writes through views. The kernel is handed, for each written tensor:

- on a MindSpore backend, the storage root itself when the tensor is that whole root
  (the common case: parameters, optimizer state); otherwise a contiguous copy (also
  computed in float32 where the backend lacks the dtype, like every op) that is copied
  back after the kernel ran;
- on the host backend, the NumPy view of exactly the tensor's elements.

Written tensors get their version counters bumped; nothing is recorded for autograd
(these ops have no derivative, as in PyTorch), and the op returns None.
"""
from dispatch import arrays
from dispatch.errors import translate_kernel_error
from dispatch.operands import BACKEND_COMPUTE as _BACKEND_COMPUTE, array_for as _array_for
from dispatch.tensor import Tensor
from dispatch.writeback import check_no_internal_overlap, write_into


def run_writing_kernel(opname, ov, args, kernel, backend):
    kargs = list(args)
    copies, in_place = [], []

    def writable(t):
        check_no_internal_overlap(t)
        if backend == "host":
            in_place.append(t)
            return t._host_view()
        lowered = _BACKEND_COMPUTE.get((backend, t._dtype.name))
        # Read-only memory (from_numpy of a read-only array, frombuffer) takes the copy path,
        # whose write-back raises NumPy's ValueError like every in-place op: a primitive
        # writing there would fault.
        if lowered is None and t._data is t._storage.root and arrays.is_ms_array(t._data) \
                and t._storage.numpy_flat().flags.writeable:
            in_place.append(t)
            return t._data
        arr = _array_for(t, lowered, backend)
        arr = arr if lowered is not None else arrays.fresh_copy(arr)  # a cast is already a copy
        copies.append((t, arr))
        return arr

    def readable(t):
        return _array_for(t, _BACKEND_COMPUTE.get((backend, t._dtype.name)), backend)

    for i in (*ov.tensor_pos, *ov.list_pos):
        v = args[i]
        convert = writable if i in ov.write_pos else readable
        if isinstance(v, Tensor):
            kargs[i] = convert(v)
        elif isinstance(v, (list, tuple)):
            kargs[i] = [convert(t) if isinstance(t, Tensor) else t for t in v]
    try:
        kernel.fn(*kargs)
    except Exception as exc:  # MindSpore reports bad input with its own types and C++ traces
        raise translate_kernel_error(opname, exc) from None
    for t, arr in copies:
        write_into(t, arr)
    for t in in_place:
        t._storage.version += 1
