"""Install table ops on the Tensor class: methods, in-place `_` variants, operators."""
from ops_table.generated import OPS
from dispatch.dispatcher import function_for
from dispatch.tensor import Tensor
from dispatch import torch_function
from dispatch import inplace_views

_REFLECTED = {"__radd__", "__rsub__", "__rmul__", "__rtruediv__", "__rdiv__", "__rfloordiv__", "__rmod__",
              "__rpow__", "__rmatmul__", "__rand__", "__ror__", "__rxor__", "__rlshift__", "__rrshift__"}
_INPLACE_DUNDERS = {"__iadd__", "__isub__", "__imul__", "__itruediv__", "__idiv__", "__ifloordiv__", "__imod__",
                    "__ipow__", "__imatmul__", "__iand__", "__ior__", "__ixor__", "__ilshift__", "__irshift__"}


class _LazyMethod:
    """Builds the op's binder the first time the attribute is used, then replaces itself."""

    def __init__(self, op, variant, attr):
        self.op, self.variant, self.attr = op, variant, attr

    def __get__(self, obj, cls):
        f = _public(function_for(self.op, variant=self.variant), self.attr)
        # Always on Tensor: one public callable per name, also when a subclass asked first.
        setattr(Tensor, self.attr, f)
        return f if obj is None else f.__get__(obj, cls)


def _public(impl, attr):
    """The callable users see: `impl` behind the __torch_function__ protocol where PyTorch routes it."""
    return torch_function.tensor_method(impl, attr) if torch_function.routes_method(attr) else impl


def _reflected(op):
    def method(self, other):
        return function_for(op)(other, self)
    return method


def install(cls):
    inplace_views.install(cls)
    for name, entry in OPS.items():
        variants = entry["variants"]
        names = (name,) + tuple(entry["aliases"])
        for n in names:
            if "method" in variants and n not in cls.__dict__:
                setattr(cls, n, _LazyMethod(name, "method", n))
            if "inplace" in variants and n + "_" not in cls.__dict__:
                setattr(cls, n + "_", _LazyMethod(name, "inplace", n + "_"))
        for d in entry["dunders"]:
            if d in _REFLECTED:
                setattr(cls, d, _public(_reflected(name), d))
            elif d in _INPLACE_DUNDERS:
                setattr(cls, d, _public(function_for(name, variant="inplace"), d))
            else:
                setattr(cls, d, _public(function_for(name, variant="method"), d))
