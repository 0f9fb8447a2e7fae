"""One schema overload of a table op, read once: where its Tensors, lists, converted
arguments, written arguments and factory arguments are (dispatcher layer)."""
import collections

from dispatch import dtypes as _dt
from dispatch.binder import converter
from dispatch.tensor import Tensor

TENSOR_TYPES = ("Tensor", "Tensor(a)", "Tensor(a!)", "Tensor(b!)")
FACTORY_ARGS = ("layout", "device", "pin_memory", "requires_grad", "memory_format")


class Overload:
    __slots__ = ("args", "convs", "tensor_pos", "list_pos", "write_pos", "nret", "names", "dtype_pos",
                 "generator_pos", "factory_pos", "kernel_pos", "plans", "return_type", "optional",
                 "qualified_name", "backward")

    def __init__(self, schema):
        self.args = schema["args"]
        self.qualified_name = schema["name"] + ("." + schema["overload"] if schema.get("overload") else "")
        # This overload's own formula dict when its op's backward is written per overload.
        self.backward = schema.get("backward")
        self.convs = []
        self.tensor_pos, self.list_pos = [], []
        self.dtype_pos = self.generator_pos = None
        for i, a in enumerate(self.args):
            typ = a["type"]
            base = typ.rstrip("?")
            if base in TENSOR_TYPES:
                self.tensor_pos.append(i)
            elif base.startswith("Tensor") and base.endswith("[]"):
                self.list_pos.append(i)
            else:
                fn, expected = converter(typ)
                if fn is not None:
                    self.convs.append((i, fn, expected, a["name"]))
            if a["name"] == "dtype" and base == "ScalarType":
                self.dtype_pos = i
            if base == "Generator":
                self.generator_pos = i
        # Tensor arguments that may be None (`Tensor? weight`).
        self.optional = frozenset(i for i in self.tensor_pos if self.args[i]["type"].endswith("?"))
        # Arguments the schema marks as written (`Tensor(a!)[] self`): a kernel of such an op
        # writes them itself (see dispatch/written_args.py).
        self.write_pos = frozenset(i for i, a in enumerate(self.args) if a.get("writes"))
        self.nret = len(schema["returns"])
        self.names = [a["name"] for a in self.args]
        self.plans = {}
        names = [r["name"] for r in schema["returns"]]
        # (values, indices)-style results are named tuples, as torch.return_types.<op>.
        self.return_type = return_type(schema["name"], names) if self.nret > 1 and all(names) else None
        # Arguments the dispatcher honours itself, for every factory alike; kernels never see them.
        self.factory_pos = {a["name"]: i for i, a in enumerate(self.args) if a["name"] in FACTORY_ARGS}
        self.kernel_pos = [i for i in range(len(self.args)) if i not in self.factory_pos.values()] \
            if self.factory_pos else None


_return_types = {}


def return_type(op, names):
    key = (op, tuple(names))
    cls = _return_types.get(key)
    if cls is None:
        cls = collections.namedtuple(op, names)
        cls.__module__ = "torch.return_types"
        cls.__repr__ = _return_type_repr
        _return_types[key] = cls
    return cls


def _return_type_repr(self):
    # PyTorch's structseq repr: one field per line (torch/csrc/utils/structseq.cpp).
    fields = ",\n".join(f"{n}={v!r}" for n, v in zip(self._fields, self))
    return f"torch.return_types.{type(self).__name__}(\n{fields})"


def rounded(ov, args):
    """Whether a division rounds (div(rounding_mode='floor'/'trunc') keeps integer dtypes)."""
    return args[ov.names.index("rounding_mode")] is not None


def factory_dtype(rule, ov, args):
    """The dtype a factory makes when none is given, by the entry's `factory_dtype` rule."""
    if rule == "float":
        return _dt.get_default_dtype()
    kind, _, names = rule.partition(":")
    if kind == "like":
        return args[ov.names.index(names)]._dtype
    values = [args[ov.names.index(n)] for n in names.split(",")]
    values = [v.item() if isinstance(v, Tensor) else v for v in values if v is not None]
    return _dt.result_type(*values)
