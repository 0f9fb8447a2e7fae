"""Pointwise math: unary, binary, comparison, logical."""
from ops_table.spec import op
from ops_table.samples import (FLOAT, FLOAT_AND_HALF, NUMERIC, call, choice, sample, scalar_of, tensor)

_BINARY = sample([tensor(), tensor(bcast=True)], dtypes=NUMERIC,
                 invalid=[call(tensor(shape=(2, 3)), tensor(shape=(4,)))])


def _unary(name, prim, backward, *, host=None, dtypes=FLOAT_AND_HALF, low=-5, high=5, promote="float", aliases=(),
           ns=("torch",), extra_kernels=None):
    kernels = {"cpu": [f"prim:{prim}"], "ascend": [f"mint:{name}"], "gpu": [f"prim:{prim}"]}
    if host:
        kernels["host"] = [host]
    if extra_kernels:
        kernels.update(extra_kernels)
    return op(f"{name}(Tensor self) -> Tensor", kernels=kernels,
              variants=("function", "method", "inplace", "out"), promote=promote, aliases=aliases,
              namespaces=ns, backward={"self": backward} if backward else "nondiff",
              samples=sample([tensor(low=low, high=high)], dtypes=dtypes))


ENTRIES = [
    op("add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor",
       kernels={"cpu": "fn:ms_pointwise.add", "ascend": "mint:add", "gpu": "fn:ms_pointwise.add",
                "host": "fn:np_pointwise.add"},
       variants=("function", "method", "inplace", "out"), dunders=("__add__", "__radd__", "__iadd__"),
       check="checks_int.alpha",
       backward={"self": "grad", "other": "grad if alpha == 1 else grad * alpha"},
       samples=sample([tensor(), tensor(bcast=True)], kwargs={"alpha": choice(1, 2)}, dtypes=NUMERIC,
                      invalid=[call(tensor(shape=(2, 3)), tensor(shape=(4,)))])),
    op("sub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor",
       kernels={"cpu": "fn:ms_pointwise.sub", "ascend": "mint:sub", "gpu": "fn:ms_pointwise.sub",
                "host": "fn:np_pointwise.sub"},
       variants=("function", "method", "inplace", "out"), dunders=("__sub__", "__rsub__", "__isub__"),
       check="checks_int.alpha",
       aliases=("subtract",),
       backward={"self": "grad", "other": "-grad if alpha == 1 else grad * (-alpha)"},
       samples=sample([tensor(), tensor(bcast=True)], kwargs={"alpha": choice(1, 3)}, dtypes=NUMERIC,
                      invalid=[call(tensor(shape=(2, 3)), tensor(shape=(4,)))])),
    op("mul.Tensor(Tensor self, Tensor other) -> Tensor",
       kernels={"cpu": "prim:Mul", "ascend": "mint:mul", "gpu": "prim:Mul", "host": "np:multiply"},
       variants=("function", "method", "inplace", "out"), dunders=("__mul__", "__rmul__", "__imul__"),
       aliases=("multiply",),
       backward={"self": "grad * conj_if_complex(other)", "other": "grad * conj_if_complex(self)"},
       samples=_BINARY),
    op("div.Tensor_mode(Tensor self, Tensor other, *, str? rounding_mode=None) -> Tensor",
       kernels={"cpu": "fn:ms_pointwise.div", "ascend": "mint:div", "gpu": "fn:ms_pointwise.div",
                "host": "fn:np_pointwise.div"},
       variants=("function", "method", "inplace", "out"), dunders=("__truediv__", "__rtruediv__", "__itruediv__"),
       aliases=("divide", "true_divide"), promote="float_unless_rounded",
       backward={"self": "grad / conj_if_complex(other) if rounding_mode is None else grad * 0",
                 "other": "-grad * conj_if_complex(self / (other * other)) if rounding_mode is None else grad * 0"},
       samples=sample([tensor(), tensor(bcast=True, low=0.5, high=5)],
                      kwargs={"rounding_mode": choice(None, "floor", "trunc")}, dtypes=NUMERIC,
                      invalid=[call(tensor(shape=(2, 3)), tensor(shape=(4,)))])),
    op("floor_divide(Tensor self, Tensor other) -> Tensor",
       kernels={"cpu": "fn:ms_pointwise.floor_divide", "gpu": "fn:ms_pointwise.floor_divide",
                "ascend": "mint:floor_divide", "host": "fn:np_pointwise.floor_divide"},
       variants=("function", "method", "inplace", "out"), dunders=("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
       backward={"self": "not_implemented('floor_divide')", "other": "not_implemented('floor_divide')"},
       samples=sample([tensor(), tensor(bcast=True, low=1, high=5)], dtypes=NUMERIC)),
    op("remainder.Tensor(Tensor self, Tensor other) -> Tensor",
       kernels={"cpu": "fn:ms_pointwise.remainder", "gpu": "fn:ms_pointwise.remainder", "ascend": "mint:remainder",
                "host": "fn:np_pointwise.remainder"},
       variants=("function", "method", "inplace", "out"), dunders=("__mod__", "__rmod__", "__imod__"),
       backward={"self": "grad", "other": "-grad * T.floor_divide(self, other)"},
       samples=sample([tensor(), tensor(bcast=True, low=1, high=5)], dtypes=NUMERIC)),
    op("pow.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor",
       kernels={"cpu": "fn:ms_pointwise.pow_", "ascend": "mint:pow", "gpu": "fn:ms_pointwise.pow_",
                "host": "fn:np_pointwise.pow_"},
       variants=("function", "method", "inplace", "out"), dunders=("__pow__", "__rpow__", "__ipow__"),
       check="checks_int.pow_",
       backward={"self": "grad * exponent * T.pow(self, exponent - 1)",
                 "exponent": "grad * result * T.log(self)"},
       samples=sample([tensor(low=0.5, high=3), tensor(bcast=True, low=-2, high=2)], dtypes=NUMERIC)),
    op("neg(Tensor self) -> Tensor",
       kernels={"cpu": "prim:Neg", "ascend": "mint:neg", "gpu": "prim:Neg", "host": "np:negative"},
       variants=("function", "method", "inplace", "out"), dunders=("__neg__",), aliases=("negative",),
       backward={"self": "-grad"}, samples=sample([tensor()], dtypes=NUMERIC)),
    # promote="none": abs of a complex tensor is real (ms_complex.abs picks ComplexAbs for it).
    op("abs(Tensor self) -> Tensor",
       kernels={"cpu": "fn:ms_complex.abs", "ascend": "mint:abs", "gpu": "fn:ms_complex.abs",
                "host": "fn:np_complex.abs"},
       variants=("function", "method", "inplace", "out"), dunders=("__abs__",), aliases=("absolute",),
       promote="none", backward={"self": "grad * T.sgn(self)"},
       samples=sample([tensor()], dtypes=NUMERIC + ("complex64", "complex128"))),
    op("sign(Tensor self) -> Tensor",
       kernels={"cpu": "fn:ms_pointwise.sign", "ascend": "mint:sign", "gpu": "prim:Sign", "host": "np:sign"},
       variants=("function", "method", "inplace", "out"),
       backward={"self": "grad * 0"}, samples=sample([tensor()], dtypes=NUMERIC)),
    _unary("exp", "Exp", "grad * result", host="np:exp", extra_kernels={"cpu": ["fn:ms_pointwise.exp"]}),
    _unary("log", "Log", "grad / self", host="fn:np_pointwise.log", low=0.1, high=5),
    _unary("sqrt", "Sqrt", "grad / (2 * result)", host="fn:np_pointwise.sqrt", low=0.1, high=5),
    _unary("rsqrt", "Rsqrt", "-0.5 * grad * result * result * result", host="fn:np_pointwise.rsqrt", low=0.1,
           high=5),
    _unary("sin", "Sin", "grad * T.cos(self)", host="np:sin"),
    _unary("cos", "Cos", "-grad * T.sin(self)", host="np:cos"),
    _unary("tanh", "Tanh", "grad * (1 - result * result)", host="np:tanh",
           extra_kernels={"cpu": ["fn:ms_pointwise.tanh"]}),
    _unary("sigmoid", "Sigmoid", "grad * result * (1 - result)", host="fn:np_pointwise.sigmoid",
           extra_kernels={"cpu": ["fn:ms_pointwise.sigmoid"]}),
    _unary("reciprocal", "Reciprocal", "-grad * result * result", host="fn:np_pointwise.reciprocal", low=0.5, high=5),
    _unary("floor", "Floor", "grad * 0", host="fn:np_pointwise.floor", promote="same", dtypes=NUMERIC,
           extra_kernels={"cpu": ["fn:ms_pointwise.floor"], "gpu": ["fn:ms_pointwise.floor"]}),
    _unary("ceil", "Ceil", "grad * 0", host="fn:np_pointwise.ceil", promote="same", dtypes=NUMERIC,
           extra_kernels={"cpu": ["fn:ms_pointwise.ceil"], "gpu": ["fn:ms_pointwise.ceil"]}),
    _unary("trunc", "Trunc", "grad * 0", host="fn:np_pointwise.trunc", promote="same", dtypes=NUMERIC,
           extra_kernels={"cpu": ["fn:ms_pointwise.trunc"], "gpu": ["fn:ms_pointwise.trunc"]}, aliases=("fix",)),
    op("relu(Tensor self) -> Tensor",
       kernels={"cpu": "fn:ms_nn.relu", "ascend": "mint:nn.functional.relu", "gpu": "fn:ms_nn.relu",
                "host": "fn:np_nn.relu"},
       # F.relu takes inplace=; it is mstorch/impl/torch/nn/functional.py's, over this op.
       variants=("function", "method", "inplace"), namespaces=("torch",),
       # A multiplication by the mask: MindSpore's CPU Select on large tensors is ~25x a Mul.
       # PyTorch's threshold_backward: zero where result <= 0, so a NaN passes its gradient.
       backward={"self": "grad * T.logical_not(result <= 0).to(grad.dtype)"},
       samples=sample([tensor()], dtypes=NUMERIC)),
    op("round.decimals(Tensor self, *, int decimals=0) -> Tensor",
       kernels={"cpu": "fn:ms_pointwise.round_", "ascend": "mint:round", "gpu": "fn:ms_pointwise.round_",
                "host": "fn:np_pointwise.round_"},
       variants=("function", "method", "inplace", "out"), backward={"self": "grad * 0"},
       samples=sample([tensor()], kwargs={"decimals": choice(0)}, dtypes=FLOAT)),
    op("clamp(Tensor self, Tensor? min=None, Tensor? max=None) -> Tensor",
       kernels={"cpu": "fn:ms_pointwise.clamp", "ascend": "mint:clamp", "gpu": "fn:ms_pointwise.clamp",
                "host": "fn:np_pointwise.clamp"},
       variants=("function", "method", "inplace", "out"), aliases=("clip",),
       check="checks_int.clamp",
       backward={"self": "T.where(result == self, grad, grad * 0)"},
       samples=sample([tensor(), scalar_of(("float", "int")), scalar_of(("float", "int"))], dtypes=NUMERIC)),
    op("_where(Tensor condition, Tensor self, Tensor other) -> Tensor",
       kernels={"cpu": "fn:ms_pointwise.where_via_host", "ascend": "mint:where", "gpu": "fn:ms_pointwise.where",
                "host": "fn:np_pointwise.where"},
       variants=(), promote="none",
       # a 0-d zero broadcasts: no full-size zeros tensor per backward
       backward={"self": "T.where(condition, grad, grad.new_zeros(()))",
                 "other": "T.where(condition, grad.new_zeros(()), grad)"},
       samples=sample([tensor(dtype="bool"), tensor(bcast=True), tensor(bcast=True)], dtypes=NUMERIC, method=False,
                      oracle="torch.where")),
    # torch.where has a one-argument form (nonzero as a tuple), so the public op is a
    # composite choosing between the two.
    op(["where.self(Tensor condition, Tensor self, Tensor other) -> Tensor",
        "where(Tensor condition) -> Tensor[]"],
       kernels={b: "composite:pointwise.where" for b in ("cpu", "host", "ascend", "gpu")},
       variants=("function", "method"), promote="none",
       samples=sample([tensor(dtype="bool"), tensor(bcast=True), tensor(bcast=True)], dtypes=NUMERIC, method=False)),
]

for _name, _prim, _np, _dunder in (("eq", "Equal", "equal", "__eq__"), ("ne", "NotEqual", "not_equal", "__ne__"),
                                   ("lt", "Less", "less", "__lt__"), ("le", "LessEqual", "less_equal", "__le__"),
                                   ("gt", "Greater", "greater", "__gt__"),
                                   ("ge", "GreaterEqual", "greater_equal", "__ge__")):
    ENTRIES.append(op(f"{_name}.Tensor(Tensor self, Tensor other) -> Tensor",
                      kernels={"cpu": f"prim:{_prim}", "gpu": f"prim:{_prim}", "ascend": f"mint:{_name}",
                               "host": f"np:{_np}"},
                      variants=("function", "method", "inplace", "out"), dunders=(_dunder,), promote="compare",
                      aliases={"ne": ("not_equal",), "lt": ("less",), "le": ("less_equal",), "gt": ("greater",),
                               "ge": ("greater_equal",)}.get(_name, ()),
                      backward="nondiff", samples=_BINARY))

for _name, _prim, _np, _dunder in (("logical_and", "LogicalAnd", "logical_and", None),
                                   ("logical_or", "LogicalOr", "logical_or", None)):
    ENTRIES.append(op(f"{_name}(Tensor self, Tensor other) -> Tensor",
                      kernels={"cpu": f"fn:ms_logical.{_name}", "host": f"np:{_np}", "ascend": f"mint:{_name}",
                               "gpu": f"fn:ms_logical.{_name}"},
                      variants=("function", "method", "inplace", "out"), promote="none", backward="nondiff",
                      samples=sample([tensor(), tensor(bcast=True)], dtypes=("bool", "float32", "int64"))))

ENTRIES.append(op("logical_not(Tensor self) -> Tensor",
                  kernels={"cpu": "fn:ms_pointwise.logical_not", "host": "np:logical_not", "ascend": "mint:logical_not",
                           "gpu": "fn:ms_pointwise.logical_not"},
                  variants=("function", "method", "inplace", "out"), promote="none", backward="nondiff",
                  samples=sample([tensor()], dtypes=("bool", "float32", "int64"))))

for _name, _prim, _np in (("maximum", "Maximum", "maximum"), ("minimum", "Minimum", "minimum")):
    _lose = "<" if _name == "maximum" else ">"
    _win = ">" if _name == "maximum" else "<"
    # PyTorch's formula: half each on a tie, nothing to the loser; a NaN on either side
    # makes neither win nor tie, so both get the whole gradient.
    ENTRIES.append(op(f"{_name}(Tensor self, Tensor other) -> Tensor",
                      kernels={"cpu": f"fn:ms_reduction.{_name}", "gpu": f"fn:ms_reduction.{_name}",
                               "ascend": f"mint:{_name}", "host": f"np:{_np}"},
                      variants=("function", "method", "out"),
                      backward={"self": f"T.where(self {_lose} other, grad * 0, T.where(self == other, grad / 2, grad))",
                                "other": f"T.where(self {_win} other, grad * 0, T.where(self == other, grad / 2, grad))"},
                      samples=sample([tensor(), tensor(bcast=True)], dtypes=NUMERIC)))
