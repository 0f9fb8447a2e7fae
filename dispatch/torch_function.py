"""The `__torch_function__` protocol: Tensor subclasses, tensor-likes and TorchFunctionModes.

Every public torch callable (torch.* and torch.nn.functional.* table ops, Tensor methods,
operators and properties) is built through `public()`, which wraps the implementation:

- the fast path, taken when no mode is pushed and every argument is an exact Tensor or a
  plain Python value, is one global read and one type test per argument;
- otherwise `handle()` follows PyTorch's order: the innermost active mode first (popped
  while it runs, so torch calls inside it reach the next mode), then the arguments whose
  type defines a `__torch_function__` other than `_disabled_torch_function_impl`,
  subclasses before their superclasses, else left to right; `NotImplemented` passes on;
  when every override declines, TypeError names the function and the types.

`func` handed to an override is the public callable itself (`torch.add`, `torch.Tensor.add`,
`torch.Tensor.shape.__get__`), as PyTorch passes it. Operators pass the method PyTorch
passes (`x + y` hands over `Tensor.add`, see `_DUNDER_FUNC`).

State is per thread as in PyTorch: the mode stack and the disabled state
(DisableTorchFunctionSubclass / DisableTorchFunction). `_PUSHED` counts the modes on
every thread's stack so that the fast path reads one global.
"""
import threading

from dispatch.size import Size
from dispatch.tensor import Tensor
from dispatch.dtypes import dtype as _dtype
from dispatch.device import device as _device

ENABLED, SUBCLASSES_DISABLED, ALL_DISABLED = 0, 1, 2


class _State(threading.local):
    def __init__(self):
        self.modes = []          # innermost last
        self.disabled = ENABLED


_TLS = _State()
_PUSHED = [0]   # modes pushed on any thread (the fast path's only global read)
_PLAIN = frozenset({int, float, bool, complex, str, bytes, type(None), slice, type(Ellipsis), _dtype, _device, Size})


class _DisabledTorchFunctionImpl:
    """`torch._C._disabled_torch_function_impl`: a class whose `__torch_function__` is this
    object opts out of the protocol (nn.Parameter does). Called, it runs `func` with
    subclass overrides disabled. An instance, not a function, so a class attribute holding
    it never binds as a method (PyTorch's is a builtin)."""
    __name__ = __qualname__ = "_disabled_torch_function_impl"
    __module__ = "torch._C"

    def __call__(self, func, types, args=(), kwargs=None):
        if not isinstance(args, (tuple, list)):
            raise TypeError(f"expected List or Tuple (got {type(args).__name__})")
        with DisableTorchFunctionSubclass():
            return func(*args, **(kwargs or {}))

    def __repr__(self):
        return "<built-in function _disabled_torch_function_impl>"


_disabled_torch_function_impl = _DisabledTorchFunctionImpl()


# ---- state: modes and the disabled switches ---------------------------------------------------
class DisableTorchFunctionSubclass:
    """Within it, subclass and tensor-like overrides are skipped; modes still apply."""
    _level = SUBCLASSES_DISABLED

    def __init__(self):
        self._old = []

    def __enter__(self):
        self._old.append(_TLS.disabled)
        if _TLS.disabled < self._level:
            _TLS.disabled = self._level
        return self

    def __exit__(self, *exc):
        _TLS.disabled = self._old.pop()
        return False


class DisableTorchFunction(DisableTorchFunctionSubclass):
    """Within it, no override runs at all: neither modes nor subclasses."""
    _level = ALL_DISABLED


DisableTorchFunctionSubclass.__module__ = DisableTorchFunction.__module__ = "torch._C"


def is_torch_function_enabled():
    return _TLS.disabled == ENABLED


def is_torch_function_mode_enabled():
    return _TLS.disabled != ALL_DISABLED and bool(_TLS.modes)


def push_mode(mode):
    _TLS.modes.append(mode)
    _PUSHED[0] += 1


def pop_mode():
    if not _TLS.modes:
        raise RuntimeError("Trying to pop from an empty mode stack")
    _PUSHED[0] -= 1
    return _TLS.modes.pop()


def stack_len():
    return len(_TLS.modes)


def stack_at(i):
    modes = _TLS.modes
    if not -len(modes) <= i < len(modes):
        raise IndexError("Index out of range for the torch function mode stack")
    return modes[i]


# ---- finding overrides ------------------------------------------------------------------------
def _defines(obj):
    """Whether obj's type takes part (has a __torch_function__ that is not the disabled one)."""
    t = type(obj)
    if t is Tensor or t in _PLAIN:
        return False
    tf = getattr(t, "__torch_function__", None)
    return tf is not None and tf is not _disabled_torch_function_impl and not _is_real_torch(t)


def _is_real_torch(t):
    # A real PyTorch tensor handed to mstorch is refused by the dispatcher, naming mstorch.from_torch;
    # its own __torch_function__ would call back into mstorch's callables forever.
    for k in t.__mro__:
        if k.__name__ == "Tensor" and k.__module__ == "torch" and k is not Tensor:
            return True
    return False


def _candidates(values, out):
    for v in values:
        t = type(v)
        if t is Tensor or t in _PLAIN:
            continue
        if t is list or t is tuple:
            # Sequences of tensors (torch.cat([a, b])); one level, as PyTorch's TensorList.
            for x in v:
                if _defines(x):
                    out.append(x)
        elif _defines(v):
            out.append(v)


def overloaded_args(relevant):
    """The arguments whose overrides run, in PyTorch's order (NEP-18: a subclass before its
    superclass, otherwise left to right; one per type)."""
    if _TLS.disabled != ENABLED:
        return []
    found = []
    _candidates(relevant, found)
    ordered, seen = [], set()
    for a in found:
        t = type(a)
        if t in seen:
            continue
        seen.add(t)
        index = len(ordered)
        for i, old in enumerate(ordered):
            if issubclass(t, type(old)):
                index = i
                break
        ordered.insert(index, a)
    return ordered


def has_torch_function(relevant):
    if is_torch_function_mode_enabled():
        return True
    if _TLS.disabled != ENABLED:
        return False
    found = []
    _candidates(relevant, found)
    return bool(found)


def _relevant(args, kwargs):
    if not kwargs:
        return args
    return tuple(args) + tuple(kwargs.values())


# ---- calling overrides ------------------------------------------------------------------------
def handle(public_api, relevant, args, kwargs, python_api=False):
    """Call the overrides for `public_api(*args, **kwargs)` in PyTorch's order (`kwargs` is handed
    over as given: None where PyTorch's built-in callables pass none)."""
    overloaded = overloaded_args(relevant)
    types = tuple(type(a) for a in overloaded)
    if is_torch_function_mode_enabled():
        mode = pop_mode()
        try:
            result = mode.__torch_function__(public_api, types, args, kwargs)
        finally:
            push_mode(mode)
        if result is not NotImplemented:
            return result
    for arg in overloaded:
        result = arg.__torch_function__(public_api, types, args, kwargs)
        if result is not NotImplemented:
            return result
    name = f"{getattr(public_api, '__module__', None)}.{getattr(public_api, '__qualname__', public_api)}"
    if python_api:   # torch.overrides.handle_torch_function's wording
        msg = (f"no implementation found for '{name}' on types that implement __torch_function__: "
               f"{[type(a) for a in overloaded]}")
        if is_torch_function_mode_enabled():
            msg += f" nor in mode {_TLS.modes[-1]}"
    else:            # the wording of PyTorch's C++ dispatch, which serves its built-in callables
        lines = [f"  - mode object {_TLS.modes[-1]}"] if is_torch_function_mode_enabled() else []
        lines += [f"  - tensor subclass {type(a)}" for a in overloaded]
        msg = (f"Multiple dispatch failed for '{name}'; all __torch_function__ handlers returned NotImplemented:"
               "\n\n" + "\n".join(lines) + "\n\nFor more information, try re-running with "
               "TORCH_LOGS=not_implemented")
    raise TypeError(msg)


def _dispatching(args, kwargs):
    """The slow-path test: is there anything for the protocol to do?"""
    return is_torch_function_mode_enabled() or bool(overloaded_args(_relevant(args, kwargs)))


def public(impl, name, module, qualname=None, func=None):
    """The public callable for `impl`: `impl` itself unless an override applies.

    `func`, when given, is a zero-argument function returning what PyTorch hands to the
    overrides instead of this callable (operators hand over `Tensor.add`)."""
    pushed = _PUSHED

    def call(*args, **kwargs):
        if not pushed[0]:
            for a in args:
                t = type(a)
                if t is not Tensor and t not in _PLAIN and _takes_part(a):
                    break
            else:
                if not kwargs:
                    return impl(*args)
                for a in kwargs.values():
                    t = type(a)
                    if t is not Tensor and t not in _PLAIN and _takes_part(a):
                        break
                else:
                    return impl(*args, **kwargs)
        if not _dispatching(args, kwargs):
            return impl(*args, **kwargs)
        api = call if func is None else func()
        return handle(api, _relevant(args, kwargs), args, kwargs or None)

    call.__name__ = name
    call.__qualname__ = qualname or name
    call.__module__ = module
    call.__doc__ = getattr(impl, "__doc__", None)
    call.__dict__.update(getattr(impl, "__dict__", {}))
    call.__wrapped__ = impl
    call.__mstorch_impl__ = impl
    return call


def _takes_part(a):
    t = type(a)
    if t is list or t is tuple:
        for x in a:
            if _defines(x):
                return True
        return False
    return _defines(a)


def public_property(prop, name):
    """A Tensor property whose get and set go through the protocol, as PyTorch's
    `Tensor.shape.__get__` / `Tensor.grad.__set__` do."""
    fget, fset, fdel = prop.fget, prop.fset, prop.fdel
    pushed = _PUSHED
    holder = []

    def getter(self):
        if not pushed[0] and (type(self) is Tensor or not _defines(self)):
            return fget(self)
        if not _dispatching((self,), None):
            return fget(self)
        return handle(holder[0].__get__, (self,), (self,), None)

    def setter(self, value):
        if not pushed[0] and (type(self) is Tensor or not _defines(self)) and not _defines(value):
            return fset(self, value)
        if not _dispatching((self, value), None):
            return fset(self, value)
        return handle(holder[0].__set__, (self, value), (self, value), None)

    for f, orig in ((getter, fget), (setter, fset)):
        f.__name__ = name
        f.__qualname__ = f"Tensor.{name}"
        f.__wrapped__ = orig
    new = property(getter, setter if fset is not None else None, fdel, prop.__doc__)
    holder.append(new)
    return new


# ---- the default Tensor.__torch_function__ ------------------------------------------------------
def _nowrap_functions():
    # Field reads keep their identity (`a.grad is a.grad`): not re-wrapped into the subclass.
    return (Tensor.grad.__get__,)


def tensor_torch_function(cls, func, types, args=(), kwargs=None):
    """Tensor.__torch_function__: run `func` with subclass overrides off and hand results back
    as instances of `cls` (PyTorch's default, which keeps subclasses through ops)."""
    if kwargs is None:
        kwargs = {}
    if not all(issubclass(cls, t) for t in types):
        return NotImplemented
    with DisableTorchFunctionSubclass():
        ret = func(*args, **kwargs)
        if func in _nowrap_functions():
            return ret
        return convert(ret, cls)


def convert(ret, cls):
    if cls is Tensor:
        return ret
    if isinstance(ret, Tensor) and not isinstance(ret, cls):
        ret = ret.as_subclass(cls)
    if isinstance(ret, (tuple, list)):
        items = [convert(r, cls) for r in ret]
        if hasattr(ret, "_fields"):   # named tuples (torch.return_types.max)
            return type(ret)(*items)
        ret = type(ret)(items)
    return ret


def make_subclass(cls, data, require_grad=False, dispatch_strides=False, dispatch_device=False,
                  device_for_backend_keys=None):
    """Tensor._make_subclass: `data`'s storage seen as a leaf of type `cls`."""
    if not (isinstance(cls, type) and issubclass(cls, Tensor)):
        raise TypeError(f"cls must be a type (got {cls!r})")
    if not isinstance(data, Tensor):
        raise TypeError(f"_make_subclass(): argument 'data' (position 2) must be Tensor, not {type(data).__name__}")
    for arg, value in (("dispatch_strides", dispatch_strides), ("dispatch_device", dispatch_device),
                       ("device_for_backend_keys", device_for_backend_keys)):
        if value not in (False, None):
            raise NotImplementedError(f"mstorch: Tensor._make_subclass({arg}=...) is not supported "
                                      "(it serves __torch_dispatch__ wrapper subclasses)")
    with DisableTorchFunction():
        t = data.detach().as_subclass(cls)
        t.requires_grad_(bool(require_grad))
    return t


# A static method: its first parameter is the class, not a tensor (for introspection).
make_subclass.__mstorch_keywords__ = frozenset({"cls", "data", "require_grad", "dispatch_strides", "dispatch_device",
                                                "device_for_backend_keys"})


# ---- the Tensor class -------------------------------------------------------------------------
# What PyTorch hands to overrides for each operator (measured on torch 2.13: `x + y` passes
# Tensor.add, `x / 2` Tensor.div, `2 - x` Tensor.__rsub__); operators not listed pass themselves.
_DUNDER_FUNC = {
    "__add__": "add", "__radd__": "add", "__iadd__": "add_",
    "__sub__": "sub", "__isub__": "sub_",
    "__mul__": "mul", "__rmul__": "mul", "__imul__": "mul_",
    "__truediv__": "div", "__div__": "div", "__itruediv__": "div_", "__idiv__": "div_",
    "__mod__": "remainder", "__imod__": "remainder_", "__ifloordiv__": "floor_divide_",
    "__matmul__": "matmul",
    "__lt__": "lt", "__le__": "le", "__gt__": "gt", "__ge__": "ge", "__ne__": "ne",
    "__neg__": "neg", "__pos__": "positive", "__abs__": "abs",
    "__rand__": "bitwise_and", "__ror__": "bitwise_or", "__rxor__": "bitwise_xor",
}
# Tensor attributes PyTorch never routes through the protocol (torch.overrides.get_ignored_functions),
# and mstorch's own additions.
IGNORED_METHODS = frozenset({
    "as_subclass", "new", "new_tensor", "new_empty", "new_empty_strided", "new_zeros", "new_ones", "new_full",
    "stride", "unflatten", "to_sparse_coo", "to_sparse_csr", "to_sparse_csc", "to_sparse_bsr", "to_sparse_bsc",
    "to_mindspore",
})
# Dunders defined in Python that PyTorch routes (the operators are installed from the table).
_DUNDERS = frozenset({
    "__getitem__", "__setitem__", "__len__", "__bool__", "__float__", "__int__", "__complex__", "__index__",
    "__contains__", "__repr__", "__format__", "__array__", "__array_wrap__", "__reversed__", "__deepcopy__",
    "__reduce_ex__", "__setstate__", "__dlpack__", "__dlpack_device__",
})
# The properties PyTorch routes (torch.overrides.get_testing_overrides' `Tensor.x.__get__` keys).
_PROPERTIES = (
    "T", "H", "mT", "mH", "data", "device", "dtype", "grad", "grad_fn", "imag", "real", "is_cpu", "is_cuda",
    "is_ipu", "is_leaf", "is_maia", "is_meta", "is_mkldnn", "is_mps", "is_mtia", "is_nested", "is_quantized",
    "is_sparse", "is_sparse_csr", "is_vulkan", "is_xla", "is_xpu", "itemsize", "layout", "name", "nbytes",
    "ndim", "output_nr", "requires_grad", "retains_grad", "shape", "volatile", "grad_dtype", "_version",
)


def routes_method(name):
    if name in IGNORED_METHODS:
        return False
    if name.startswith("__") and name.endswith("__"):
        return name in _DUNDERS or name in _DUNDER_FUNC or name[2:-2] in _OPERATOR_NAMES
    return not name.startswith("_")


_OPERATOR_NAMES = frozenset({
    "add", "radd", "iadd", "sub", "rsub", "isub", "mul", "rmul", "imul", "truediv", "rtruediv", "itruediv",
    "div", "rdiv", "idiv", "floordiv", "rfloordiv", "ifloordiv", "mod", "rmod", "imod", "pow", "rpow", "ipow",
    "matmul", "rmatmul", "imatmul", "and", "rand", "iand", "or", "ror", "ior", "xor", "rxor", "ixor",
    "lshift", "rlshift", "ilshift", "rshift", "rrshift", "irshift", "eq", "ne", "lt", "le", "gt", "ge", "neg",
    "pos", "abs", "invert",
})


# Operators PyTorch defines by wrapping another method, whose name they carry.
_DUNDER_NAME = {"__pow__": "pow", "__ipow__": "pow_", "__rtruediv__": "__rdiv__"}


def tensor_method(impl, name):
    """The public Tensor method `name` (a table op, an operator or a Python-level method)."""
    target = _DUNDER_FUNC.get(name)
    func = (lambda: getattr(Tensor, target)) if target is not None else None
    shown = _DUNDER_NAME.get(name, name)
    f = public(impl, shown, "torch", f"Tensor.{shown}", func)
    f.__mstorch_tensor_method__ = True
    return f


def install(cls):
    """Route the Tensor class's Python-level methods and properties through the protocol
    (table methods and operators are routed where methods.py builds them)."""
    import types
    cls.__torch_function__ = classmethod(tensor_torch_function)
    cls._make_subclass = staticmethod(make_subclass)
    for name in _PROPERTIES:
        raw = _static(cls, name)
        if isinstance(raw, property) and not getattr(raw.fget, "__mstorch_property__", False):
            new = public_property(raw, name)
            new.fget.__mstorch_property__ = True
            setattr(cls, name, new)
    names = {n for klass in cls.__mro__[:-1] for n in vars(klass)}
    for name in sorted(names):
        raw = _static(cls, name)
        if type(raw) is types.FunctionType and not hasattr(raw, "__mstorch_impl__") and routes_method(name):
            setattr(cls, name, tensor_method(raw, name))


def _static(cls, name):
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    return None


def is_tensor_method_or_property(func):
    return getattr(func, "__mstorch_tensor_method__", False) or getattr(func, "__name__", None) in ("__get__",
                                                                                                   "__set__")


_routed = {}
# Functions PyTorch hands to modes that its overridable list leaves out (measured on 2.13).
_FACTORIES = {"torch": frozenset({"tensor", "as_tensor", "asarray", "result_type"})}


def route_impl(module_name, attr, value):
    """`value` as served at `module_name.attr`: a Python-level function of a name PyTorch routes
    through the protocol (torch.nn.functional.interpolate, torch.stft...) behind `public()`,
    anything else as it is."""
    import types
    if type(value) is not types.FunctionType or hasattr(value, "__mstorch_impl__"):
        return value
    from dispatch.torch_function_names import OVERRIDABLE
    if attr not in OVERRIDABLE.get(module_name, ()) and attr not in _FACTORIES.get(module_name, ()):
        return value
    key = (module_name, attr)
    f = _routed.get(key)
    if f is None or f.__mstorch_impl__ is not value:
        f = _routed[key] = public(value, attr, module_name)
    return f
