"""torch.library: operators defined in Python (`custom_op`, `Library.define/impl`).

An op is an `_Op` in the registry (`ops.py` serves them as `torch.ops.<ns>.<name>`).
Calling one follows PyTorch's dispatch order as far as mstorch has keys:
an Autograd or CompositeImplicitAutograd kernel runs as ordinary traced Python; a CPU
(or CompositeExplicitAutograd) kernel runs *below* autograd — grad mode off inside, as
in PyTorch — and the result is connected to the inputs through the formula given to
`register_autograd`, or through a node whose backward raises PyTorch's error.
Fake/Meta kernels are kept (mstorch has no fake tensors, so nothing calls them except
`opcheck`'s comparison). C++ kernels are out of reach: see utils/cpp_extension.py.
"""
import inspect
import re
import typing

from dispatch import Tensor
from dispatch.autograd.function import Function
from mstorch.impl.torch.grad_mode import is_grad_enabled, no_grad

__all__ = ["custom_op", "CustomOpDef", "Library", "define", "impl", "register_fake", "register_autograd",
           "register_kernel", "impl_abstract", "get_ctx", "opcheck", "infer_schema"]

_REGISTRY = {}  # "ns::name" -> _Op
_libraries = []  # keeps Library objects' registrations alive as PyTorch does
_BELOW_AUTOGRAD = ("CPU", "CompositeExplicitAutograd", "cpu", "default")
_TRACED = ("CompositeImplicitAutograd", "Autograd", "AutogradCPU")
_KEPT = ("Meta", "CUDA", "AutogradCUDA", "cuda", "PrivateUse1", "XLA", "MPS")


def _split(qualname):
    ns, sep, name = qualname.partition("::")
    if not sep or not ns or not name:
        raise ValueError(f"Expected there to be a namespace in {qualname}, i.e. The operator name should look "
                         "something like ns::foo")
    return ns, name


class _Op:
    def __init__(self, qualname, schema):
        self.qualname, self.schema = qualname, schema
        self.namespace, self.name = _split(qualname)
        self.kernels = {}
        self.fake = None
        self.backward = self.setup_context = None
        self._fn_class = None

    def __repr__(self):
        return f"{self.namespace}.{self.name}.default"

    def _kernel(self):
        for key in _TRACED:
            if key in self.kernels:
                return self.kernels[key], True
        for key in _BELOW_AUTOGRAD:
            if key in self.kernels:
                return self.kernels[key], False
        if set(self.kernels) & set(_KEPT):
            raise NotImplementedError(f"mstorch: {self.qualname} has kernels only for {sorted(self.kernels)}; "
                                      "mstorch runs CPU (or composite) kernels")
        raise NotImplementedError(f"{self.qualname}: no kernel registered (mstorch runs CPU or composite kernels; "
                                  "register one with register_kernel / Library.impl)")

    def __call__(self, *args, **kwargs):
        kernel, traced = self._kernel()
        if traced:
            return kernel(*args, **kwargs)
        bound = inspect.signature(kernel).bind(*args, **kwargs)
        bound.apply_defaults()
        flat = list(bound.args) + list(bound.kwargs.values())
        n_pos = len(bound.args)
        names = list(bound.kwargs)

        def run(*values):
            with no_grad():
                out = kernel(*values[:n_pos], **dict(zip(names, values[n_pos:])))
            self._check_aliasing(values, out)
            return out

        if not (is_grad_enabled() and any(_requires_grad(v) for v in flat)):
            return run(*flat)
        return self._function_class().apply(run, *flat)

    def _check_aliasing(self, inputs, out):
        outs = out if isinstance(out, (tuple, list)) else (out,)
        ins = [t for v in inputs for t in (v if isinstance(v, (tuple, list)) else (v,)) if isinstance(t, Tensor)]
        for o in outs:
            if isinstance(o, Tensor) and any(o is t or (o._base is not None and o._base is (t._base or t))
                                             for t in ins):
                raise RuntimeError(f"{self.name}: The output of this custom operator (1) must not also be an input "
                                   "to this custom operator and (2) may not alias any inputs to this custom "
                                   "operator or other returns. The most common way to trigger this error is if "
                                   "we have y = custom_op(x) and y and x are the same Tensor. Please instead "
                                   "return a clone of the offending output tensor(s) (e.g. return x.clone()) or "
                                   "refactor the custom operator to not return y.")

    def _function_class(self):
        if self._fn_class is None:
            self._fn_class = _make_function_class(self)
        return self._fn_class


def _requires_grad(v):
    if isinstance(v, Tensor):
        return v.requires_grad
    return isinstance(v, (tuple, list)) and any(_requires_grad(x) for x in v)


def _make_function_class(op):
    label = f"{op.namespace}.{op.name}.default"

    def forward(run, *inputs):
        return run(*inputs)

    def setup_context(ctx, inputs, output):
        # The first input is the kernel runner, which the user's formula never sees.
        ctx.needs_input_grad = tuple(ctx.needs_input_grad)[1:]
        if op.setup_context is not None:
            op.setup_context(ctx, inputs[1:], output)

    def backward(ctx, *grads):
        if op.backward is None:
            raise RuntimeError(f"Trying to backward through {label} but no autograd formula was registered. "
                               "Please use register_autograd to add one.")
        result = op.backward(ctx, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        return (None,) + result

    name = f"GeneratedBackwardFor_{op.namespace}_{op.name}_default"
    return type(name, (Function,), {"forward": staticmethod(forward), "setup_context": staticmethod(setup_context),
                                    "backward": staticmethod(backward)})


def _lookup(op):
    if isinstance(op, CustomOpDef):
        return op._op
    if isinstance(op, _Op):
        return op
    if isinstance(op, str):
        if op not in _REGISTRY:
            raise ValueError(f"Operator {op} does not exist; define it first (torch.library.define / custom_op)")
        return _REGISTRY[op]
    packet = getattr(op, "_mstorch_op", None)
    if packet is not None:
        return packet
    raise TypeError(f"expected an operator name 'ns::name' or an op, got {type(op).__name__}")


# -- schema inference (for `_schema` and the annotation check PyTorch makes) ---------------

_TYPE_NAMES = {Tensor: "Tensor", int: "SymInt", float: "float", bool: "bool", str: "str", type(None): "NoneType"}


def _type_name(ann, fn, pname):
    if ann in _TYPE_NAMES:
        return _TYPE_NAMES[ann]
    origin, args = typing.get_origin(ann), typing.get_args(ann)
    if origin is typing.Union and len(args) == 2 and type(None) in args:
        inner = args[0] if args[1] is type(None) else args[1]
        return _type_name(inner, fn, pname) + "?"
    if origin in (list, typing.List, tuple, typing.Sequence) and args:
        return _type_name(args[0], fn, pname) + "[]"
    if getattr(ann, "__name__", None) in ("dtype", "device", "Generator", "layout", "memory_format"):
        return {"dtype": "ScalarType", "device": "Device", "Generator": "Generator", "layout": "Layout",
                "memory_format": "MemoryFormat"}[ann.__name__]
    raise ValueError(f"infer_schema(func): Parameter {pname} has unsupported type {ann}. Got func with signature "
                     f"{inspect.signature(fn)})")


def infer_schema(prototype_function, /, *, mutates_args, op_name=None):
    sig = inspect.signature(prototype_function)
    hints = typing.get_type_hints(prototype_function)
    parts = []
    for pname, p in sig.parameters.items():
        if p.annotation is inspect.Parameter.empty:
            raise ValueError(f"infer_schema(func): Parameter {pname} must have a type annotation. Got func with "
                             f"signature {sig})")
        t = _type_name(hints[pname], prototype_function, pname)
        if mutates_args == "unknown" or pname in (mutates_args or ()):
            t = t.replace("Tensor", "Tensor(a!)", 1)
        text = f"{t} {pname}"
        if p.default is not inspect.Parameter.empty:
            text += "=" + (f"{p.default:g}." if isinstance(p.default, float) and float(p.default).is_integer()
                           else repr(p.default) if not isinstance(p.default, bool) else str(p.default))
        parts.append(text)
    ret = hints.get("return", inspect.Parameter.empty)
    if sig.return_annotation is inspect.Parameter.empty:
        raise ValueError(f"infer_schema(func): No return type annotation was provided. Got func with signature {sig})")
    if ret is None or ret is type(None):
        rtext = "()"
    elif typing.get_origin(ret) is tuple:
        rtext = "(" + ", ".join(_type_name(a, prototype_function, "return") for a in typing.get_args(ret)) + ")"
    else:
        rtext = _type_name(ret, prototype_function, "return")
    return f"{op_name or ''}({', '.join(parts)}) -> {rtext}"


# -- custom_op --------------------------------------------------------------------------

class CustomOpDef:
    """What `@torch.library.custom_op` returns: callable, with the register_* methods."""

    def __init__(self, op, fn):
        self._op, self._init_fn = op, fn
        self.__name__ = op.name
        self.__doc__ = fn.__doc__
        self.__wrapped__ = fn

    def __repr__(self):
        return f"<CustomOpDef({self._op.qualname})>"

    def __call__(self, *args, **kwargs):
        return self._op(*args, **kwargs)

    @property
    def _qualname(self):
        return self._op.qualname

    @property
    def _schema(self):
        return self._op.schema

    def register_fake(self, fn, /):
        self._op.fake = fn
        return fn

    def register_kernel(self, device_types, fn=None, /):
        def register(f):
            for d in _device_types(device_types):
                self._op.kernels[d] = f
            return f
        return register if fn is None else register(fn)

    def register_autograd(self, backward, /, *, setup_context=None):
        if not callable(backward):
            raise TypeError(f"register_autograd expects a callable backward, got {type(backward).__name__}")
        self._op.backward, self._op.setup_context = backward, setup_context

    def register_torch_dispatch(self, torch_dispatch_class, fn=None, /):
        raise NotImplementedError("mstorch: CustomOpDef.register_torch_dispatch is not supported (mstorch has no "
                                  "__torch_dispatch__ modes)")

    def register_vmap(self, func=None, /):
        raise NotImplementedError("mstorch: CustomOpDef.register_vmap is not supported (mstorch has no vmap)")

    def set_kernel_enabled(self, device_type, enabled=True):
        raise NotImplementedError("mstorch: CustomOpDef.set_kernel_enabled is not supported")


def _device_types(device_types):
    if device_types is None:
        return ["default"]
    if isinstance(device_types, str):
        device_types = [device_types]
    return [str(getattr(d, "type", d)) for d in device_types]


def custom_op(name, fn=None, /, *, mutates_args, device_types=None, schema=None, tags=None):
    _split(name)

    def define_op(f):
        text = schema if schema is not None else infer_schema(f, mutates_args=mutates_args)
        op = _REGISTRY[name] = _Op(name, f"{name}{text}" if text.startswith("(") else text)
        for d in _device_types(device_types):
            op.kernels[d] = f
        return CustomOpDef(op, f)

    return define_op if fn is None else define_op(fn)


# -- the Library API --------------------------------------------------------------------

_SCHEMA_NAME = re.compile(r"\s*([A-Za-z_][\w]*)(?:\.([\w]+))?\s*\(")


class Library:
    def __init__(self, ns, kind, dispatch_key=""):
        if kind not in ("IMPL", "DEF", "FRAGMENT"):
            raise ValueError(f"Unsupported kind: {kind}")
        if ns in ("prim", "aten") and kind == "DEF":
            raise ValueError(f"{ns} is a reserved namespace. Please try creating a library with another name.")
        self.ns, self.kind, self.dispatch_key = ns, kind, dispatch_key
        self._defined = []
        _libraries.append(self)

    def __repr__(self):
        return f"Library(kind={self.kind}, ns={self.ns}, dispatch_key={self.dispatch_key})>"

    def define(self, schema, alias_analysis="", *, tags=()):
        if self.kind == "IMPL":
            raise RuntimeError("define() is not allowed on a Library of kind IMPL")
        m = _SCHEMA_NAME.match(schema)
        if m is None:
            raise RuntimeError(f"mstorch: cannot parse the operator schema {schema!r}")
        qualname = f"{self.ns}::{m.group(1)}"
        if qualname in _REGISTRY and self.kind == "DEF":
            raise RuntimeError(f"Tried to register an operator ({qualname}) with the same name and overload name "
                               "multiple times.")
        _REGISTRY[qualname] = _Op(qualname, f"{self.ns}::{schema.strip()}")
        self._defined.append(qualname)
        return m.group(1)

    def impl(self, op_name, fn, dispatch_key="", *, with_keyset=False, allow_override=False):
        if with_keyset:
            raise NotImplementedError("mstorch: Library.impl(with_keyset=True) is not supported (no dispatch keysets)")
        key = dispatch_key or self.dispatch_key or "CompositeImplicitAutograd"
        if not isinstance(op_name, str):
            op = _lookup(op_name)
        else:
            base = op_name.split(".")[0]
            qualname = base if "::" in base else f"{self.ns}::{base}"
            op = _lookup(qualname)
        if key in ("Meta",):
            op.fake = fn
        op.kernels[key] = fn

    def fallback(self, fn, dispatch_key="", *, with_keyset=False):
        raise NotImplementedError("mstorch: Library.fallback is not supported (no dispatch keys to fall back on)")

    def _destroy(self):
        for qualname in self._defined:
            _REGISTRY.pop(qualname, None)
        self._defined.clear()
        if self in _libraries:
            _libraries.remove(self)


def define(qualname, schema, *, lib=None, tags=()):
    ns, name = _split(qualname)
    lib = lib or Library(ns, "FRAGMENT")
    lib.define(name + schema, tags=tags)


def impl(qualname, types=None, func=None, *, lib=None):
    if isinstance(qualname, Library):
        # Old form: torch.library.impl(lib, "name", "CPU") as a decorator.
        lib_, name, key = qualname, types, func or ""

        def register_old(f):
            lib_.impl(name, f, key)
            return f
        return register_old
    op = _lookup(qualname)

    def register(f):
        for key in (_device_types(types) if types not in ("CompositeImplicitAutograd", "Autograd", "Meta",
                                                             "CPU", "CompositeExplicitAutograd") else [types]):
            op.kernels[key] = f
            if key == "Meta":
                op.fake = f
        return f
    return register if func is None else register(func)


def register_kernel(op, device_types, func=None, /, *, lib=None):
    o = _lookup(op)

    def register(f):
        for d in _device_types(device_types):
            o.kernels[d] = f
        return f
    return register if func is None else register(func)


def register_fake(op, func=None, /, *, lib=None, _stacklevel=1, allow_override=False):
    o = _lookup(op)

    def register(f):
        o.fake = f
        return f
    return register if func is None else register(func)


impl_abstract = register_fake


def register_autograd(op, backward, /, *, setup_context=None, lib=None):
    o = _lookup(op)
    o.backward, o.setup_context = backward, setup_context


def get_ctx():
    raise NotImplementedError("mstorch: torch.library.get_ctx is not supported (mstorch has no fake-tensor tracing "
                              "that would call a fake kernel with a context)")


def opcheck(op, args, kwargs=None, *, test_utils=None, raise_exception=True, atol=None, rtol=None):
    raise NotImplementedError("mstorch: torch.library.opcheck is not supported (its checks run under fake tensors "
                              "and AOTAutograd, which mstorch does not have)")
