"""Crossing into mstorch from other tensor libraries in the same process.

- `from_torch(t)`: a real PyTorch CPU tensor (a process that keeps real torch for its
  data pipeline, with mstorch disabled/enabled around it) becomes an mstorch tensor
  sharing its memory, through NumPy; never a copy, never an import of torch.
- `from_mindspore(x)` / `Tensor.to_mindspore()`: MindSpore tensors (dispatch/interop.py).
- `cast_to_adapter_tensor` / `cast_to_ms_tensor`: the older adapter's names for the same
  two crossings, applied through nested tuples/lists/dicts as it did.
- `ms_tensor <op> mstorch_tensor`: MindSpore's Tensor operators raise TypeError for an
  operand they do not know instead of returning NotImplemented, so Python never reaches
  mstorch's reflected method. `install_mindspore_operators()` wraps them so that for an
  mstorch operand (only) they return NotImplemented; every other call is unchanged.
"""

_BINARY = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor", "lshift",
           "rshift", "lt", "le", "gt", "ge", "eq", "ne")
_installed = []


def from_torch(t):
    """An mstorch tensor sharing memory with the real PyTorch tensor `t` (a constant for autograd)."""
    from dispatch import Tensor
    from dispatch.interop import from_numpy
    if isinstance(t, Tensor):
        return t
    kind = type(t)
    if not (kind.__module__.startswith("torch") and hasattr(t, "numpy") and hasattr(t, "dtype")):
        raise TypeError(f"from_torch() expects a PyTorch tensor, got {kind.__module__}.{kind.__name__}")
    if t.device.type != "cpu":
        raise NotImplementedError(f"mstorch.from_torch: tensors on device '{t.device}' are not supported; "
                                  "call .cpu() first")
    if str(t.layout) != "torch.strided":
        raise NotImplementedError(f"mstorch.from_torch: layout {t.layout} is not supported")
    t = t.detach()
    if t.is_conj() or t.is_neg():
        t = t.resolve_conj().resolve_neg()
    if str(t.dtype) == "torch.bfloat16":
        # NumPy has no bfloat16, and sharing the bits as int16 needs Tensor.view(dtype), which mstorch lacks yet.
        raise NotImplementedError("mstorch.from_torch: bfloat16 tensors are not supported yet; convert with "
                                  "t.float() first")
    return from_numpy(t.numpy())


def from_mindspore(x):
    from dispatch.interop import from_mindspore as convert
    return convert(x)


def _map(obj, leaf):
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(_map(o, leaf) for o in obj))
    if isinstance(obj, (tuple, list)):
        return type(obj)(_map(o, leaf) for o in obj)
    if isinstance(obj, dict):
        return {k: _map(v, leaf) for k, v in obj.items()}
    return leaf(obj)


def cast_to_adapter_tensor(outputs):
    """MindSpore tensors (nested in tuples/lists/dicts) become mstorch tensors, sharing memory."""
    from dispatch import arrays
    return _map(outputs, lambda o: from_mindspore(o) if arrays.is_ms_array(o) else o)


def cast_to_ms_tensor(inputs):
    """mstorch tensors (nested in tuples/lists/dicts) become MindSpore tensors, sharing memory where possible."""
    from dispatch import Tensor
    return _map(inputs, lambda o: o.to_mindspore() if isinstance(o, Tensor) else o)


def install_mindspore_operators():
    """Make `ms_tensor <op> mstorch_tensor` reach mstorch's reflected operator (see the module note)."""
    if _installed:
        return
    import mindspore
    from dispatch import Tensor
    cls = mindspore.Tensor
    for base in _BINARY:
        for name in (f"__{base}__", f"__r{base}__"):
            original = getattr(cls, name, None)
            if original is None:
                continue
            setattr(cls, name, _deferring(original, Tensor, name))
    _installed.append(cls)


def _deferring(original, mstorch_tensor, name):
    def method(self, other):
        if isinstance(other, mstorch_tensor):
            return NotImplemented
        return original(self, other)
    method.__name__ = name
    method.__qualname__ = f"Tensor.{name}"
    method.__wrapped__ = original
    return method
