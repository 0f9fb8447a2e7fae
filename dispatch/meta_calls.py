"""An op call served on the 'meta' device: shapes and dtypes from dispatch/meta_shapes.py,
no data (see dispatch/meta.py)."""
from dispatch import dtypes as _dt, kernels, meta_shapes, upcalls as _upcalls
from dispatch.device import META
from dispatch.meta import dense_strides, empty, view
from dispatch.tensor import Tensor


def run(runner, ov, args, tensors, out, inplace):
    """Serve one op call on the meta device (see dispatch/meta.py)."""
    name = runner.name
    if not ov.factory_pos and name not in meta_shapes.CROSS_DEVICE:
        _check_one_device(tensors)
    if runner.view is not None:
        return _view_op(runner, ov, args, tensors, inplace, out)
    rule = meta_shapes.rule_for(runner)
    if rule is None:
        composite = _composite(runner)
        if composite is None:
            raise NotImplementedError(f"mstorch: torch op '{name}' has no shape rule for the 'meta' device yet")
        return _composite_op(runner, composite, ov, args, tensors, out, inplace)
    call = meta_shapes.Call(runner, ov, args, tensors, inplace)
    specs = rule(call)
    result = _build(specs, tensors, call.keeps_layout)
    if ov.return_type is not None and isinstance(result, tuple):
        result = ov.return_type(*result)
    if ov.factory_pos:
        result = _factory_args(name, ov, args, result)
    if inplace:
        return _commit_inplace(runner, ov, args, tensors, result)
    result = _upcalls.autograd_record(runner, ov, args, tensors, result, False, out)
    if out is not None:
        return _write_out(name, out, result)
    return result


def _check_one_device(tensors):
    """PyTorch's rule: operands share one device, except CPU scalars (0-d tensors)."""
    for t in tensors:
        if t._device is not META and t._data.shape:
            raise RuntimeError(f"Tensor on device {t.device} is not on the expected device meta!")


def _build(specs, tensors, keeps_layout):
    if isinstance(specs, list):
        return tuple(_build(s, tensors, keeps_layout) for s in specs)
    shape, dtype = specs[0], specs[1]
    stride = specs[2] if len(specs) > 2 else (_layout_of(shape, tensors) if keeps_layout else None)
    return empty(shape, dtype, stride)


def _layout_of(shape, tensors):
    """Elementwise results keep the memory order of an input of the result's shape (as
    PyTorch's TensorIterator does for dense inputs); otherwise they are contiguous."""
    shape = tuple(shape)
    for t in tensors:
        if tuple(t.shape) == shape:
            st = dense_strides(shape, t.stride())
            if st is None:
                return None
            order = sorted(range(len(shape)), key=lambda d: (-st[d], d))
            out, acc = [0] * len(shape), 1
            for d in reversed(order):
                out[d] = acc
                acc *= max(shape[d], 1)
            return tuple(out)
    return None


def _view_op(runner, ov, args, tensors, inplace, out):
    geom = kernels.resolve("fn:" + runner.view).fn
    src = args[0]
    specs = geom(src.shape, src.stride(), src.storage_offset(), *args[1:])
    if ov.nret == 1 and not isinstance(specs, list):
        result = view(src, *specs)
    else:
        result = tuple(view(src, *g) for g in specs)
    return _upcalls.autograd_record(runner, ov, args, tensors, result, inplace, out)


def _composite(runner):
    for spec in runner.entry["kernels"].get("cpu") or ():
        if spec.startswith("composite:"):
            return kernels.resolve(spec)
    return None


def _composite_op(runner, kernel, ov, args, tensors, out, inplace):
    result = runner._run_composite(kernel, args, ov)
    if ov.return_type is not None and type(result) is tuple:
        result = ov.return_type(*result)
    if inplace:
        return _commit_inplace(runner, ov, args, tensors, result, composite=True)
    if out is not None:
        return _write_out(runner.name, out, result)
    return result


def _factory_args(name, ov, args, result):
    pos = ov.factory_pos
    layout = args[pos["layout"]] if "layout" in pos else None
    if layout is not None and getattr(layout, "name", layout) != "strided":
        raise NotImplementedError(f"mstorch: {name}(layout={layout}) is not supported yet")
    if "pin_memory" in pos and args[pos["pin_memory"]]:
        raise RuntimeError("Only dense CPU tensors can be pinned")
    if "requires_grad" in pos and args[pos["requires_grad"]]:
        result.requires_grad_(True)
    return result


def _commit_inplace(runner, ov, args, tensors, result, composite=False):
    self = args[0]
    if self._device is not META:
        raise RuntimeError(f"Tensor on device {self.device} is not on the expected device meta!")
    return _upcalls.meta_inplace_commit(runner, ov, args, tensors, result, composite)


def _write_out(name, out, result):
    if isinstance(result, tuple):
        if not isinstance(out, (tuple, list)) or len(out) != len(result):
            raise TypeError(f"{name}(): argument 'out' must be tuple of {len(result)} Tensors")
        for o, r in zip(out, result):
            _write_out(name, o, r)
        return tuple(out)
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if out._device is not META:
        raise RuntimeError(f"Expected out tensor to have device meta, but got {out.device} instead")
    if not _dt.can_cast(result._dtype, out._dtype):
        raise RuntimeError(f"result type {_dt.legacy_name(result._dtype)} can't be cast to the desired output "
                           f"type {_dt.legacy_name(out._dtype)}")
    if tuple(out.shape) != tuple(result.shape):
        fresh = empty(result.shape, out._dtype)
        out._data, out._storage, out._base = fresh._data, fresh._storage, None
    out._storage.version += 1
    return out
