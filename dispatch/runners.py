"""The call path of one overload of one op, built once, at its first call.

What a call must do depends mostly on the op, not on the call: whether it is a view (no
kernel: geometry over the input's storage), a composite (table ops in Python), an op whose
kernel writes arguments itself, a factory (dtype/device/layout arguments the dispatcher
honours), or a plain kernel. `build` decides that once and returns a runner for that kind
- a short straight pipeline - and, inside it, the stages an overload lacks (argument
conversions, Tensor lists, a generator, an argument check) are left out.

A runner is `run(args, out=None)`: `args` are the bound arguments in schema order.
MindSpore's runtime is not thread-safe (dispatch/mslock.py); a runner holds the lock for
the whole op, which also keeps the op's caches (kernel choice and probing, promotion
plans, the alias-check countdown) consistent when threads share an op.
"""
from dispatch import autocast as _autocast, device_context as _device_context, random as _random
from dispatch import upcalls as _upcalls
from dispatch.devices import pin_memory_check, place
from dispatch.errors import translate_kernel_error
from dispatch.layout import check_memory_format
from dispatch.meta import involved as _meta_involved
from dispatch.meta_calls import run as _meta_run
from dispatch.device import META
from dispatch.mslock import LOCK as _LOCK
from dispatch.operands import (LOWER, NUMBER, any_empty, backend_of, coerce_tensor, host_to_backend, make_view,
                               own_memory, round_back, wrap_one)
from dispatch.outparam import write_out
from dispatch.overload import factory_dtype
from dispatch.tensor import Tensor
from dispatch.written_args import run_writing_kernel

_AUTOCAST_ACTIVE = _autocast.ACTIVE  # a one-element list: regions open in any thread


class FallbackToComposite(Exception):
    """Raised by a probing kernel whose working candidate is a composite (dispatcher.py)."""


def build(op, ov, inplace):
    """The runner of overload `ov` of `op` (a dispatcher.OpRunner); `inplace`: the `op_` variant."""
    if op.view is not None:
        return _view_runner(op, ov, inplace)
    if ov.write_pos:
        body = _writing_body
    elif op._factory_dtype or ov.factory_pos:
        body = _factory_body
    else:
        body = _kernel_body
    return _kernel_runner(op, ov, inplace, body)


def _preparer(op, ov, inplace):
    """`prepare(args)`: converts `args` (a list) in place and returns the call's Tensors, or
    None when a sparse operand hands the call to dispatch/sparse.py."""
    name = op.name
    convs = tuple(ov.convs)
    tensor_pos, list_pos, optional = tuple(ov.tensor_pos), tuple(ov.list_pos), ov.optional
    names = ov.names
    gen = ov.generator_pos
    check = op.check
    autocast = not inplace

    def prepare(args):
        if autocast and _AUTOCAST_ACTIVE[0]:
            cast = _autocast.cast_args(name, ov, args)
            if cast is not None:
                args[:] = cast
        for i, fn, expected, aname in convs:
            v = args[i]
            if v is not None:
                try:
                    args[i] = fn(v)
                except (TypeError, ValueError, OverflowError):
                    raise TypeError(f"{name}(): argument '{aname}' (position {i + 1}) must be {expected}, "
                                    f"not {type(v).__name__}") from None
        tensors = []
        for i in tensor_pos:
            v = args[i]
            if type(v) is Tensor:
                tensors.append(v)
            elif isinstance(v, Tensor):
                if v.is_sparse:  # sparse COO operands are served (or refused) apart
                    return None
                tensors.append(v)
            elif v is None or isinstance(v, NUMBER):
                if v is None and i not in optional:
                    raise TypeError(f"{name}(): argument '{names[i]}' (position {i + 1}) must be Tensor, "
                                    "not NoneType")
            else:
                args[i] = v = coerce_tensor(name, ov, i, v)
                tensors.append(v)
        for i in list_pos:
            seq = args[i]
            if isinstance(seq, Tensor) or not isinstance(seq, (list, tuple)):
                raise TypeError(f"{name}(): argument '{names[i]}' (position {i + 1}) must be tuple of "
                                f"Tensors, not {type(seq).__name__}")
            seq = [x if isinstance(x, Tensor) or x is None else coerce_tensor(name, ov, i, x) for x in seq]
            args[i] = seq
            tensors.extend(x for x in seq if x is not None)
        if gen is not None and args[gen] is None:
            args[gen] = _random.default_generator
        if check is not None:
            check(*args)
        return tensors

    return prepare


def _record(op, ov, args, tensors, result, inplace, out):
    """Autograd history, looked at only when an operand requires grad (the common inference
    and backward-pass calls skip the recorder altogether)."""
    for t in tensors:
        if t._requires_grad:
            return _upcalls.autograd_record(op, ov, args, tensors, result, inplace, out)
    return result


def _view_runner(op, ov, inplace):
    prepare = _preparer(op, ov, inplace)
    name, single = op.name, ov.nret == 1
    geometry = op.view_geometry

    def run(args, out=None):
        with _LOCK:
            args = list(args)
            tensors = prepare(args)
            if tensors is None:
                return _upcalls.run_sparse_op(name, ov.names, args, out, inplace)
            for t in tensors:
                if t._device is META:
                    return _meta_run(op, ov, args, tensors, out, inplace)
            src = args[0]
            specs = geometry(src.shape, src.stride(), src.storage_offset(), *args[1:])
            if single and not isinstance(specs, list):
                result = make_view(src, *specs)
            else:
                result = tuple(make_view(src, *g) for g in specs)
            return _record(op, ov, args, tensors, result, inplace, out)

    return run


def _kernel_runner(op, ov, inplace, body):
    """Operands checked, the meta device and sparse operands diverted, the kernel chosen for
    the operands' backend (once per backend, cached on the op); then the composite's body
    when the chosen kernel is one, else `body`."""
    prepare = _preparer(op, ov, inplace)
    name = op.name
    kernels = op._kernels
    host_detour = op._has_host_kernel
    factory = bool(ov.factory_pos)

    def run(args, out=None):
        with _LOCK:
            args = list(args)
            tensors = prepare(args)
            if tensors is None:
                return _upcalls.run_sparse_op(name, ov.names, args, out, inplace)
            if factory:
                if _meta_involved(ov, args, tensors):  # no data: shapes only (dispatch/meta.py)
                    return _meta_run(op, ov, args, tensors, out, inplace)
            else:
                for t in tensors:
                    if t._device is META:
                        return _meta_run(op, ov, args, tensors, out, inplace)
            backend = run_on = backend_of(tensors)
            if host_detour and backend != "host" and any_empty(tensors):
                # MindSpore CPU kernels can die on empty inputs (ReverseV2 raises SIGFPE);
                # NumPy handles them, and an empty input makes the host detour free.
                run_on = "host"
            kernel = kernels.get(run_on) or op._kernel(run_on, ov, args, tensors)
            if kernel.composite:
                return _composite_body(op, ov, kernel, args, tensors, out, inplace)
            try:
                return body(op, ov, kernel, args, tensors, out, inplace, backend, run_on)
            except FallbackToComposite as fb:
                kernels[backend] = fb.args[0]
                return run(args, out)

    return run


def _composite_body(op, ov, kernel, args, tensors, out, inplace):
    if _AUTOCAST_ACTIVE[0]:
        with _autocast.excluded():
            result = op._run_composite(kernel, args, ov)
    else:
        result = op._run_composite(kernel, args, ov)
    if ov.return_type is not None and type(result) is tuple:
        result = ov.return_type(*result)
    if inplace:
        return _upcalls.inplace_commit(op, ov, args, tensors, result, composite=True)
    if out is not None:
        return write_out(op.name, out, result, tensors)
    return result


def _writing_body(op, ov, kernel, args, tensors, out, inplace, backend, run_on):
    return run_writing_kernel(op.name, ov, args, kernel, run_on)


def _call_kernel(op, ov, kernel, args, tensors, inplace, backend, run_on):
    """Promote, unwrap, run the kernel, and wrap its result as fresh Tensors."""
    compute, result_dtype = op._dtypes(ov, args, tensors, run_on, inplace)
    kargs = op._unwrap(ov, args, compute, run_on)
    if ov.kernel_pos is not None:
        kargs = [kargs[i] for i in ov.kernel_pos]
    try:
        raw = kernel.fn(*kargs)
    except FallbackToComposite:
        raise
    except Exception as exc:  # MindSpore reports bad input with its own types and C++ traces
        raise translate_kernel_error(op.name, exc) from None
    if run_on != backend:
        raw = host_to_backend(raw, backend)
    if compute is LOWER and (ov.dtype_pos is None or args[ov.dtype_pos] is None):
        raw = round_back(raw, tensors)
    if op._alias_checks:
        raw, aliased = own_memory(raw, kargs)
        op._alias_checks = -1 if aliased else op._alias_checks - 1
    if ov.nret == 1:
        return wrap_one(raw, result_dtype)
    return op._wrap(ov, raw, result_dtype)


def _kernel_body(op, ov, kernel, args, tensors, out, inplace, backend, run_on):
    # _call_kernel and _record written out: this is the path of most op calls.
    compute, result_dtype = op._dtypes(ov, args, tensors, run_on, inplace)
    kargs = op._unwrap(ov, args, compute, run_on)
    try:
        raw = kernel.fn(*kargs)
    except FallbackToComposite:
        raise
    except Exception as exc:  # MindSpore reports bad input with its own types and C++ traces
        raise translate_kernel_error(op.name, exc) from None
    if run_on != backend:
        raw = host_to_backend(raw, backend)
    if compute is LOWER and (ov.dtype_pos is None or args[ov.dtype_pos] is None):
        raw = round_back(raw, tensors)
    if op._alias_checks:
        raw, aliased = own_memory(raw, kargs)
        op._alias_checks = -1 if aliased else op._alias_checks - 1
    result = wrap_one(raw, result_dtype) if ov.nret == 1 else op._wrap(ov, raw, result_dtype)
    if inplace:
        return _upcalls.inplace_commit(op, ov, args, tensors, result)
    for t in tensors:
        if t._requires_grad:
            result = _upcalls.autograd_record(op, ov, args, tensors, result, False, out)
            break
    if out is not None:
        return write_out(op.name, out, result, tensors)
    return result


def _factory_body(op, ov, kernel, args, tensors, out, inplace, backend, run_on):
    if op._factory_dtype and ov.dtype_pos is not None and args[ov.dtype_pos] is None:
        args[ov.dtype_pos] = factory_dtype(op._factory_dtype, ov, args)
    result = _call_kernel(op, ov, kernel, args, tensors, inplace, backend, run_on)
    if ov.factory_pos:
        result = _apply_factory_args(op.name, ov, args, result)
    if inplace:
        return _upcalls.inplace_commit(op, ov, args, tensors, result)
    result = _record(op, ov, args, tensors, result, False, out)
    if out is not None:
        return write_out(op.name, out, result, tensors)
    return result


def _apply_factory_args(opname, ov, args, result):
    pos = ov.factory_pos
    layout = args[pos["layout"]] if "layout" in pos else None
    if layout is not None and getattr(layout, "name", layout) != "strided":
        raise NotImplementedError(f"mstorch: {opname}(layout={layout}) is not supported yet")
    if "pin_memory" in pos and args[pos["pin_memory"]]:
        pin_memory_check()
    if "device" in pos and args[pos["device"]] is not None:
        result = place(result, args[pos["device"]])
    if "memory_format" in pos and args[pos["memory_format"]] is not None:
        if not check_memory_format(args[pos["memory_format"]]):
            raise NotImplementedError(f"mstorch: {opname}(memory_format={args[pos['memory_format']]}) is not "
                                      "supported yet")
    if "requires_grad" in pos and args[pos["requires_grad"]]:
        result.requires_grad_(True)
    return result


def run_composite(kernel, args):
    """A composite's body, with the table's ops as `T`; its own tensors ignore the user's
    default device."""
    with _device_context.internal():
        return kernel.fn(_upcalls.T, *args)
