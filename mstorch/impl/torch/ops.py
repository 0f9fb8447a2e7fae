"""torch.ops: the operators registered from Python through torch.library, as
`torch.ops.<ns>.<name>` (an overload packet) and `torch.ops.<ns>.<name>.default`.
PyTorch's own ATen operators (`torch.ops.aten.*`) are not served here."""
from mstorch.impl.torch import library as _library


class OpOverload:
    def __init__(self, op):
        self._mstorch_op = op
        self.__name__ = f"{op.name}.default"

    def __call__(self, *args, **kwargs):
        return self._mstorch_op(*args, **kwargs)

    def __repr__(self):
        return f"{self._mstorch_op.namespace}.{self._mstorch_op.name}.default"

    @property
    def _schema(self):
        return self._mstorch_op.schema


class OpOverloadPacket(OpOverload):
    def __init__(self, op):
        super().__init__(op)
        self.__name__ = op.name
        self.default = OpOverload(op)

    def __repr__(self):
        return f"<OpOverloadPacket(op='{self._mstorch_op.namespace}.{self._mstorch_op.name}')>"

    def overloads(self):
        return ["default"]


class _OpNamespace:
    # Not a module object: the proxy would take a module for a child package of torch.ops.
    def __init__(self, ns):
        self._ns = ns
        self.__name__ = f"torch.ops.{ns}"

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        op = _library._REGISTRY.get(f"{self._ns}::{name}")
        if op is None:
            raise AttributeError(f"'_OpNamespace' '{self._ns}' object has no attribute '{name}'"
                                 + (" (mstorch does not serve ATen operators through torch.ops)"
                                    if self._ns in ("aten", "prim", "prims") else ""))
        # Not cached: a re-registered op must be found afresh.
        return OpOverloadPacket(op)


_namespaces = {}


def __getattr__(ns):
    if ns.startswith("__"):
        raise AttributeError(ns)
    if ns not in _namespaces:
        _namespaces[ns] = _OpNamespace(ns)
    return _namespaces[ns]


def load_library(path):
    raise NotImplementedError("mstorch: torch.ops.load_library is not supported (it loads a C++ operator library "
                              "built against libtorch); see torch.utils.cpp_extension")
